"""`shuren insights refresh` (from cron every few minutes, or the task), `shuren insights rebuild`
(recompute every roll-up from the raw tables), `shuren insights evaluate --period month --start
2026-11` (score and rank the communities), `shuren insights monthly` (on the 1st of the month)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Roll-ups, evaluation and monthly reports: refresh | rebuild | evaluate | monthly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["refresh", "rebuild", "evaluate", "monthly"])
        parser.add_argument("--period", choices=["month", "quarter", "year"], default="month")
        parser.add_argument("--start", help="The month the period begins in, YYYY-MM (default: last month).")

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.insights import rollups
        from shuren.insights.forms import last_month
        from shuren.insights.services import evaluate_period, monthly_run

        what = options["what"]
        start = last_month()
        if options["start"]:
            try:
                start = dt.datetime.strptime(options["start"], "%Y-%m").date()
            except ValueError:
                raise CommandError("--start takes a month as YYYY-MM") from None
        if what in ("refresh", "rebuild"):
            run = rollups.refresh() if what == "refresh" else rollups.rebuild()
            detail = ", ".join(f"{k}: {v}" for k, v in run.detail.items())
            self.stdout.write(
                f"{run.kind} as of {run.as_of:%Y-%m-%d %H:%M:%S}: {run.days} days, {detail}; {run.seconds:.1f} s"
            )
        elif what == "evaluate":
            outcome = evaluate_period(options["period"], start)
            self.stdout.write(f"{outcome.evaluations} communities evaluated in {outcome.subdistricts} subdistricts")
        else:
            result = monthly_run(start if options["start"] else None)
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))

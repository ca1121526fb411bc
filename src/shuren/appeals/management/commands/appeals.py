"""`shuren appeals sweep` (run from cron every few minutes): send the deadline reminders that are
due, ask once more for the ratings of resolved appeals on the last day of their feedback period and
close resolved appeals left unrated; `shuren appeals calendar` tells whether the working-day
calendar knows the coming years."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from shuren.core.workdays import calendar_covers


class Command(BaseCommand):
    help = "Appeal housekeeping: `sweep` (reminders and auto-closing) or `calendar` (working-day data check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["sweep", "calendar"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "sweep":
            from shuren.appeals.tasks import sweep

            result = sweep()
            self.stdout.write(
                f"reminders sent: {result['reminders']}; ratings asked for again: {result['rating_requests']}; "
                f"appeals closed without feedback: {result['closed']}"
            )
            return
        this_year = timezone.localdate().year
        missing = [year for year in (this_year, this_year + 1) if not calendar_covers(year)]
        for year in (this_year, this_year + 1):
            state = "known" if year not in missing else "NOT known: add the official holidays as working-day overrides"
            self.stdout.write(f"{year}: {state}")
        if missing:
            raise SystemExit(1)

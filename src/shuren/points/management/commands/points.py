"""`shuren points sweep` (e.g. hourly: credit every confirmed service record, verified list item,
meeting attendance and closed appeal not credited yet) and `shuren points expire` (daily: expire
unspent points whose date has come; running twice on a day has no second effect)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Points ledger housekeeping: `sweep` (replay missed credits), `expire` (expire unspent points)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["sweep", "expire"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.points import tasks

        result = tasks.sweep() if options["what"] == "sweep" else tasks.expire()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()))

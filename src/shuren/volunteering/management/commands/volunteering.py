"""`shuren volunteering remind` (run from cron daily, e.g. at 09:00, or hourly): the confirmed
volunteers of each activity held tomorrow get their reminder, once per activity."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Volunteering housekeeping: `remind` reminds the volunteers of tomorrow's activities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["remind"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.volunteering.tasks import remind

        self.stdout.write(f"activities reminded: {remind()['activities']}")

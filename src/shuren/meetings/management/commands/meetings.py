"""`shuren meetings remind` (run from cron daily, e.g. at 09:00, or hourly): the invitees of each
scheduled meeting held tomorrow get their reminder, once per meeting."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Meeting housekeeping: `remind` reminds the invitees of tomorrow's meetings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["remind"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.meetings.tasks import remind

        self.stdout.write(f"meetings reminded: {remind()['meetings']}")

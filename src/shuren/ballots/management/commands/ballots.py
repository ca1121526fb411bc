"""`shuren ballots remind` (run from cron hourly or daily): the owners who have not voted on every
matter of a ballot closing within a day get a reminder, once per ballot."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Ballot housekeeping: `remind` reminds the owners who have not voted of ballots closing within a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["remind"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.ballots.tasks import remind

        self.stdout.write(f"ballots reminded: {remind()['ballots']}")

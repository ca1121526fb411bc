"""`shuren notices sweep` (from cron, e.g. every five minutes): scheduled notices whose time has come
are published, and notices past their end date are ended — in case a queued release was lost."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Notice housekeeping: `sweep` publishes scheduled notices that are due and ends those past their end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["sweep"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.notices.tasks import run

        outcome = run()
        self.stdout.write(f"notices published: {outcome['released']}, ended: {outcome['ended']}")

"""`shuren proposals expire` (run from cron, e.g. hourly): proposals whose co-signing window has
closed below the threshold are marked expired."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Proposal housekeeping: `expire` marks proposals whose co-signing window closed below the threshold."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["expire"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.proposals.services import expire_proposals

        self.stdout.write(f"proposals expired: {expire_proposals()}")

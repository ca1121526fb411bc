"""`shuren governance lapse` (run from cron, e.g. hourly): lapse the claims whose holders reported no
progress within their community's lapse time, so that the items are open for claiming again,
and warn the claimants of those lapsing within two days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Governance-list housekeeping: `lapse` (end claims left without progress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["lapse"])

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.governance.tasks import lapse

        result = lapse()
        self.stdout.write(f"claims lapsed: {result['lapsed']}, claimants warned: {result['warned']}")

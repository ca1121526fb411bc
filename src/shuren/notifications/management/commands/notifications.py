"""`shuren notifications deliver` (cron every minute, or a loop with --watch): deliver the messages
that are due; `shuren notifications status`: how many wait, retry or failed."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "The outbox: `deliver` what is due (once, or --watch), or show its `status`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["deliver", "status"])
        parser.add_argument("--watch", action="store_true", help="keep delivering, every --interval seconds")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "status":
            from shuren.notifications.selectors import outbox_counts

            for status, count in outbox_counts().items():
                self.stdout.write(f"{status}: {count}")
            return
        from shuren.notifications.tasks import drain

        while True:
            total = drain(batches=1_000_000)
            self.stdout.write(
                f"sent: {total['sent']}; retrying: {total['retrying']}; failed: {total['failed']}; "
                f"held for quiet hours: {total['held']}"
            )
            if not options["watch"]:
                return
            time.sleep(options["interval"])

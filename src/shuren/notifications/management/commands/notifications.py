"""`shuren notifications deliver` (cron every minute, or a loop with --watch): deliver the messages
that are due; `shuren notifications status`: how many wait, retry or failed; `shuren notifications
purge` (cron daily): delete settled messages older than SHUREN_NOTIFICATIONS_RETENTION_DAYS."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "The outbox: `deliver` what is due (once, or --watch), show its `status`, or `purge` old messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["deliver", "status", "purge"])
        parser.add_argument("--watch", action="store_true", help="keep delivering, every --interval seconds")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "purge":
            import datetime as dt

            from django.conf import settings
            from django.utils import timezone

            from shuren.notifications.services import purge

            days = int(getattr(settings, "SHUREN_NOTIFICATIONS_RETENTION_DAYS", 365))
            deleted = purge(before=timezone.now() - dt.timedelta(days=days))
            self.stdout.write(f"messages deleted (settled, older than {days} days): {deleted}")
            return
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

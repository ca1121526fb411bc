from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.audit.services import MIN_RETENTION_DAYS, purge_expired_events, verify_chain


class Command(BaseCommand):
    help = "Audit log maintenance: `verify` walks the hash chain; `purge` removes expired events."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute every hash; exit 1 if any event was edited or removed.")
        purge = sub.add_parser("purge", help="Delete events older than SHUREN_AUDIT_RETENTION_DAYS.")
        purge.add_argument("--days", type=int, default=None, help="retention in days (>= 184)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            report = verify_chain()
            if not report.ok:
                self.stderr.write(
                    self.style.ERROR(
                        f"Audit chain BROKEN at seq {report.bad_seq}: {report.reason} "
                        f"({report.checked} events verified before it)."
                    )
                )
                raise SystemExit(1)
            if report.checked:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Audit chain intact: {report.checked} events, seq {report.first_seq}..{report.last_seq}."
                    )
                )
            else:
                self.stdout.write("Audit log is empty.")
        else:
            days = options["days"] if options["days"] is not None else settings.SHUREN_AUDIT_RETENTION_DAYS
            if days < MIN_RETENTION_DAYS:
                raise CommandError(f"Retention must be at least {MIN_RETENTION_DAYS} days.")
            count = purge_expired_events(retention_days=days)
            self.stdout.write(f"Purged {count} audit events older than {days} days.")

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.audit.services import (
    MIN_RETENTION_DAYS,
    ChainBroken,
    purge_expired_events,
    seal_events,
    verify_chain,
)


class Command(BaseCommand):
    help = (
        "Audit log maintenance: `seal` chains the newly recorded events under the audit key (cron, every "
        "minute); `verify` seals, then checks the whole chain against its signed head and the checkpoint "
        "file; `purge` removes expired events."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify", help="Seal, then recompute every HMAC; exit 1 if any event was edited, removed or inserted."
        )
        verify.add_argument("--no-seal", action="store_true", help="check only what is sealed already")
        seal = sub.add_parser("seal", help="Seal the committed events into the chain and write a checkpoint.")
        seal.add_argument(
            "--settle-seconds",
            type=float,
            default=2.0,
            help="how long to wait for transactions already open (PostgreSQL); later runs take what is left",
        )
        purge = sub.add_parser("purge", help="Delete events older than SHUREN_AUDIT_RETENTION_DAYS.")
        purge.add_argument("--days", type=int, default=None, help="retention in days (>= 184)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['subcommand']}")(options)

    def _verify(self, options: dict[str, Any]) -> None:
        report = verify_chain(seal=not options["no_seal"])
        if not report.ok:
            where = f"seq {report.bad_seq}" if report.bad_seq is not None else f"row id {report.bad_id}"
            if report.bad_seq is None and report.bad_id is None:
                where = "the chain head"
            self.stderr.write(
                self.style.ERROR(
                    f"Audit chain BROKEN at {where}: {report.reason} ({report.checked} events verified before it)."
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
            self.stdout.write("Audit chain intact: no sealed events.")
        if report.pending:
            self.stdout.write(f"{report.pending} events recorded but not sealed yet (open transactions).")
        if not report.external:
            self.stdout.write(
                self.style.WARNING(
                    "SHUREN_AUDIT_CHECKPOINT_DIR is not set: checked against the database's own signed head only."
                )
            )

    def _seal(self, options: dict[str, Any]) -> None:
        try:
            report = seal_events(settle_seconds=options["settle_seconds"])
        except ChainBroken as exc:
            self.stderr.write(self.style.ERROR(f"Audit chain not sealed: {exc}. Run `shuren audit verify`."))
            raise SystemExit(1) from exc
        message = f"Sealed {report.sealed} events; the chain reaches seq {report.last_seq}."
        if not report.settled:
            message += " Transactions still open: their events are sealed by a later run."
        if options["verbosity"] >= 1:
            self.stdout.write(message)

    def _purge(self, options: dict[str, Any]) -> None:
        days = options["days"] if options["days"] is not None else settings.SHUREN_AUDIT_RETENTION_DAYS
        if days < MIN_RETENTION_DAYS:
            raise CommandError(f"Retention must be at least {MIN_RETENTION_DAYS} days.")
        try:
            count = purge_expired_events(retention_days=days)
        except ChainBroken as exc:
            raise CommandError(f"Audit chain broken, nothing purged: {exc}") from exc
        self.stdout.write(f"Purged {count} audit events older than {days} days.")

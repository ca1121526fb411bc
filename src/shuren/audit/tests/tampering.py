"""What the audit tests share: events, sealing them, and changing rows behind the application's
back as someone with write access to the database could."""

from __future__ import annotations

from django.db import connection

from shuren.audit import triggers
from shuren.audit.models import AuditEvent
from shuren.audit.services import record_event, seal_events


def make_events(n: int, action: str = "test.event") -> list[AuditEvent]:
    return [record_event(action, detail={"n": i}) for i in range(n)]


def sealed(events: list[AuditEvent]) -> list[AuditEvent]:
    """Seal everything recorded so far and return ``events`` as sealed."""
    seal_events()
    by_pk = AuditEvent.objects.in_bulk([e.pk for e in events])
    return [by_pk[e.pk] for e in events]


def tamper(sql: str, params: list | tuple = ()) -> None:
    """Run SQL with the append-only triggers lifted, as a database administrator could."""
    triggers.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        triggers.install(connection)

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent, ChainHead


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search_events(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Events matching an auditor's filters, newest first. The audit log is read only by auditors,
    who see it whole (it is not scoped by place)."""
    events = AuditEvent.objects.order_by("-id")
    if filters.get("actor"):
        events = events.filter(actor_username__iexact=filters["actor"])
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("outcome"):
        events = events.filter(outcome=filters["outcome"])
    if filters.get("object_type"):
        events = events.filter(object_type__iexact=filters["object_type"])
    if filters.get("object_id"):
        events = events.filter(object_id=filters["object_id"])
    if filters.get("ip"):
        events = events.filter(ip=filters["ip"])
    if filters.get("since"):
        events = events.filter(occurred_at__gte=_day_start(filters["since"]))
    if filters.get("until"):
        events = events.filter(occurred_at__lt=_day_start(filters["until"] + dt.timedelta(days=1)))
    return events


@dataclass(frozen=True)
class SealState:
    last_seq: int
    sealed_at: dt.datetime | None
    pending: int


def seal_state() -> SealState:
    """How far the chain is sealed and how many events wait for the sealer (as the database says:
    ``shuren audit verify`` is what checks it)."""
    head = ChainHead.objects.filter(pk=1).first()
    return SealState(
        last_seq=head.last_seq if head else 0,
        sealed_at=head.sealed_at if head else None,
        pending=AuditEvent.objects.filter(hash__isnull=True).count(),
    )

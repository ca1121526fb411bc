"""Writing to the audit log. Callers record inside their own transaction: if the audit write fails,
the audited operation fails with it (fail closed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from shuren.core.middleware import current_request

from .models import AuditEvent, ChainHead

MIN_RETENTION_DAYS = 184  # Cybersecurity Law: network logs are kept at least six months


def _actor_role(user: Any) -> str:
    from shuren.core.scoping import roles_of

    return ",".join(sorted(roles_of(user)))[:64]


def record_event(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    scope: str = "",
    outcome: str = "success",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the hash chain and return it.

    ``request`` (or the request being served) supplies actor, IP and request id when not given.
    """
    request = request or current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    context = getattr(request, "shuren", None) if request is not None else None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        scope_field = getattr(type(obj), "scope_field", None)
        if not scope and scope_field:
            scope = getattr(obj, scope_field, "") or ""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            actor_username=getattr(actor, "username", "") or "",
            actor_role=_actor_role(actor) if actor is not None else "",
            ip=getattr(context, "ip", "") or "",
            request_id=getattr(context, "request_id", "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            scope=scope,
            outcome=outcome,
            reason=reason[:500],
            detail=detail or {},
            prev_hash=head.last_hash,
            hash="",
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_seq: int | None
    last_seq: int | None
    bad_seq: int | None = None
    reason: str = ""


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    """Walk the chain in sequence order and recompute every hash.

    The first remaining row is the anchor (rows before it were purged; the purge event records the
    last purged hash, so an auditor can link the pieces). Every later row must follow without a gap,
    name its predecessor's hash, and hash to the value stored. The chain head must point at the
    last row.
    """
    checked = 0
    first_seq = last_seq = None
    previous: AuditEvent | None = None
    queryset = AuditEvent.objects.order_by("seq")
    start = 0
    while True:
        rows = list(queryset.filter(seq__gt=start)[:batch_size])
        if not rows:
            break
        for event in rows:
            if previous is None:
                first_seq = event.seq
            else:
                if event.seq != previous.seq + 1:
                    return ChainReport(
                        False, checked, first_seq, previous.seq, previous.seq + 1, "missing event (gap in the sequence)"
                    )
                if event.prev_hash != previous.hash:
                    return ChainReport(
                        False, checked, first_seq, previous.seq, event.seq, "link to the previous event is broken"
                    )
            if event.compute_hash() != event.hash:
                return ChainReport(
                    False, checked, first_seq, event.seq, event.seq, "content does not match its hash (edited)"
                )
            previous = event
            checked += 1
        start = rows[-1].seq
    last_seq = previous.seq if previous else None
    head = ChainHead.objects.filter(pk=1).first()
    if previous is not None and head is not None and (head.last_seq != previous.seq or head.last_hash != previous.hash):
        return ChainReport(
            False,
            checked,
            first_seq,
            last_seq,
            head.last_seq,
            "newest events are missing (chain head points past the last row)",
        )
    return ChainReport(True, checked, first_seq, last_seq)


def purge_expired_events(*, retention_days: int) -> int:
    """Delete events older than ``retention_days`` (at least 184) and record the purge, with the
    hash of the last purged event so the remaining chain stays anchored."""
    if retention_days < MIN_RETENTION_DAYS:
        raise ValueError(f"audit retention must be at least {MIN_RETENTION_DAYS} days")
    cutoff = timezone.now() - dt.timedelta(days=retention_days)
    with transaction.atomic():
        # Keep the survivors contiguous: delete only the run of events before the first young one.
        first_young = (
            AuditEvent.objects.filter(occurred_at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        )
        doomed = AuditEvent.objects.all() if first_young is None else AuditEvent.objects.filter(seq__lt=first_young)
        last = doomed.order_by("-seq").first()
        if last is None:
            return 0
        count = doomed.count()
        anchor = {
            "purged": count,
            "last_purged_seq": last.seq,
            "last_purged_hash": last.hash,
            "retention_days": retention_days,
        }
        doomed.delete()
        record_event("audit.purge", actor=None, detail=anchor)
    return count

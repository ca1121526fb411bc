"""Writing to the audit log. Callers record inside their own transaction: if the audit write fails,
the audited operation fails with it (fail closed)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from shuren.core.middleware import current_request

from .models import AuditEvent, ChainHead


def _actor_role(user: Any) -> str:
    grants = getattr(user, "_shuren_grants", None)
    if grants is None:
        from shuren.core.scoping import _grants

        grants = _grants(user)
    return ",".join(sorted({role for role, _path in grants}))[:64]


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
        head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
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

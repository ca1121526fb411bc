"""What every write of the lists shares: the timeline row and the audit record."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.clock import now

from ..models import Match, Need, NeedEvent


def timeline(need: Need, kind: str, *, actor: User | None, text: str = "", match: Match | None = None) -> NeedEvent:
    return NeedEvent.objects.create(
        need=need,
        match=match,
        kind=kind,
        text=text[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now(),
    )


def audit(action: str, *, actor: User | None, obj: Model, **detail: Any) -> None:
    record_event(f"lists.{action}", actor=actor, obj=obj, detail={k: str(v) for k, v in detail.items()})

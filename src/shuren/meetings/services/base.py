"""What every meeting write shares: the timeline row and the audit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.scoping import require

from ..models import Meeting, MeetingEvent


def now() -> dt.datetime:
    return timezone.now()


def event(meeting: Meeting, kind: str, *, actor: User | None, text: str = "", **detail: Any) -> MeetingEvent:
    """One row of the meeting's timeline and the matching audit record."""
    row = MeetingEvent.objects.create(
        meeting=meeting,
        kind=kind,
        text=text[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now(),
    )
    record_event(f"meetings.{kind}", actor=actor, obj=meeting, detail={"text": text[:200], **detail})
    return row


def require_manage(actor: User, meeting: Meeting) -> None:
    require(actor, "meetings.manage", meeting)


def locked(meeting: Meeting) -> Meeting:
    """The meeting row locked for the transaction (agenda positions, sign-in, counts)."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)

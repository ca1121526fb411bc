"""Scheduling, editing, cancelling a meeting; opening and closing sign-in; ending it; and the
resident proposals waiting for "the next meeting of their place"."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.validators import required_text

from .. import workflow
from ..models import AgendaItem, AgendaKind, Meeting, MeetingKind, MeetingRule, MeetingStatus
from ..selectors import covers_place, next_meeting_for
from .base import event, locked, require_manage

log = logging.getLogger(__name__)

PLACE = ("area", "estate", "building", "unit")
EDITABLE = ("kind", "title", "description", "starts_at", "ends_at", "location", *PLACE)


def reference_for(meeting: Meeting) -> str:
    """The number quoted in minutes and notices, e.g. HY20260315-0042."""
    return f"HY{timezone.localtime(meeting.starts_at):%Y%m%d}-{meeting.pk:04d}"


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The meeting must end after it starts.")]})


def _placed(meeting: Meeting) -> None:
    meeting.clean_place()
    meeting.scope = meeting.placed_scope()


def schedule_meeting(
    *,
    actor: User,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    area: Any = None,
    estate: Any = None,
    building: Any = None,
    unit: Any = None,
    description: str = "",
) -> Meeting:
    """Schedule a meeting at a place where the actor may manage meetings. Qualified resident
    proposals of that place waiting for a meeting are put on its agenda (when the kind decides)."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": [_("Choose a kind of meeting.")]})
    title = required_text(title, "title", _("Give the meeting a title."))
    location = required_text(location, "location", _("Say where the meeting takes place."))
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        kind=kind,
        title=title,
        description=(description or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        area=area,
        estate=estate,
        building=building,
        unit=unit,
        convener=actor,
        reference=f"new-{secrets.token_hex(6)}",
    )
    if not (area or estate or building or unit):
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    _placed(meeting)
    require_manage(actor, meeting)
    with transaction.atomic():
        meeting.save()
        meeting.reference = reference_for(meeting)
        Meeting.objects.filter(pk=meeting.pk).update(reference=meeting.reference)
        event(meeting, "scheduled", actor=actor, text=f"{meeting.get_kind_display()} · {meeting.title}")
        take_waiting_proposals(meeting=meeting)
    return meeting


def edit_meeting(*, actor: User, meeting: Meeting, version: int, **changes: Any) -> Meeting:
    """Change what, when, where of a scheduled meeting (the place too, within the actor's areas)."""
    require_manage(actor, meeting)
    workflow.require(meeting, "edit", actor=actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    probe = Meeting.objects.get(pk=meeting.pk)
    for name, value in changes.items():
        setattr(probe, name, value.strip() if isinstance(value, str) else value)
    if {"title", "location"} & set(changes):
        required_text(probe.title, "title", _("Give the meeting a title."))
        required_text(probe.location, "location", _("Say where the meeting takes place."))
    _check_times(probe.starts_at, probe.ends_at)
    if set(PLACE) & set(changes):
        _placed(probe)
        require_manage(actor, probe)
    fields = {name: getattr(probe, name) for name in EDITABLE}
    fields["scope"] = probe.scope
    changed = sorted(name for name in EDITABLE if getattr(meeting, name) != getattr(probe, name))
    with transaction.atomic():
        update_versioned(Meeting, pk=meeting.pk, version=version, **fields)
        meeting.action_items.update(scope=probe.scope)
        event(meeting, "edited", actor=actor, text=", ".join(changed), changed=changed)
    meeting.refresh_from_db()
    return meeting


def cancel_meeting(*, actor: User, meeting: Meeting, version: int, reason: str) -> Meeting:
    """Cancel a meeting not yet held, with the reason; invitees' calendars show it cancelled."""
    require_manage(actor, meeting)
    reason = required_text(reason, "reason", _("Say why the meeting is cancelled."))
    target = workflow.require(meeting, "cancel", actor=actor)
    with transaction.atomic():
        update_versioned(
            Meeting, pk=meeting.pk, version=version, status=target, cancelled_reason=reason[:200], checkin_open=False
        )
        event(meeting, "cancelled", actor=actor, text=reason)
    meeting.refresh_from_db()
    return meeting


def set_checkin(*, actor: User, meeting: Meeting, version: int, open: bool) -> Meeting:  # noqa: A002
    """Open sign-in (the meeting is then in progress) or close it."""
    require_manage(actor, meeting)
    target = workflow.require(meeting, "open_checkin" if open else "close_checkin", actor=actor)
    with transaction.atomic():
        update_versioned(Meeting, pk=meeting.pk, version=version, status=target, checkin_open=open)
        event(meeting, "checkin_opened" if open else "checkin_closed", actor=actor)
    meeting.refresh_from_db()
    return meeting


def end_meeting(*, actor: User, meeting: Meeting, version: int) -> Meeting:
    """The meeting is over: sign-in closes; minutes, resolutions and action items may still be completed."""
    require_manage(actor, meeting)
    target = workflow.require(meeting, "end", actor=actor)
    with transaction.atomic():
        update_versioned(Meeting, pk=meeting.pk, version=version, status=target, checkin_open=False)
        event(meeting, "ended", actor=actor)
    meeting.refresh_from_db()
    return meeting


# --- resident proposals ---------------------------------------------------------------------------


def _append_proposal(meeting: Meeting, proposal: Any) -> AgendaItem | None:
    from shuren.proposals.services import place_on_agenda

    meeting = locked(meeting)
    if meeting.agenda_items.filter(proposal=proposal).exists():
        return None
    position = (meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        kind=AgendaKind.DECISION,
        title=_("Resident proposal %(reference)s: %(title)s")
        % {"reference": proposal.reference, "title": proposal.title},
        proposal=proposal,
    )
    place_on_agenda(proposal=proposal, meeting=meeting)
    event(meeting, "proposal", actor=None, text=proposal.reference, proposal=proposal.pk)
    return item


def take_waiting_proposals(*, meeting: Meeting) -> int:
    """Put the qualified proposals of the meeting's place that wait for a meeting on its agenda."""
    from shuren.proposals.models import Proposal, ProposalStatus

    rule = MeetingRule.objects.filter(kind=meeting.kind).first()
    if (
        meeting.status != MeetingStatus.SCHEDULED
        or meeting.starts_at <= timezone.now()
        or rule is None
        or not rule.takes_resolutions
    ):
        return 0
    waiting = (
        Proposal.objects.filter(status=ProposalStatus.QUALIFIED)
        .filter(scope__startswith=meeting.area.path)
        .order_by("qualified_at", "pk")
    )
    taken = 0
    for proposal in waiting:
        # The earliest meeting of the place takes it; this one only if none comes sooner.
        if covers_place(meeting, proposal) and next_meeting_for(proposal) == meeting:
            if _append_proposal(meeting, proposal) is not None:
                taken += 1
    return taken


def place_qualified_proposal(*, proposal: Any) -> Meeting | None:
    """The receiver of ``proposal_qualified``: the proposal goes on the next meeting of its place,
    or waits until one is scheduled."""
    with transaction.atomic():
        meeting = next_meeting_for(proposal)
        if meeting is None:
            return None
        _append_proposal(meeting, proposal)
    return meeting

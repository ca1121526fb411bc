"""What happens at the meeting: the agenda, the minutes (kept in versions), resolutions with their
votes and arithmetic, and publication of minutes and resolutions to the places concerned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.core.scoping import can, path_covers
from shuren.core.validators import required_text

from .. import workflow
from ..models import (
    AgendaItem,
    AgendaKind,
    Choice,
    Meeting,
    MeetingRule,
    Minutes,
    MinutesRevision,
    Resolution,
    ResolutionVote,
    VoteMode,
)
from ..rules import decide
from .base import event, locked, now, require_manage
from .messages import tell_minutes_published

# --- agenda ---------------------------------------------------------------------------------------


def _check_link(
    convener: Any,
    meeting: Meeting,
    *,
    appeal: Any,
    governance_item: Any,
    proposal: Any,
    version: Any,
    actor: User | None = None,
) -> None:
    """Agenda items and resolutions link only to what the meeting's convener, and the staff member
    recording them, may both see."""
    if actor is not None and actor != convener:
        _check_link(actor, meeting, appeal=appeal, governance_item=governance_item, proposal=proposal, version=version)
    if appeal is not None:
        from shuren.appeals.selectors import visible_appeals

        if not visible_appeals(convener).filter(pk=appeal.pk).exists():
            raise ValidationError({"appeal": [_("No such appeal among those the convener may see.")]})
    if governance_item is not None and not can(convener, "governance.view", governance_item):
        raise ValidationError(
            {"governance_item": [_("No such governance-list item among those the convener may see.")]}
        )
    if proposal is not None and not can(convener, "proposals.view", proposal):
        raise ValidationError({"proposal": [_("No such proposal among those the convener may see.")]})
    if version is not None:
        if not can(convener, "conventions.view", version.convention):
            raise ValidationError({"convention_version": [_("No such convention among those the convener may see.")]})


def add_agenda_item(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    kind: str = AgendaKind.DISCUSSION,
    notes: str = "",
    presenter: str = "",
    appeal: Any = None,
    governance_item: Any = None,
    proposal: Any = None,
    convention_version: Any = None,
) -> AgendaItem:
    """Add a point at the end of the agenda (a 第一议题 study goes first)."""
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.AGENDA, _("Changing the agenda"))
    if kind not in AgendaKind.values:
        raise ValidationError({"kind": [_("Choose a kind of agenda item.")]})
    title = required_text(title, "title", _("Give the agenda item a title."))
    _check_link(
        meeting.convener,
        meeting,
        actor=actor,
        appeal=appeal,
        governance_item=governance_item,
        proposal=proposal,
        version=convention_version,
    )
    with transaction.atomic():
        meeting = locked(meeting)
        if proposal is not None and meeting.agenda_items.filter(proposal=proposal).exists():
            raise ValidationError({"proposal": [_("This proposal is already on the agenda.")]})
        positions = list(meeting.agenda_items.order_by("position").values_list("pk", "position"))
        last = positions[-1][1] if positions else 0
        if kind == AgendaKind.STUDY:
            # Shift every point down by one (from the end, so positions stay unique), study first.
            for pk, position in reversed(positions):
                AgendaItem.objects.filter(pk=pk).update(position=position + 1)
            position = 1
        else:
            position = last + 1
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=kind,
            title=title[:150],
            notes=(notes or "").strip(),
            presenter=(presenter or "").strip()[:60],
            appeal=appeal,
            governance_item=governance_item,
            proposal=proposal,
            convention_version=convention_version,
        )
        if proposal is not None:
            from shuren.proposals.services import place_on_agenda

            place_on_agenda(proposal=proposal, meeting=meeting)
        event(meeting, "agenda", actor=actor, text=item.title)
    return item


def move_agenda_item(*, actor: User, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap an agenda item with its neighbour."""
    meeting = Meeting.objects.get(pk=item.meeting_id)  # fresh: the caller's copy may be stale
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.AGENDA, _("Changing the agenda"))
    with transaction.atomic():
        locked(meeting)
        item.refresh_from_db()
        items = meeting.agenda_items.order_by("-position" if up else "position")
        neighbour = items.filter(**{"position__lt" if up else "position__gt": item.position}).first()
        if neighbour is None:
            return item
        mine, theirs = item.position, neighbour.position
        AgendaItem.objects.filter(pk=item.pk).update(position=0)
        AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
        AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
        event(meeting, "agenda_moved", actor=actor, text=item.title)
    item.refresh_from_db()
    return item


def record_outcome(*, actor: User, item: AgendaItem, outcome: str) -> AgendaItem:
    meeting = Meeting.objects.get(pk=item.meeting_id)  # fresh: the caller's copy may be stale
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.PROCEEDINGS, _("Recording an outcome"))
    outcome = required_text(outcome, "outcome", _("Write what the meeting concluded on this point."))
    with transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(outcome=outcome)
        event(meeting, "outcome", actor=actor, text=item.title)
    item.refresh_from_db()
    return item


# --- minutes --------------------------------------------------------------------------------------


def save_minutes(*, actor: User, meeting: Meeting, text: str, version: int | None = None) -> Minutes:
    """Write the minutes, or a new version of them from the version the writer read (the earlier
    wording is kept as a revision). Minutes change while the meeting is in progress or held."""
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.PROCEEDINGS, _("Writing the minutes"))
    text = required_text(text, "text", _("Write the minutes."))
    with transaction.atomic():
        locked(meeting)
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, text=text, recorded_by=actor)
        else:
            if version is None:
                version = minutes.version
            if minutes.text == text:
                return minutes
            MinutesRevision.objects.create(
                minutes=minutes,
                number=minutes.version,
                text=minutes.text,
                recorded_by=minutes.recorded_by,
                recorded_at=minutes.updated_at,
            )
            update_versioned(
                Minutes, pk=minutes.pk, version=version, text=text, recorded_by=actor, updated_at=timezone.now()
            )
            minutes.refresh_from_db()
        event(meeting, "minutes", actor=actor, text=_("Minutes, version %(n)d") % {"n": minutes.version})
    return minutes


# --- resolutions ----------------------------------------------------------------------------------


def _meeting_date(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.starts_at).date()


def record_resolution(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    vote_mode: str = VoteMode.COUNTS,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    named_votes: dict[int, str] | None = None,
    agenda_item: AgendaItem | None = None,
    convention_version: Any = None,
) -> Resolution:
    """Record a resolution and decide it under the kind's rules of procedure.

    Counted votes give the numbers; named votes give one choice per voting member present (every one
    of them, no one else); a consensus carries when the meeting is quorate. The quorum and majority
    arithmetic is stored with the resolution. A meeting whose kind takes no resolutions (a salon)
    records a conclusion without a vote. A carried resolution adopting a convention version adopts it.
    """
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.PROCEEDINGS, _("Recording a resolution"))
    text = required_text(text, "text", _("Write the resolution."))
    if vote_mode not in VoteMode.values:
        raise ValidationError({"vote_mode": [_("Choose how the meeting decided.")]})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": [_("Choose an item of this meeting's agenda.")]})
    rule = MeetingRule.objects.get(kind=meeting.kind)
    if convention_version is not None:
        if not rule.takes_resolutions:
            raise ValidationError({"convention_version": [_("This kind of meeting takes no binding resolutions.")]})
        _check_link(
            meeting.convener,
            meeting,
            actor=actor,
            appeal=None,
            governance_item=None,
            proposal=None,
            version=convention_version,
        )
        if not path_covers(meeting.area.path, convention_version.convention.scope) and not path_covers(
            convention_version.convention.scope, meeting.scope
        ):
            raise ValidationError({"convention_version": [_("The convention is of another place.")]})
    with transaction.atomic():
        meeting = locked(meeting)
        present = meeting.attendances.filter(is_voting=True)
        voting_present = present.count()
        voting_invited = meeting.invitations.filter(is_voting=True).count()
        resolution = Resolution(
            meeting=meeting,
            agenda_item=agenda_item,
            text=text,
            vote_mode=vote_mode,
            voting_members_present=voting_present,
            voting_members_invited=voting_invited,
            convention_version=convention_version,
            recorded_by=actor,
        )
        choices: dict[int, str] = {}
        if not rule.takes_resolutions:
            resolution.vote_mode = VoteMode.CONSENSUS
            resolution.arithmetic = {"binding": False, "rule": rule.kind}
            resolution.quorum_met = False
            resolution.carried = False
        else:
            if vote_mode == VoteMode.NAMED:
                choices = _named_choices(named_votes or {}, set(present.values_list("pk", flat=True)))
                votes_for = sum(1 for c in choices.values() if c == Choice.FOR)
                votes_against = sum(1 for c in choices.values() if c == Choice.AGAINST)
                votes_abstain = sum(1 for c in choices.values() if c == Choice.ABSTAIN)
            elif vote_mode == VoteMode.COUNTS:
                if min(votes_for, votes_against, votes_abstain) < 0:
                    raise ValidationError({"votes_for": [_("Votes cannot be negative.")]})
                if votes_for + votes_against + votes_abstain > voting_present:
                    raise ValidationError(
                        {
                            "votes_for": [
                                _("%(cast)d votes but only %(present)d voting members signed in.")
                                % {"cast": votes_for + votes_against + votes_abstain, "present": voting_present}
                            ]
                        }
                    )
            else:
                votes_for = votes_against = votes_abstain = 0
            outcome = decide(
                rule,
                voting_present=voting_present,
                voting_invited=voting_invited,
                votes_for=votes_for,
                votes_against=votes_against,
                votes_abstain=votes_abstain,
                consensus=vote_mode == VoteMode.CONSENSUS,
            )
            resolution.votes_for, resolution.votes_against, resolution.votes_abstain = (
                votes_for,
                votes_against,
                votes_abstain,
            )
            resolution.quorum_met, resolution.carried, resolution.arithmetic = (
                outcome.quorum_met,
                outcome.carried,
                outcome.arithmetic,
            )
        resolution.save()
        ResolutionVote.objects.bulk_create(
            ResolutionVote(resolution=resolution, attendance_id=pk, choice=choice) for pk, choice in choices.items()
        )
        verdict = _("carried") if resolution.carried else _("not carried")
        if not rule.takes_resolutions:
            verdict = _("conclusion")
        event(
            meeting,
            "resolution",
            actor=actor,
            text=f"{resolution.text[:200]} · {verdict}",
            resolution=resolution.pk,
            carried=resolution.carried,
        )
        if resolution.carried and convention_version is not None:
            from shuren.conventions.services import adopt_version

            adopt_version(
                actor=actor,
                version=convention_version,
                via="meeting",
                reference=f"{meeting.reference} {meeting.title}"[:200],
                adopted_on=_meeting_date(meeting),
                source=meeting,
            )
            event(meeting, "convention_adopted", actor=actor, text=str(convention_version))
    return resolution


def _named_choices(named: dict[Any, str], voting_attendees: set[int]) -> dict[int, str]:
    try:
        choices = {int(pk): str(choice) for pk, choice in named.items()}
    except (TypeError, ValueError):
        raise ValidationError({"named_votes": [_("Name each vote by the member who cast it.")]}) from None
    if set(choices) - voting_attendees:
        raise ValidationError({"named_votes": [_("Only voting members who signed in may vote.")]})
    missing = voting_attendees - set(choices)
    if missing:
        raise ValidationError(
            {
                "named_votes": [
                    _("Record the vote of every voting member present (%(n)d missing).") % {"n": len(missing)}
                ]
            }
        )
    if any(choice not in Choice.values for choice in choices.values()):
        raise ValidationError({"named_votes": [_("Each vote is for, against or abstain.")]})
    return choices


# --- publication ----------------------------------------------------------------------------------


def publish_meeting(
    *, actor: User, meeting: Meeting, version: int, estates: Iterable[Any] = (), buildings: Iterable[Any] = ()
) -> Meeting:
    """Publish the minutes and resolutions to the meeting's place and, besides, to further estates or
    buildings of the actor's areas; residents living there see them in the portal."""
    from shuren.places.selectors import acting_buildings, acting_estates

    require_manage(actor, meeting)
    target = workflow.require(meeting, "publish", actor=actor)
    if not Minutes.objects.filter(meeting=meeting).exists():
        raise InvalidTransition(_("Write the minutes before publishing."))
    estates, buildings = list(estates), list(buildings)
    allowed_estates = set(acting_estates(actor, "meetings.manage").values_list("pk", flat=True))
    allowed_buildings = set(acting_buildings(actor, "meetings.manage").values_list("pk", flat=True))
    if any(e.pk not in allowed_estates for e in estates) or any(b.pk not in allowed_buildings for b in buildings):
        raise OutOfScope()
    with transaction.atomic():
        update_versioned(Meeting, pk=meeting.pk, version=version, status=target, published_at=now())
        meeting.also_publish_to_estates.set(estates)
        meeting.also_publish_to_buildings.set(buildings)
        places = [meeting.place_label, *(e.name for e in estates), *(str(b) for b in buildings)]
        event(meeting, "published", actor=actor, text=" · ".join(places))
        tell_minutes_published(meeting)
    meeting.refresh_from_db()
    return meeting


# --- links to proposals and the governance list ---------------------------------------------------


def answer_proposal(*, actor: User, item: AgendaItem, kind: str, text: str, publish: bool) -> Any:
    """The meeting's answer to a resident proposal on its agenda, recorded on the proposal."""
    from shuren.proposals.services import answer

    meeting = Meeting.objects.get(pk=item.meeting_id)  # fresh: the caller's copy may be stale
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.PROCEEDINGS, _("Answering a proposal"))
    if item.proposal_id is None:
        raise ValidationError({"kind": [_("This agenda item is not a resident proposal.")]})
    text = required_text(text, "text", _("Write the answer the residents will read."))
    proposal = item.proposal
    assert proposal is not None  # checked above: the item is a resident proposal
    with transaction.atomic():
        # proposals.answer lets the meeting's staff (meetings.manage on it) answer what is on its agenda.
        proposal = answer(actor=actor, proposal=proposal, kind=kind, text=text, publish=publish)
        AgendaItem.objects.filter(pk=item.pk, outcome="").update(outcome=text)
        event(meeting, "proposal_answered", actor=actor, text=proposal.reference, proposal=proposal.pk)
    return proposal


def create_governance_item(*, actor: User, resolution: Resolution, title: str, **fields: Any) -> Any:
    """Put a decision of the meeting on the governance list (治理清单), at the meeting's place."""
    from shuren.governance.services import create_item

    meeting = resolution.meeting
    require_manage(actor, meeting)
    if not can(actor, "governance.manage", meeting):
        raise OutOfScope()
    title = required_text(title, "title", _("Give the item a title."))
    with transaction.atomic():
        item = create_item(
            actor=actor,
            source="meeting",
            meeting=meeting,
            title=title,
            description=fields.pop("description", "") or resolution.text,
            area=meeting.area,
            estate=meeting.estate,
            building=meeting.building,
            unit=meeting.unit,
            **fields,
        )
        event(meeting, "governance_item", actor=actor, text=str(item))
    return item

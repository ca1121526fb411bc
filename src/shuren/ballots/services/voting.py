"""Voting: opening (the electorate is frozen from the registry), votes online by owners and on
paper by staff, closing with the art. 278 tally (a passing matter adopts its convention version),
and cancelling."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.conventions import services as conventions
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, ShurenError, StaleVersion
from shuren.core.scoping import has_action, require
from shuren.people.models import Person

from .. import workflow
from ..electorate import freeze_electorate
from ..models import Ballot, BallotStatus, BallotVote, Matter, VoteChannel, VoteChoice, Voter, VoterPerson
from ..selectors import count_matter
from .base import audit
from .drafting import _check_dates
from .messages import tell_opened, tell_result


class AlreadyVoted(ShurenError):
    """This voter has voted on this matter (perhaps a co-owner, perhaps on paper): votes are final."""

    status = 409
    code = "already-voted"
    default_detail = gettext_lazy("This owner has already voted on this matter.")

    @classmethod
    def for_vote(cls, vote: BallotVote) -> AlreadyVoted:
        when = timezone.localtime(vote.recorded_at).strftime("%Y-%m-%d %H:%M")
        if vote.channel == VoteChannel.PAPER:
            detail = _("This owner's paper ballot (no. %(number)s) was already recorded on %(when)s.") % {
                "number": vote.paper_number or "—",
                "when": when,
            }
        else:
            who = vote.cast_by_person.name if vote.cast_by_person is not None else ""
            detail = _("%(who)s already voted for these dwellings online on %(when)s.") % {
                "who": who or _("A co-owner"),
                "when": when,
            }
        return cls(detail, channel=vote.channel, recorded_at=vote.recorded_at.isoformat())


@transaction.atomic
def open_ballot(*, actor: User, ballot: Ballot, version: int) -> Ballot:
    """Open voting: freeze the electorate from the registry (refused while a dwelling lacks its area)."""
    require(actor, "ballots.manage", ballot)
    status = workflow.require(ballot, "open", actor=actor)
    if not ballot.matters.exists():
        raise ValidationError(_("Add at least one matter before voting opens."))
    _check_dates(ballot)
    # Lock first so that two staff opening at once do not both write an electorate.
    if Ballot.objects.select_for_update().filter(pk=ballot.pk, version=version).first() is None:
        raise StaleVersion()
    voters = freeze_electorate(ballot)
    now = timezone.now()
    ballot.opens_at = ballot.opens_at if ballot.opens_at and ballot.opens_at > now else now
    ballot.version = update_versioned(
        Ballot,
        pk=ballot.pk,
        version=version,
        status=status,
        opens_at=ballot.opens_at,
        total_area=ballot.total_area,
        total_owners=ballot.total_owners,
        electorate_frozen_at=ballot.electorate_frozen_at,
        updated_at=now,
    )
    ballot.status = status
    audit(
        "open",
        actor,
        ballot,
        voters=len(voters),
        total_area=str(ballot.total_area),
        owner_unknown=sum(1 for v in voters if v.owner_unknown),
    )
    tell_opened(ballot)
    return ballot


def _locked_open_ballot(ballot: Ballot) -> Ballot:
    """The ballot row, locked so that closing waits for votes in flight (and votes wait for closing)."""
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if locked.status != BallotStatus.OPEN:
        raise InvalidTransition(_("Voting is not open."))
    if locked.opens_at and locked.opens_at > timezone.now():
        raise InvalidTransition(_("Voting has not started yet."))
    if locked.closes_at <= timezone.now():
        raise InvalidTransition(_("Voting has closed."))
    return locked


def _insert_vote(vote: BallotVote) -> BallotVote:
    existing = BallotVote.objects.filter(matter=vote.matter, voter=vote.voter).select_related("cast_by_person").first()
    if existing is not None:
        raise AlreadyVoted.for_vote(existing)
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError:
        # Someone else (a co-owner, or staff entering paper) committed the same voter's vote first.
        existing = BallotVote.objects.select_related("cast_by_person").get(matter=vote.matter, voter=vote.voter)
        raise AlreadyVoted.for_vote(existing) from None
    return vote


def _check_choice(choice: str) -> str:
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose agree, oppose or abstain.")})
    return choice


@transaction.atomic
def cast_vote(*, actor: User, matter: Matter, voter: Voter, choice: str) -> BallotVote:
    """An owner's own vote online, for all the dwellings of ``voter``. Final once cast."""
    if not has_action(actor, "ballots.vote"):
        raise NotPermitted()
    person = getattr(actor, "person", None)
    if person is None or voter.ballot_id != matter.ballot_id:
        raise OutOfScope()
    if not VoterPerson.objects.filter(voter=voter, person=person).exists():
        raise OutOfScope()
    _check_choice(choice)
    ballot = _locked_open_ballot(matter.ballot)
    vote = _insert_vote(
        BallotVote(
            matter=matter,
            voter=voter,
            choice=choice,
            channel=VoteChannel.ONLINE,
            cast_by_person=person,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
    )
    audit("vote", actor, ballot, matter=matter.pk, voter=voter.pk, channel=VoteChannel.ONLINE)
    return vote


@transaction.atomic
def record_paper_vote(
    *,
    actor: User,
    matter: Matter,
    voter: Voter,
    choice: str,
    paper_number: str,
    cast_by_person: Person | None = None,
) -> BallotVote:
    """Staff enter a signed paper ballot; it never replaces a vote already recorded."""
    require(actor, "ballots.manage", matter.ballot)
    if voter.ballot_id != matter.ballot_id:
        raise ValidationError({"voter": _("This owner is not in this ballot's electorate.")})
    _check_choice(choice)
    paper_number = (paper_number or "").strip()
    if not paper_number:
        raise ValidationError({"paper_number": _("Enter the number printed on the paper ballot.")})
    if cast_by_person is not None and not VoterPerson.objects.filter(voter=voter, person=cast_by_person).exists():
        raise ValidationError({"cast_by_person": _("This person is not a registered owner of these dwellings.")})
    ballot = _locked_open_ballot(matter.ballot)
    vote = _insert_vote(
        BallotVote(
            matter=matter,
            voter=voter,
            choice=choice,
            channel=VoteChannel.PAPER,
            cast_by_person=cast_by_person,
            recorded_by=actor,
            paper_number=paper_number[:40],
            recorded_at=timezone.now(),
        )
    )
    audit("vote.paper", actor, ballot, matter=matter.pk, voter=voter.pk, paper_number=vote.paper_number)
    return vote


def _everyone_voted(ballot: Ballot) -> bool:
    voters = ballot.voters.count()
    return all(m.votes.count() == voters for m in ballot.matters.all())


def _adopt_convention(actor: User, ballot: Ballot, matter: Matter, closed_on: dt.date) -> str:
    """Adopt the convention version a passing matter carries; returns an error text or ""."""
    version = matter.convention_version
    assert version is not None
    try:
        with transaction.atomic():
            conventions.adopt_version(
                actor=actor,
                version=version,
                via="ballot",
                reference=f"{ballot.reference} #{matter.position} {matter.title}"[:200],
                adopted_on=closed_on,
                source=ballot,
            )
    except (ValidationError, ShurenError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        record_event(
            "ballots.adopt_convention",
            actor=actor,
            obj=ballot,
            scope=ballot.scope,
            outcome="failure",
            reason=message[:200],
            detail={"matter": matter.pk},
        )
        return message
    return ""


@transaction.atomic
def close_ballot(*, actor: User, ballot: Ballot, version: int) -> Ballot:
    """Close voting and count every matter (art. 278 double majority). Before the closing time only
    when every owner has voted on every matter. A passing matter adopts its convention version."""
    require(actor, "ballots.manage", ballot)
    status = workflow.require(ballot, "close", actor=actor)
    locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
    now = timezone.now()
    if locked.closes_at > now and not _everyone_voted(locked):
        raise ValidationError(
            _("Voting is open until %(when)s; it can close earlier only when every owner has voted.")
            % {"when": timezone.localtime(locked.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    ballot.version = update_versioned(
        Ballot, pk=ballot.pk, version=version, status=status, closed_at=now, closed_by=actor, updated_at=now
    )
    ballot.status, ballot.closed_at, ballot.closed_by = status, now, actor
    outcome = {}
    for matter in ballot.matters.select_related("rule", "convention_version").order_by("position"):
        matter.ballot = ballot
        matter.result = count_matter(matter)
        matter.passed = matter.result["passed"]
        if matter.passed and matter.convention_version_id:
            problem = _adopt_convention(actor, ballot, matter, timezone.localdate(now))
            matter.result["convention"] = {"version": matter.convention_version_id, "problem": problem}
        matter.save(update_fields=["result", "passed"])
        outcome[matter.position] = matter.passed
    audit("close", actor, ballot, passed={str(k): v for k, v in outcome.items()})
    tell_result(ballot)
    return ballot


@transaction.atomic
def cancel_ballot(*, actor: User, ballot: Ballot, version: int, reason: str) -> Ballot:
    require(actor, "ballots.manage", ballot)
    status = workflow.require(ballot, "cancel", actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ballot is cancelled.")})
    ballot.version = update_versioned(Ballot, pk=ballot.pk, version=version, status=status, updated_at=timezone.now())
    ballot.status = status
    audit("cancel", actor, ballot, reason=reason[:500])
    return ballot

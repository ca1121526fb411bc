"""Every write of ballots: drafting, opening (freezing the electorate), votes online and on paper,
closing (the art. 278 tally) and cancelling.

Each function runs in one transaction, checks the actor's right on the ballot's place
(``ballots.manage`` for staff; for an online vote, that the actor's person is among the voter's
owners), validates with translatable messages, writes through the version check where the ballot
changes state, and records an audit event. A vote is one row per (matter, voter): the database's
unique constraint guarantees that one dwelling never votes twice, whoever tries at the same moment.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, ShurenError, StaleVersion
from shuren.core.scoping import can, has_action, path_covers, require

from . import workflow
from .electorate import freeze_electorate
from .models import (
    RULE_FIELDS,
    Ballot,
    BallotRule,
    BallotStatus,
    BallotVote,
    Matter,
    VoteChannel,
    VoteChoice,
    Voter,
    VoterPerson,
)
from .tally import MAJOR_ITEMS, Share, rule_shares, statutory_floor, tally

BALLOT_FIELDS = (
    "title",
    "description",
    "opens_at",
    "closes_at",
    "organised_by",
    "area",
    "estate",
    "building",
    "unit",
)


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
            who = vote.cast_by_person.name if vote.cast_by_person_id else ""
            detail = _("%(who)s already voted for these dwellings online on %(when)s.") % {
                "who": who or _("A co-owner"),
                "when": when,
            }
        return cls(detail, channel=vote.channel, recorded_at=vote.recorded_at.isoformat())


def _audit(action: str, actor: Any, ballot: Ballot, **detail: Any) -> None:
    record_event(f"ballots.{action}", actor=actor, obj=ballot, scope=ballot.scope, detail=detail)


def default_rule(civil_code_item: int | None) -> BallotRule:
    """The rule of art. 278 for an item: 6-8 are major matters, every other item ordinary."""
    code = "civil-code-278-major" if civil_code_item in MAJOR_ITEMS else "civil-code-278-ordinary"
    return BallotRule.objects.get(code=code)


def _reference(ballot: Ballot) -> str:
    return f"TB{timezone.localdate():%Y}{ballot.pk:06d}"


def _check_dates(ballot: Ballot) -> None:
    errors: dict[str, str] = {}
    now = timezone.now()
    if ballot.closes_at and ballot.opens_at and ballot.closes_at <= ballot.opens_at:
        errors["closes_at"] = _("Voting must close after it opens.")
    elif ballot.closes_at and ballot.closes_at <= now:
        errors["closes_at"] = _("Voting must close in the future.")
    if errors:
        raise ValidationError(errors)


def _check_place(ballot: Ballot) -> None:
    ballot.fill_place()
    if not ballot.estate_id:
        raise ValidationError({"estate": _("A ballot concerns an estate, a building or a stairwell unit: choose one.")})
    ballot.clean_place()


@transaction.atomic
def create_ballot(actor: Any, **fields: Any) -> Ballot:
    """A draft ballot of an estate, building or stairwell unit where the actor manages ballots."""
    ballot = Ballot(created_by=actor, reference=f"T{uuid.uuid4().hex[:12]}")
    for name in BALLOT_FIELDS:
        if name in fields:
            setattr(ballot, name, fields[name])
    _check_place(ballot)
    ballot.fill_place()
    ballot.scope = ballot.placed_scope()
    require(actor, "ballots.manage", ballot)
    _check_dates(ballot)
    ballot.save()
    ballot.reference = _reference(ballot)
    Ballot.objects.filter(pk=ballot.pk).update(reference=ballot.reference)
    _audit("create", actor, ballot, title=ballot.title, place=ballot.place_label)
    return ballot


@transaction.atomic
def update_ballot(actor: Any, ballot: Ballot, *, version: int, **fields: Any) -> Ballot:
    """Change a draft: its title, dates or place (a new place is checked like a new ballot)."""
    require(actor, "ballots.manage", ballot)
    workflow.check(ballot.status, "edit")
    for name in BALLOT_FIELDS:
        if name in fields:
            setattr(ballot, name, fields[name])
    _check_place(ballot)
    ballot.fill_place()
    ballot.scope = ballot.placed_scope()
    require(actor, "ballots.manage", ballot)
    _check_dates(ballot)
    values = {name: getattr(ballot, name) for name in BALLOT_FIELDS}
    ballot.version = update_versioned(
        Ballot, pk=ballot.pk, version=version, scope=ballot.scope, updated_at=timezone.now(), **values
    )
    _audit("update", actor, ballot, fields=sorted(fields))
    return ballot


def _check_rule(rule: BallotRule | None, civil_code_item: int | None) -> BallotRule:
    rule = rule or default_rule(civil_code_item)
    if not rule.is_active:
        raise ValidationError({"rule": _("This rule is no longer in use.")})
    if civil_code_item in MAJOR_ITEMS and not rule.is_major:
        raise ValidationError(
            {"rule": _("Items 6 to 8 of art. 278 are major matters: choose a rule for major matters.")}
        )
    # A rule row changed behind the configuration page is refused too (and the count uses the floor).
    problems = below_statute(rule, major=civil_code_item in MAJOR_ITEMS)
    if problems:
        raise ValidationError({"rule": list(problems.values())})
    return rule


def _share_text(share: Share) -> str:
    if share.strict:
        return _("more than %(share)s") % {"share": share.label}
    return _("at least %(share)s") % {"share": share.label}


def below_statute(rule: Any, *, major: bool | None = None) -> dict[str, str]:
    """Messages (by form field) where ``rule`` asks less than art. 278 para. 2: participation of at
    least 2/3 of the area and of the owners; approval of at least 3/4 for major matters (items 6-8,
    or a rule marked major), more than half for every other matter."""
    participation, approval = rule_shares(rule)
    floor_participation, floor_approval = statutory_floor(major=rule.is_major if major is None else major)
    problems: dict[str, str] = {}
    if not participation.at_least(floor_participation):
        problems["participation_numerator"] = _(
            "Civil Code art. 278 requires owners holding %(floor)s of the area and %(floor)s of the owners "
            "to take part; a rule may ask more, not less (this one asks %(share)s)."
        ) % {"floor": _share_text(floor_participation), "share": _share_text(participation)}
    if not approval.at_least(floor_approval):
        if floor_approval == statutory_floor(major=True)[1]:
            message = _(
                "Civil Code art. 278 requires the agreement of %(floor)s of the participating area and owners "
                "for major matters (items 6 to 8); a rule may ask more, not less (this one asks %(share)s)."
            )
        else:
            message = _(
                "Civil Code art. 278 requires the agreement of %(floor)s of the participating area and owners; "
                "a rule may ask more, not less (this one asks %(share)s)."
            )
        problems["pass_numerator"] = message % {"floor": _share_text(floor_approval), "share": _share_text(approval)}
    return problems


def ballot_covers(ballot: Ballot, placed: Any) -> bool:
    """Whether the ballot's owners are the body that decides for ``placed`` (a convention): its
    place is the ballot's unit, building or estate."""
    if not path_covers(ballot.area.path, placed.scope) and not path_covers(placed.scope, ballot.scope):
        return False
    if ballot.unit_id:
        return placed.unit_id == ballot.unit_id
    if ballot.building_id:
        return placed.building_id == ballot.building_id and not placed.unit_id
    return placed.estate_id == ballot.estate_id and not placed.building_id


def _check_convention_version(actor: Any, ballot: Ballot, convention_version: Any) -> None:
    if convention_version is None:
        return
    convention = convention_version.convention
    if not can(actor, "conventions.view", convention):
        raise ValidationError({"convention_version": _("Choose a convention version you can see.")})
    if not ballot_covers(ballot, convention):
        raise ValidationError(
            {
                "convention_version": _(
                    "The convention must concern the ballot's place: the same estate, building or unit."
                )
            }
        )
    if convention_version.status not in ("draft", "in_discussion"):
        raise ValidationError({"convention_version": _("This convention version has already been decided.")})


@transaction.atomic
def add_matter(
    actor: Any,
    ballot: Ballot,
    *,
    title: str,
    description: str = "",
    civil_code_item: int | None = None,
    rule: BallotRule | None = None,
    convention_version: Any = None,
) -> Matter:
    """Add a question to a draft; without a rule, art. 278 decides by the item (6-8 major)."""
    require(actor, "ballots.manage", ballot)
    workflow.check(ballot.status, "edit")
    rule = _check_rule(rule, civil_code_item)
    _check_convention_version(actor, ballot, convention_version)
    last = ballot.matters.order_by("-position").values_list("position", flat=True).first() or 0
    matter = Matter(
        ballot=ballot,
        position=last + 1,
        title=title,
        description=description,
        civil_code_item=civil_code_item,
        rule=rule,
        convention_version=convention_version,
    )
    matter.full_clean(exclude=["ballot", "rule", "convention_version"])
    matter.save()
    Ballot.objects.filter(pk=ballot.pk).update(updated_at=timezone.now())
    _audit("matter.add", actor, ballot, matter=matter.pk, title=title, rule=rule.code)
    return matter


@transaction.atomic
def update_matter(
    actor: Any,
    matter: Matter,
    *,
    title: str,
    description: str = "",
    civil_code_item: int | None = None,
    rule: BallotRule | None = None,
    convention_version: Any = None,
) -> Matter:
    ballot = matter.ballot
    require(actor, "ballots.manage", ballot)
    workflow.check(ballot.status, "edit")
    matter.rule = _check_rule(rule, civil_code_item)
    _check_convention_version(actor, ballot, convention_version)
    matter.title, matter.description, matter.civil_code_item = title, description, civil_code_item
    matter.convention_version = convention_version
    matter.full_clean(exclude=["ballot", "rule", "convention_version"])
    matter.save()
    _audit("matter.update", actor, ballot, matter=matter.pk, title=title, rule=matter.rule.code)
    return matter


@transaction.atomic
def remove_matter(actor: Any, matter: Matter) -> None:
    ballot = matter.ballot
    require(actor, "ballots.manage", ballot)
    workflow.check(ballot.status, "edit")
    _audit("matter.remove", actor, ballot, matter=matter.pk, title=matter.title)
    matter.delete()


@transaction.atomic
def open_ballot(actor: Any, ballot: Ballot, *, version: int) -> Ballot:
    """Open voting: freeze the electorate from the registry (refused while a dwelling lacks its area)."""
    require(actor, "ballots.manage", ballot)
    status = workflow.check(ballot.status, "open")
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
    _audit(
        "open",
        actor,
        ballot,
        voters=len(voters),
        total_area=str(ballot.total_area),
        owner_unknown=sum(1 for v in voters if v.owner_unknown),
    )
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


def voters_of_user(user: Any, ballot: Ballot) -> list[Voter]:
    """The voters of ``ballot`` for which ``user``'s person is a registered owner."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []
    return list(ballot.voters.filter(owners__person=person).prefetch_related("dwellings__dwelling"))


def _check_choice(choice: str) -> str:
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose agree, oppose or abstain.")})
    return choice


@transaction.atomic
def cast_vote(actor: Any, matter: Matter, *, voter: Voter, choice: str) -> BallotVote:
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
    _audit("vote", actor, ballot, matter=matter.pk, voter=voter.pk, channel=VoteChannel.ONLINE)
    return vote


@transaction.atomic
def record_paper_vote(
    actor: Any, matter: Matter, *, voter: Voter, choice: str, paper_number: str, cast_by_person: Any = None
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
    _audit("vote.paper", actor, ballot, matter=matter.pk, voter=voter.pk, paper_number=vote.paper_number)
    return vote


def count_matter(matter: Matter) -> dict[str, Any]:
    """The tally of one matter from the votes recorded so far."""
    ballot = matter.ballot
    votes = matter.votes.values_list("choice", "voter__area")
    return tally(
        matter.rule,
        civil_code_item=matter.civil_code_item,
        total_area=ballot.total_area,
        total_owners=ballot.total_owners,
        votes=list(votes),
    )


def _everyone_voted(ballot: Ballot) -> bool:
    voters = ballot.voters.count()
    return all(m.votes.count() == voters for m in ballot.matters.all())


def _adopt_convention(actor: Any, ballot: Ballot, matter: Matter, closed_on: dt.date) -> str:
    """Adopt the convention version a passing matter carries; returns an error text or ""."""
    from shuren.conventions import services as conventions

    try:
        with transaction.atomic():
            conventions.adopt_version(
                actor=actor,
                version=matter.convention_version,
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
def close_ballot(actor: Any, ballot: Ballot, *, version: int) -> Ballot:
    """Close voting and count every matter (art. 278 double majority). Before the closing time only
    when every owner has voted on every matter. A passing matter adopts its convention version."""
    require(actor, "ballots.manage", ballot)
    status = workflow.check(ballot.status, "close")
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
    _audit("close", actor, ballot, passed={str(k): v for k, v in outcome.items()})
    return ballot


@transaction.atomic
def cancel_ballot(actor: Any, ballot: Ballot, *, version: int, reason: str) -> Ballot:
    require(actor, "ballots.manage", ballot)
    status = workflow.check(ballot.status, "cancel")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ballot is cancelled.")})
    ballot.version = update_versioned(Ballot, pk=ballot.pk, version=version, status=status, updated_at=timezone.now())
    ballot.status = status
    _audit("cancel", actor, ballot, reason=reason[:500])
    return ballot


# --- rules (configuration) -----------------------------------------------------------------------

STATUTORY_RULES = frozenset({"civil-code-278-ordinary", "civil-code-278-major"})


@transaction.atomic
def save_rule(actor: Any, rule: BallotRule, fields: dict[str, Any]) -> BallotRule:
    """Add or change a (local) rule. The statutory rules of art. 278 keep their thresholds."""
    if not has_action(actor, "ballots.configure"):
        raise NotPermitted()
    if rule.pk and rule.code in STATUTORY_RULES:
        changed = [
            n
            for n in RULE_FIELDS
            if n not in ("name", "legal_basis") and fields.get(n, getattr(rule, n)) != getattr(rule, n)
        ]
        if changed:
            raise ValidationError(_("The thresholds of the Civil Code rules cannot be changed; add a local rule."))
    for name in RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    rule.full_clean()
    problems = below_statute(rule)
    if problems:
        raise ValidationError(problems)
    created = rule.pk is None
    rule.save()
    record_event(
        "ballots.rule.add" if created else "ballots.rule.update",
        actor=actor,
        obj=rule,
        detail={name: str(getattr(rule, name)) for name in RULE_FIELDS},
    )
    return rule


def matters_in_order(ballot: Ballot) -> Iterable[Matter]:
    return ballot.matters.select_related("rule", "convention_version").order_by("position")

"""Drafting a ballot: the ballot itself (place, dates) and its matters, each with the rule that
counts it and, where it decides one, the convention version it would adopt."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.conventions.models import ConventionVersion
from shuren.core.concurrency import update_versioned
from shuren.core.scoping import can, path_covers, require

from .. import workflow
from ..models import Ballot, BallotRule, Matter
from ..selectors import default_rule
from ..tally import MAJOR_ITEMS
from .base import audit
from .rules import below_statute

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
def create_ballot(*, actor: User, **fields: Any) -> Ballot:
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
    audit("create", actor, ballot, title=ballot.title, place=ballot.place_label)
    return ballot


@transaction.atomic
def update_ballot(*, actor: User, ballot: Ballot, version: int, **fields: Any) -> Ballot:
    """Change a draft: its title, dates or place (a new place is checked like a new ballot)."""
    require(actor, "ballots.manage", ballot)
    workflow.require(ballot, "edit", actor=actor)
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
    audit("update", actor, ballot, fields=sorted(fields))
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


def _check_convention_version(actor: User, ballot: Ballot, convention_version: ConventionVersion | None) -> None:
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
    *,
    actor: User,
    ballot: Ballot,
    title: str,
    description: str = "",
    civil_code_item: int | None = None,
    rule: BallotRule | None = None,
    convention_version: ConventionVersion | None = None,
) -> Matter:
    """Add a question to a draft; without a rule, art. 278 decides by the item (6-8 major)."""
    require(actor, "ballots.manage", ballot)
    workflow.require(ballot, "edit", actor=actor)
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
    audit("matter.add", actor, ballot, matter=matter.pk, title=title, rule=rule.code)
    return matter


@transaction.atomic
def update_matter(
    *,
    actor: User,
    matter: Matter,
    title: str,
    description: str = "",
    civil_code_item: int | None = None,
    rule: BallotRule | None = None,
    convention_version: ConventionVersion | None = None,
) -> Matter:
    ballot = matter.ballot
    require(actor, "ballots.manage", ballot)
    workflow.require(ballot, "edit", actor=actor)
    matter.rule = _check_rule(rule, civil_code_item)
    _check_convention_version(actor, ballot, convention_version)
    matter.title, matter.description, matter.civil_code_item = title, description, civil_code_item
    matter.convention_version = convention_version
    matter.full_clean(exclude=["ballot", "rule", "convention_version"])
    matter.save()
    audit("matter.update", actor, ballot, matter=matter.pk, title=title, rule=matter.rule.code)
    return matter


@transaction.atomic
def remove_matter(*, actor: User, matter: Matter) -> None:
    ballot = matter.ballot
    require(actor, "ballots.manage", ballot)
    workflow.require(ballot, "edit", actor=actor)
    audit("matter.remove", actor, ballot, matter=matter.pk, title=matter.title)
    matter.delete()

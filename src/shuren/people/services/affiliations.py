"""Party membership and youth-league profiles (一团员一档案) of residents: affiliations, which only
holders of ``people.view_affiliation`` may see or change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.scoping import path_covers, require

from ..models import LEAGUE_BRANCH_KINDS, PARTY_BRANCH_KINDS, LeagueProfile, PartyMembership, PartyRelation, Person
from ..selectors import branch_scope


def _require_affiliation_write(actor: User, person: Person) -> None:
    require(actor, "people.change_person", person)
    require(actor, "people.view_affiliation", person)


def _check_branch(branch: Any, person: Person, kinds: frozenset[str]) -> None:
    if branch is None:
        return
    if branch.kind not in kinds:
        raise ValidationError({"branch": [_("Choose a branch of the right kind.")]})
    if not path_covers(branch_scope(person), branch.scope):
        raise ValidationError({"branch": [_("The branch must belong to the person's subdistrict.")]})


def save_party_membership(*, actor: User, person: Person, **fields: Any) -> PartyMembership:
    """Record or update a resident's party membership (status, relation, branch, dates, workplace)."""
    _require_affiliation_write(actor, person)
    _check_branch(fields.get("branch"), person, PARTY_BRANCH_KINDS)
    if fields.get("relation") == PartyRelation.IN_SERVICE and not fields.get("workplace"):
        raise ValidationError({"workplace": [_("An in-service member reports from a workplace: enter it.")]})
    with transaction.atomic():
        membership, created = PartyMembership.objects.select_for_update().get_or_create(person=person, defaults=fields)
        if not created:
            for name, value in fields.items():
                setattr(membership, name, value)
        membership.full_clean()
        membership.save()
        record_event(
            "people.party_membership_save",
            actor=actor,
            obj=person,
            detail={"created": created, "status": membership.status, "relation": membership.relation},
        )
    return membership


def remove_party_membership(*, actor: User, person: Person, reason: str) -> None:
    """Remove a membership recorded here (transferred away, recorded in error); the reason is audited."""
    _require_affiliation_write(actor, person)
    if not reason.strip():
        raise ValidationError({"reason": [_("State the reason.")]})
    with transaction.atomic():
        deleted, _rows = PartyMembership.objects.filter(person=person).delete()
        if deleted:
            record_event("people.party_membership_remove", actor=actor, obj=person, reason=reason)


def save_league_profile(*, actor: User, person: Person, **fields: Any) -> LeagueProfile:
    """一团员一档案: record or update a youth-league member's profile."""
    _require_affiliation_write(actor, person)
    _check_branch(fields.get("branch"), person, LEAGUE_BRANCH_KINDS)
    with transaction.atomic():
        profile, created = LeagueProfile.objects.select_for_update().get_or_create(person=person, defaults=fields)
        if not created:
            for name, value in fields.items():
                setattr(profile, name, value)
        profile.full_clean()
        profile.save()
        record_event("people.league_profile_save", actor=actor, obj=person, detail={"created": created})
    return profile

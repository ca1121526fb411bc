"""Registering people and where they live. Every write is scope-checked, validated and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.core.validators import normalize_phone, parse_id_number
from shuren.places.models import Area, AreaKind, Dwelling

from .models import Person, Residence, Visit, id_index_of


def _checked_name_and_phone(name: str, phone: str, errors: dict[str, list[str]]) -> str:
    """The mobile in E.164 ("" when none is given); problems with it or a blank name go into ``errors``."""
    e164 = ""
    if phone:
        try:
            e164 = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if not name.strip():
        errors["name"] = [_("Enter the name.")]
    return e164


def find_by_id_number(id_number: str) -> Person | None:
    """The person already registered with this ID number, anywhere (de-duplication)."""
    number = parse_id_number(id_number).number
    return Person.objects.filter(id_index=id_index_of(number)).first()


def register_person(
    *,
    actor: Any,
    community: Area,
    name: str,
    id_number: str = "",
    phone: str = "",
    gender: str = "",
    ethnicity: str = "汉族",
) -> Person:
    """Register a resident in ``community``. With an ID number, birth date and gender come from it and
    a second registration of the same number anywhere is refused (one person, one record)."""
    require(actor, "people.change_person", community)
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"community": [_("Choose a community.")]})
    errors: dict[str, list[str]] = {}
    birth_date: dt.date | None = None
    number = ""
    if id_number:
        try:
            parsed = parse_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            number, birth_date, gender = parsed.number, parsed.birth_date, parsed.sex
    e164 = _checked_name_and_phone(name, phone, errors)
    if errors:
        raise ValidationError(errors)
    if number and find_by_id_number(number) is not None:
        raise ValidationError(
            {"id_number": [_("A person with this ID number is already registered. Search for them instead.")]}
        )
    try:
        with transaction.atomic():
            person = Person.objects.create(
                community=community,
                name=name.strip(),
                id_number=number,
                phone=e164,
                gender=gender,
                birth_date=birth_date,
                ethnicity=ethnicity,
            )
            record_event("people.person_create", actor=actor, obj=person)
    except IntegrityError:  # registered concurrently by someone else
        raise ValidationError(
            {"id_number": [_("A person with this ID number is already registered. Search for them instead.")]}
        ) from None
    return person


def add_residence(
    *,
    actor: Any,
    person: Person,
    dwelling: Dwelling,
    relation: str,
    status: str,
    from_on: dt.date | None = None,
) -> Residence:
    """Record that ``person`` lives in (or owns) ``dwelling``; their scope follows their home."""
    require(actor, "people.change_person", person)
    require(actor, "people.change_person", dwelling)
    with transaction.atomic():
        residence = Residence(person=person, dwelling=dwelling, relation=relation, status=status, from_on=from_on)
        residence.full_clean()
        residence.save()
        Person.objects.filter(pk=person.pk).update(scope=dwelling.scope)
        record_event("people.residence_add", actor=actor, obj=person, detail={"dwelling": dwelling.pk})
    person.refresh_from_db()
    return residence


def record_visit(
    *,
    actor: Any,
    person: Person | None,
    dwelling: Dwelling | None,
    purpose: str,
    findings: str = "",
    follow_up: str = "",
    visited_on: dt.date | None = None,
) -> Visit:
    """Log a household visit by ``actor`` to a person, a dwelling or both, within their scope."""
    from django.utils import timezone

    if person is None and dwelling is None:
        raise ValidationError({"person": [_("Choose whom or which dwelling you visited.")]})
    for target in (person, dwelling):
        if target is not None:
            require(actor, "people.record_visit", target)
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("A visit cannot be in the future.")]})
    with transaction.atomic():
        visit = Visit.objects.create(
            person=person,
            dwelling=dwelling or _current_dwelling(person),
            visitor=actor,
            visited_on=visited_on,
            purpose=purpose,
            findings=findings,
            follow_up=follow_up,
        )
        record_event("people.visit", actor=actor, obj=visit, detail={"purpose": purpose})
    return visit


def _current_dwelling(person: Person | None) -> Dwelling | None:
    if person is None:
        return None
    residence = person.residences.filter(to_on__isnull=True).select_related("dwelling").first()
    return residence.dwelling if residence else None


def _require_affiliation_write(actor: Any, person: Person) -> None:
    require(actor, "people.change_person", person)
    require(actor, "people.view_affiliation", person)


def _subdistrict_of(person: Person) -> str:
    # A party or league branch of the person's community or of the subdistrict above it: in-service
    # members report to the community where they live, their branch may sit elsewhere nearby.
    return person.community.path.rsplit(".", 1)[0]


def branch_choices(person: Person, kinds: set[str]) -> Any:
    """The branches a resident's party or league record may name."""
    from shuren.core.scoping import scope_q
    from shuren.orgs.models import Organization

    return Organization.objects.filter(kind__in=kinds).filter(scope_q([_subdistrict_of(person)], "scope"))


def _check_branch(branch: Any, person: Person, kinds: set[str]) -> None:
    from shuren.core.scoping import path_covers

    if branch is None:
        return
    if branch.kind not in kinds:
        raise ValidationError({"branch": [_("Choose a branch of the right kind.")]})
    if not path_covers(_subdistrict_of(person), branch.scope):
        raise ValidationError({"branch": [_("The branch must belong to the person's subdistrict.")]})


def save_party_membership(*, actor: Any, person: Person, **fields: Any) -> Any:
    """Record or update a resident's party membership (status, relation, branch, dates, workplace)."""
    from shuren.orgs.models import PARTY_KINDS

    from .models import PartyMembership, PartyRelation

    _require_affiliation_write(actor, person)
    _check_branch(fields.get("branch"), person, {str(k) for k in PARTY_KINDS})
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


def remove_party_membership(*, actor: Any, person: Person, reason: str) -> None:
    """Remove a membership recorded here (transferred away, recorded in error); the reason is audited."""
    from .models import PartyMembership

    _require_affiliation_write(actor, person)
    if not reason.strip():
        raise ValidationError({"reason": [_("State the reason.")]})
    with transaction.atomic():
        deleted, _rows = PartyMembership.objects.filter(person=person).delete()
        if deleted:
            record_event("people.party_membership_remove", actor=actor, obj=person, reason=reason)


def save_league_profile(*, actor: Any, person: Person, **fields: Any) -> Any:
    """一团员一档案: record or update a youth-league member's profile."""
    from shuren.orgs.models import OrganizationKind

    from .models import LeagueProfile

    _require_affiliation_write(actor, person)
    _check_branch(fields.get("branch"), person, {str(OrganizationKind.LEAGUE_BRANCH)})
    with transaction.atomic():
        profile, created = LeagueProfile.objects.select_for_update().get_or_create(person=person, defaults=fields)
        if not created:
            for name, value in fields.items():
                setattr(profile, name, value)
        profile.full_clean()
        profile.save()
        record_event("people.league_profile_save", actor=actor, obj=person, detail={"created": created})
    return profile


def update_person(
    *, actor: Any, person: Person, name: str, phone: str, ethnicity: str, tags: list[Any], keep_tags: list[Any]
) -> Person:
    """Edit a resident's name, mobile, ethnicity and tags. ``keep_tags`` are tags the editor cannot
    see (sensitive ones without the permission): they stay as they are."""
    from .models import PersonTagging

    require(actor, "people.change_person", person)
    errors: dict[str, list[str]] = {}
    e164 = _checked_name_and_phone(name, phone, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = set(person.taggings.values_list("tag_id", flat=True))
        person.name, person.phone, person.ethnicity = name.strip(), e164, ethnicity or "汉族"
        person.save()
        wanted = {tag.pk for tag in tags} | {tag.pk for tag in keep_tags if tag.pk in before}
        person.taggings.exclude(tag_id__in=wanted).delete()
        PersonTagging.objects.bulk_create(
            [PersonTagging(person=person, tag_id=pk) for pk in wanted - before], ignore_conflicts=True
        )
        record_event(
            "people.person_update",
            actor=actor,
            obj=person,
            detail={"tags_added": sorted(wanted - before), "tags_removed": sorted(before - wanted)},
        )
    return person


def end_residence(*, actor: Any, residence: Residence, on: dt.date) -> Residence:
    """The person has moved out (or sold): the residence ends on ``on``. Their scope then follows
    another current home, or falls back to their community."""
    require(actor, "people.change_person", residence.person)
    if residence.to_on is not None:
        raise ValidationError(_("This residence has already ended."))
    if residence.from_on and on < residence.from_on:
        raise ValidationError({"to_on": [_("A residence cannot end before it began.")]})
    with transaction.atomic():
        Residence.objects.filter(pk=residence.pk).update(to_on=on)
        person = residence.person
        current = person.residences.filter(to_on__isnull=True).select_related("dwelling").first()
        Person.objects.filter(pk=person.pk).update(scope=current.dwelling.scope if current else person.community.path)
        record_event("people.residence_end", actor=actor, obj=person, detail={"dwelling": residence.dwelling_id})
    residence.refresh_from_db()
    return residence

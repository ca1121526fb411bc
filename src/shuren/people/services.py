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
    e164 = ""
    if phone:
        try:
            e164 = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if not name.strip():
        errors["name"] = [_("Enter the name.")]
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

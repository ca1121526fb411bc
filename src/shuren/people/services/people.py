"""Registering people and editing their record. Every write is scope-checked, validated and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.core.validators import normalize_phone, parse_id_number
from shuren.places.models import Area, AreaKind

from ..models import Person, PersonTagging, id_index_of


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
    actor: User,
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


def update_person(
    *, actor: User, person: Person, name: str, phone: str, ethnicity: str, tags: list[Any], keep_tags: list[Any]
) -> Person:
    """Edit a resident's name, mobile, ethnicity and tags. ``keep_tags`` are tags the editor cannot
    see (sensitive ones without the permission): they stay as they are."""
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

"""Where people live: a residence begins and ends; the person's scope follows their home."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.places.models import Dwelling

from ..models import Person, Residence


def add_residence(
    *,
    actor: User,
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


def end_residence(*, actor: User, residence: Residence, on: dt.date) -> Residence:
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

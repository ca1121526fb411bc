"""Household visits (走访): who visited whom, or which dwelling, and what they found."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.places.models import Dwelling

from ..models import Person, Visit


def record_visit(
    *,
    actor: User,
    person: Person | None,
    dwelling: Dwelling | None,
    purpose: str,
    findings: str = "",
    follow_up: str = "",
    visited_on: dt.date | None = None,
) -> Visit:
    """Log a household visit by ``actor`` to a person, a dwelling or both, within their scope."""
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

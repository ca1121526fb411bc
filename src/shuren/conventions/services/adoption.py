"""Adoption, called by meetings and ballots: a version comes into force and supersedes the one before
it; the database holds at most one adopted version per convention (a partial unique constraint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import can
from shuren.core.validators import required_text
from shuren.people.residency import place_covers

from .. import workflow
from ..models import AdoptedVia, Convention, ConventionStatus, ConventionVersion, VersionStatus
from .base import current_time, locked_version

V = VersionStatus
UNDECIDED = workflow.UNDECIDED


def adopt_version(
    *,
    actor: User,
    version: ConventionVersion,
    via: str,
    reference: str,
    adopted_on: dt.date,
    source: Any = None,
) -> ConventionVersion:
    """Adopt ``version``: it comes into force and is published; the version in force until now is
    superseded; the convention is in force.

    Called by the meetings app when a resolution linked to the version carries, and by the ballots
    app when a matter linked to it passes. Those apps have authorised the act, so the caller's
    conventions.manage is not checked. Refused: a version already decided, or one whose convention
    lies outside the deciding body's place — ``source`` (the meeting or the ballot) when given,
    otherwise the places where ``actor`` may manage meetings (or ballots)."""
    if via not in AdoptedVia.values:
        raise ValidationError({"via": [_("A convention is adopted by a meeting or an owners' ballot.")]})
    reference = required_text(reference, "reference", _("Name the resolution or ballot that adopted it."), limit=200)
    if not isinstance(adopted_on, dt.date):
        raise ValidationError({"adopted_on": [_("Give the date of adoption.")]})
    convention = version.convention
    if source is not None:
        if not place_covers(source, convention):
            raise ValidationError(_("This convention belongs to another place than the meeting or ballot."))
    elif not can(actor, "meetings.manage" if via == AdoptedVia.MEETING else "ballots.manage", convention):
        raise ValidationError(_("This convention belongs to another place than the meeting or ballot."))
    now = current_time()
    with transaction.atomic():
        locked_convention = Convention.objects.select_for_update().get(pk=convention.pk)
        locked = locked_version(version)
        target = workflow.require(locked, "adopt", actor=actor)
        if locked_convention.status == ConventionStatus.REPEALED:
            raise InvalidTransition(_("The convention is repealed."))
        previous = locked_convention.versions.filter(status=V.ADOPTED).exclude(pk=locked.pk)
        superseded = list(previous.values_list("number", flat=True))
        # First the old one steps down: the database allows one adopted version at a time.
        previous.update(status=V.SUPERSEDED, updated_at=now)
        locked.status = target
        locked.adopted_via = via
        locked.adopted_reference = reference
        locked.adopted_on = adopted_on
        locked.published_at = now
        locked.decided_at = now
        locked.save(
            update_fields=[
                "status",
                "adopted_via",
                "adopted_reference",
                "adopted_on",
                "published_at",
                "decided_at",
                "updated_at",
            ]
        )
        Convention.objects.filter(pk=locked_convention.pk).update(
            status=ConventionStatus.IN_FORCE, version=F("version") + 1, updated_at=now
        )
        record_event(
            "conventions.adopt",
            actor=actor,
            obj=locked_convention,
            detail={"number": locked.number, "via": via, "reference": reference, "superseded": superseded},
        )
    locked.convention.refresh_from_db()
    return locked

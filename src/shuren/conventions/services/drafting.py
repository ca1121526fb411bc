"""Staff (conventions.manage) draft a convention for a place; each change is a new version that starts
from the text in force. A draft is edited, opened for discussion, or recorded as not adopted; a
convention in force may be repealed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition
from shuren.core.validators import required_text
from shuren.places.models import Area, Building, Estate, Unit

from .. import workflow
from ..models import Convention, ConventionStatus, ConventionVersion, VersionStatus
from .base import bump, current_time, locked_version, require_manage

V = VersionStatus
UNDECIDED = workflow.UNDECIDED


def create_convention(
    *,
    actor: User,
    title: str,
    text: str,
    area: Area,
    estate: Estate | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
    change_summary: str = "",
) -> Convention:
    """A new convention for a place, with its first version as a draft."""
    title = required_text(title, "title", _("Give the convention a title."), limit=100)
    text = required_text(text, "text", _("Write the text of the convention."), limit=20000)
    convention = Convention(title=title, area=area, estate=estate, building=building, unit=unit, created_by=actor)
    convention.clean_place()
    convention.scope = convention.placed_scope()
    require_manage(actor, convention)
    with transaction.atomic():
        convention.save()
        ConventionVersion.objects.create(
            convention=convention,
            number=1,
            text=text,
            change_summary=(change_summary or "").strip()[:300] or _("First version"),
            drafted_by=actor,
        )
        record_event("conventions.create", actor=actor, obj=convention, detail={"title": title})
    return convention


def start_version(*, actor: User, convention: Convention, change_summary: str) -> ConventionVersion:
    """A new draft version, starting from the text in force (or the latest version's text when none
    is in force yet). Only one version may be undecided at a time."""
    require_manage(actor, convention)
    if convention.status == ConventionStatus.REPEALED:
        raise InvalidTransition(_("The convention is repealed."))
    change_summary = required_text(change_summary, "change_summary", _("Say what the new version changes."), limit=300)
    with transaction.atomic():
        locked = Convention.objects.select_for_update().get(pk=convention.pk)
        if locked.versions.filter(status__in=UNDECIDED).exists():
            raise InvalidTransition(_("Decide on the open draft before starting another version."))
        base = locked.current_version or locked.versions.order_by("-number").first()
        number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = ConventionVersion.objects.create(
            convention=locked,
            number=number,
            text=base.text if base else "",
            change_summary=change_summary,
            drafted_by=actor,
        )
        Convention.objects.filter(pk=locked.pk).update(version=F("version") + 1)
        record_event("conventions.version_start", actor=actor, obj=locked, detail={"number": number})
    return version


def edit_draft(*, actor: User, version: ConventionVersion, text: str, change_summary: str) -> ConventionVersion:
    """Change a draft's text; a version in discussion is frozen so everyone comments on the same text."""
    require_manage(actor, version.convention)
    text = required_text(text, "text", _("Write the text of the convention."), limit=20000)
    with transaction.atomic():
        locked = locked_version(version)
        workflow.require(locked, "edit", actor=actor)
        locked.text = text
        locked.change_summary = (change_summary or "").strip()[:300]
        locked.save(update_fields=["text", "change_summary", "updated_at"])
        record_event("conventions.draft_edit", actor=actor, obj=locked.convention, detail={"number": locked.number})
    return locked


def open_discussion(*, actor: User, version: ConventionVersion) -> ConventionVersion:
    """Put a draft before the residents of the place for comment."""
    require_manage(actor, version.convention)
    with transaction.atomic():
        locked = locked_version(version)
        locked.status = workflow.require(locked, "open_discussion", actor=actor)
        locked.discussion_opened_at = current_time()
        locked.save(update_fields=["status", "discussion_opened_at", "updated_at"])
        record_event(
            "conventions.open_discussion", actor=actor, obj=locked.convention, detail={"number": locked.number}
        )
    return locked


def reject_version(*, actor: User, version: ConventionVersion, reason: str) -> ConventionVersion:
    """The version is not adopted (the meeting voted it down, or the draft is abandoned)."""
    require_manage(actor, version.convention)
    reason = required_text(reason, "reason", _("Say why the version is not adopted."), limit=300)
    with transaction.atomic():
        locked = locked_version(version)
        locked.status = workflow.require(locked, "reject", actor=actor)
        locked.rejection_reason = reason
        locked.decided_at = current_time()
        locked.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
        record_event(
            "conventions.reject", actor=actor, obj=locked.convention, reason=reason, detail={"number": locked.number}
        )
    return locked


def repeal_convention(
    *, actor: User, convention: Convention, reason: str, repealed_on: dt.date | None = None, version: int | None = None
) -> Convention:
    """The convention no longer applies; its history stays readable."""
    require_manage(actor, convention)
    reason = required_text(
        reason, "reason", _("Say why (and by which decision) the convention is repealed."), limit=300
    )
    if convention.status != ConventionStatus.IN_FORCE:
        raise InvalidTransition(_("Only a convention in force can be repealed."))
    with transaction.atomic():
        now = current_time()
        convention.versions.filter(status=V.ADOPTED).update(status=V.SUPERSEDED, updated_at=now)
        convention.versions.filter(status__in=UNDECIDED).update(
            status=V.REJECTED, rejection_reason=_("The convention was repealed."), decided_at=now, updated_at=now
        )
        bump(
            convention,
            version,
            status=ConventionStatus.REPEALED,
            repealed_on=repealed_on or timezone.localdate(),
            repeal_reason=reason,
            updated_at=now,
        )
        record_event("conventions.repeal", actor=actor, obj=convention, reason=reason)
    return convention

"""The handling organisation: take up, return, record progress, resolve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.validators import required_text
from shuren.core.workdays import WorkingCalendar

from ..models import (
    Appeal,
    EventKind,
    PhotoStage,
    Status,
)
from .base import _apply, _desk_of, _event, _now, status_label, tell_reporter, tell_staff, words
from .photos import save_photos
from .publication import on_resolution


def take_up_appeal(*, actor: User, appeal: Appeal, version: int, note: str = "") -> Appeal:
    """签收: the handler confirms it is on the case; this is the "response" the response rate counts."""
    now = _now()
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="take_up",
            actor=actor,
            changes=_responded(appeal, now),
            event_kind=EventKind.TAKE_UP,
            organization=appeal.organization,
            note=note.strip(),
        )
        tell_reporter(
            appeal,
            "progress",
            lambda: _("%(org)s has taken up appeal %(ref)s.") % {"org": appeal.organization, "ref": appeal.reference},
            actor=actor,
            params=lambda: {"status": status_label(appeal)},
        )
    return appeal


def _responded(appeal: Appeal, now: dt.datetime) -> dict[str, Any]:
    if appeal.responded_at is not None:
        return {}
    on_time = appeal.response_due_at is None or now <= appeal.response_due_at
    return {"responded_at": now, "responded_on_time": on_time}


def return_appeal(*, actor: User, appeal: Appeal, version: int, reason: str) -> Appeal:
    """退单: the organisation says the appeal is not theirs; it goes back to the desk."""
    reason = required_text(reason, "reason", _("Say why this is not for your organisation."))
    organization = appeal.organization
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="return",
            actor=actor,
            changes={"organization": None, "response_due_at": None, "contact_shared": False},
            event_kind=EventKind.RETURN,
            organization=organization,
            note=reason,
            is_public=False,
        )
        tell_staff(
            _desk_of(appeal),
            appeal,
            "returned",
            lambda: (
                _("%(org)s returned appeal %(ref)s: %(reason)s")
                % {"org": organization, "ref": appeal.reference, "reason": reason}
            ),
            actor=actor,
        )
    return appeal


def record_progress(*, actor: User, appeal: Appeal, version: int, note: str, public: bool = True) -> Appeal:
    note = required_text(note, "note", _("Write what has been done."))
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="progress",
            actor=actor,
            changes={},
            event_kind=EventKind.PROGRESS,
            organization=appeal.organization,
            note=note,
            is_public=public,
        )
        if public:  # the reporter reads public progress notes on the appeal's page
            tell_reporter(
                appeal,
                "progress",
                lambda: _("News of appeal %(ref)s: %(note)s") % {"ref": appeal.reference, "note": note},
                actor=actor,
                params=lambda: {"status": status_label(appeal)},
            )
    return appeal


def resolve_appeal(
    *, actor: User, appeal: Appeal, version: int, resolution: str, photos: Sequence[UploadedFile] = ()
) -> Appeal:
    """办结: the handler replies to the reporter. The reporter (and those of merged appeals) is
    asked to rate; the appeals merged into this one are resolved with the same reply."""
    resolution = required_text(resolution, "resolution", _("Write the reply the reporter will read."))
    now = _now()
    hours = WorkingCalendar().working_hours_between(appeal.submitted_at, now)
    changes = {
        **_responded(appeal, now),
        "resolution": resolution,
        "resolved_at": now,
        # Handling time runs to the first resolution (docs/appeals.md); a reopen does not restart it.
        "handling_hours": appeal.handling_hours if appeal.handling_hours is not None else round(hours, 2),
        "resolved_on_time": appeal.resolution_due_at is None or now <= appeal.resolution_due_at,
        # Never published at once: the desk reviews the redacted text first (services.publication).
        **on_resolution(appeal),
        "public_reply": "",
    }
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="resolve",
            actor=actor,
            changes=changes,
            event_kind=EventKind.RESOLVE,
            organization=appeal.organization,
            note=resolution,
        )
        if photos:
            save_photos(actor=actor, appeal=appeal, uploads=photos, stage=PhotoStage.RESOLUTION)
        # Each reporter is asked about the appeal they made (the one they can open and rate). Merged
        # appeals already resolved by an earlier resolution (before a reopen) keep their outcome.
        for resolved in [appeal, *appeal.merged.filter(status=Status.MERGED).select_related("reporter")]:
            if resolved.pk != appeal.pk:
                Appeal.objects.filter(pk=resolved.pk).update(
                    status=Status.RESOLVED, resolution=resolution, resolved_at=now, version=F("version") + 1
                )
                _event(
                    resolved,
                    EventKind.RESOLVE,
                    actor=actor,
                    from_status=Status.MERGED,
                    to_status=Status.RESOLVED,
                    note=resolution,
                    via=appeal.pk,
                )
            tell_reporter(
                resolved,
                "resolved",
                words(
                    gettext_lazy("Appeal %(ref)s has been resolved. Please tell us whether it is solved."),
                    ref=resolved.reference,
                ),
                actor=actor,
            )
    return appeal

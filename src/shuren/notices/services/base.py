"""What the notices' services share: checking texts, places and targets, and the audit record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.auditing import record_event
from shuren.core.errors import OutOfScope
from shuren.core.photos import clean_photo
from shuren.core.scoping import path_covers
from shuren.orgs.models import Organization
from shuren.people.models import PersonTag

from .. import selectors
from ..models import Notice

MAX_PHOTOS = 6
PDF_MAGIC = b"%PDF-"


def audit(action: str, *, actor: User | None, notice: Notice, **detail: Any) -> None:
    record_event(f"notices.{action}", actor=actor, obj=notice, detail={k: str(v) for k, v in detail.items()})


def required_text(value: str, field: str, message: str, *, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > limit:
        raise ValidationError({field: [_("At most %(limit)d characters.") % {"limit": limit}]})
    return value


def check_place(actor: User, notice: Notice) -> None:
    """The place must lie where the actor writes: their areas, or (a building leader) a building
    they lead. Anything else answers 404, as if it did not exist."""
    notice.clean_place()
    found = selectors.reach(actor, selectors.WRITE)
    if notice.building is not None:
        if not found.covers(notice.building.scope, notice.building.pk):
            raise OutOfScope()
        return
    if not any(path_covers(p, notice.area.path) for p in found.paths):
        raise OutOfScope()


def check_targets(
    actor: User, *, tags: Iterable[PersonTag], roles: Sequence[str], organizations: Iterable[Organization]
) -> None:
    unknown = set(roles) - set(selectors.TARGET_ROLES)
    if unknown:
        raise ValidationError({"roles": [_("Choose among the roles offered.")]})
    allowed = set(selectors.target_organizations(actor).values_list("pk", flat=True))
    if any(org.pk not in allowed for org in organizations):
        raise OutOfScope()
    known = set(PersonTag.objects.values_list("pk", flat=True))
    if any(tag.pk not in known for tag in tags):
        raise ValidationError({"tags": [_("Choose among the tags offered.")]})


def clean_photos(uploads: Sequence[UploadedFile]) -> list[tuple[bytes, int, int]]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("At most %(count)d photos.") % {"count": MAX_PHOTOS}]})
    return [clean_photo(upload) for upload in uploads]


def clean_pdf(upload: UploadedFile | None) -> tuple[bytes, str] | None:
    """A PDF checked by its content (not its name or the browser's word) and its size."""
    if upload is None:
        return None
    limit = int(settings.SHUREN_NOTICE_MAX_PDF_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"attachment": [_("The PDF is larger than %(mb)d MB.") % {"mb": max(1, limit // (1024 * 1024))}]}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {"attachment": [_("The PDF is larger than %(mb)d MB.") % {"mb": max(1, limit // (1024 * 1024))}]}
        )
    if not data.startswith(PDF_MAGIC) or b"%%EOF" not in data[-2048:]:
        raise ValidationError({"attachment": [_("This file is not a PDF document.")]})
    name = (upload.name or "notice.pdf").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:100]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return data, name

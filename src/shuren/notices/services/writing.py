"""Writing notices: a draft made, edited or deleted, with its photos and its PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.orgs.models import Organization
from shuren.people.models import PersonTag
from shuren.places.models import Area, Building, Estate, Unit

from .. import selectors, workflow
from ..models import Notice, NoticePhoto, Urgency
from .base import audit, check_place, check_targets, clean_pdf, clean_photos, required_text


def _fill(
    notice: Notice,
    *,
    actor: User,
    title: str,
    body: str,
    urgency: str,
    publish_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    is_public: bool,
    area: Area | None,
    estate: Estate | None,
    building: Building | None,
    unit: Unit | None,
    roles: Sequence[str],
) -> None:
    notice.title = required_text(title, "title", _("Give the notice a title."), limit=120)
    notice.body = required_text(body, "body", _("Write the notice."), limit=4000)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": [_("Choose normal or urgent.")]})
    notice.urgency = urgency
    now = timezone.now()
    if publish_at is not None and publish_at <= now:
        publish_at = None  # "now"
    if ends_at is not None and ends_at <= (publish_at or now):
        raise ValidationError({"ends_at": [_("The end must come after the publication.")]})
    notice.publish_at, notice.ends_at, notice.is_public = publish_at, ends_at, bool(is_public)
    if area is None and estate is None and building is None and unit is None:
        raise ValidationError({"area": [_("Choose where the notice goes.")]})
    notice.estate, notice.building, notice.unit = estate, building, unit
    if area is not None:
        notice.area = area
    else:  # completed from the estate, building or unit
        notice.area_id = None  # type: ignore[assignment]
    check_place(actor, notice)
    notice.roles = sorted(set(roles))


def create_notice(
    *,
    actor: User,
    title: str,
    body: str,
    urgency: str = Urgency.NORMAL,
    publish_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    is_public: bool = False,
    area: Area | None = None,
    estate: Estate | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
    tags: Sequence[PersonTag] = (),
    roles: Sequence[str] = (),
    organizations: Sequence[Organization] = (),
    photos: Sequence[UploadedFile] = (),
    attachment: UploadedFile | None = None,
) -> Notice:
    """A draft notice, in the actor's reach (404 outside it)."""
    notice = Notice(author=actor)
    _fill(
        notice,
        actor=actor,
        title=title,
        body=body,
        urgency=urgency,
        publish_at=publish_at,
        ends_at=ends_at,
        is_public=is_public,
        area=area,
        estate=estate,
        building=building,
        unit=unit,
        roles=roles,
    )
    check_targets(actor, tags=tags, roles=roles, organizations=organizations)
    cleaned = clean_photos(photos)
    pdf = clean_pdf(attachment)
    with transaction.atomic():
        if pdf is not None:
            notice.attachment.save("notice.pdf", ContentFile(pdf[0]), save=False)
            notice.attachment_name = pdf[1]
        notice.save()
        notice.tags.set(tags)
        notice.organizations.set(organizations)
        _save_photos(notice, cleaned)
        audit("create", actor=actor, notice=notice, place=notice.place_label, photos=len(cleaned))
    return notice


def update_notice(
    *,
    actor: User,
    notice: Notice,
    version: int,
    tags: Sequence[PersonTag] = (),
    organizations: Sequence[Organization] = (),
    photos: Sequence[UploadedFile] = (),
    attachment: UploadedFile | None = None,
    remove_attachment: bool = False,
    **fields: Any,
) -> Notice:
    """Change a draft (only a draft: a published notice is withdrawn and written anew)."""
    workflow.require(notice, "edit", actor=actor)
    probe = Notice.objects.get(pk=notice.pk)
    _fill(probe, actor=actor, **fields)
    check_targets(actor, tags=tags, roles=fields.get("roles", ()), organizations=organizations)
    cleaned = clean_photos(photos)
    pdf = clean_pdf(attachment)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        workflow.require(locked, "edit", actor=actor)
        changes: dict[str, Any] = {
            name: getattr(probe, name)
            for name in ("title", "body", "urgency", "publish_at", "ends_at", "is_public", "roles")
        }
        changes.update(
            area=probe.area, estate=probe.estate, building=probe.building, unit=probe.unit, scope=probe.placed_scope()
        )
        if pdf is not None:
            locked.attachment.save("notice.pdf", ContentFile(pdf[0]), save=False)
            changes.update(attachment=locked.attachment.name, attachment_name=pdf[1])
        elif remove_attachment:
            changes.update(attachment="", attachment_name="")
        update_versioned(Notice, pk=notice.pk, version=version, **changes)
        locked.refresh_from_db()
        locked.tags.set(tags)
        locked.organizations.set(organizations)
        _save_photos(locked, cleaned)
        audit("edit", actor=actor, notice=locked, photos=len(cleaned))
    return locked


def delete_draft(*, actor: User, notice: Notice) -> None:
    workflow.require(notice, "delete", actor=actor)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        workflow.require(locked, "delete", actor=actor)
        audit("delete", actor=actor, notice=locked, title=locked.title)
        locked.photos.all().delete()
        locked.delete()


def remove_photo(*, actor: User, notice: Notice, photo_pk: int) -> None:
    workflow.require(notice, "edit", actor=actor)
    selectors.photos_of(notice).filter(pk=photo_pk).delete()


def _save_photos(notice: Notice, cleaned: list[tuple[bytes, int, int]]) -> None:
    for data, width, height in cleaned:
        photo = NoticePhoto(notice=notice, width=width, height=height)
        photo.image.save("photo.jpg", ContentFile(data), save=False)
        photo.save()

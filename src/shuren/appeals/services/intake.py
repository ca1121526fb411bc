"""Intake: recording a new appeal on any channel, and its photos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import has_action, path_covers, scope_paths
from shuren.core.validators import normalize_phone
from shuren.core.workdays import WorkingCalendar
from shuren.people.models import Person
from shuren.places.models import AreaKind

from .. import workflow
from ..duplicates import terms_of
from ..models import (
    Appeal,
    AppealPhoto,
    Category,
    Channel,
    EventKind,
    IntakePolicy,
    Level,
    PhotoStage,
    Status,
)
from .base import STAFF_CHANNELS, AppealLocation, _event, _now
from .photos import save_photos


def submit_appeal(
    *,
    actor: User,
    category: Category,
    description: str,
    location: AppealLocation,
    channel: str = Channel.PORTAL,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    is_anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_person: Person | None = None,
    photos: Sequence[UploadedFile] = (),
    submitted_at: dt.datetime | None = None,
) -> Appeal:
    """Record a new appeal on any channel and start its resolution clock.

    A resident reports for themselves (they become the reporter and can rate the outcome); staff,
    grid workers and building leaders record appeals for others (phone calls, patrols, stairwell
    rounds), naming the reporter if there is one. Anonymous appeals are accepted only where the
    community allows them, and then nobody sees who reported.
    """
    _require_reporting(actor, "appeals.report", location)
    errors: dict[str, list[str]] = {}
    description = (description or "").strip()
    if len(description) < 5:
        errors["description"] = [_("Describe the problem in a few words (at least 5 characters).")]
    has_children = getattr(category, "has_children", None)  # selectors.category_by_code knows it already
    if not category.is_active or (category.children.exists() if has_children is None else has_children):
        errors["category"] = [_("Choose a specific category.")]
    staff_entry = channel in STAFF_CHANNELS
    if staff_entry:
        _require_reporting(actor, "appeals.record", location)
    if is_anonymous:
        policy = IntakePolicy.objects.filter(community=location.community).first()
        if not (policy and policy.allow_anonymous):
            errors["is_anonymous"] = [_("This community does not accept anonymous appeals.")]
    phone = ""
    if reporter_phone:
        try:
            phone = normalize_phone(reporter_phone)
        except ValidationError as exc:
            errors["reporter_phone"] = list(exc.messages)
    if (latitude is None) != (longitude is None):
        errors["latitude"] = [_("Give both latitude and longitude, or neither.")]
    if len(photos) > _max_photos():
        errors["photos"] = [_("At most %(count)d photos.") % {"count": _max_photos()}]
    if errors:
        raise ValidationError(errors)

    reporter = None if staff_entry or not getattr(actor, "is_authenticated", False) else actor
    if staff_entry and reporter_person is not None and reporter_person.user_id and not is_anonymous:
        # A building leader collecting for a resident who has an account: the resident follows and rates it.
        reporter = reporter_person.user
    reporter_person_id = reporter_person.pk if reporter_person is not None else None
    if reporter is not None and reporter_person is None:
        reporter_person_id = Person.objects.filter(user=reporter).values_list("pk", flat=True).first()
    submitted_at = submitted_at or _now()
    # Inside a caller's transaction (an API request's), a savepoint is needed only where a step can
    # be refused halfway and the caller go on (a photo that cannot be read); any other failure here
    # ends the caller's transaction too.
    with transaction.atomic(savepoint=bool(photos)):
        appeal = Appeal(
            reference="",
            category=category,
            description=description,
            channel=channel,
            # Filed under the community (an estate's common areas): the community's desk answers it.
            level=Level.COMMUNITY if location.area.kind == AreaKind.COMMUNITY else Level.GRID,
            area=location.area,
            estate=location.estate,
            building=location.building,
            dwelling=location.dwelling,
            address=address.strip()[:200],
            latitude=latitude,
            longitude=longitude,
            reporter=reporter,
            reporter_person_id=None if is_anonymous else reporter_person_id,
            reporter_name="" if is_anonymous else reporter_name.strip()[:50],
            reporter_phone="" if is_anonymous else phone,
            is_anonymous=is_anonymous,
            recorded_by=actor if staff_entry else None,
            submitted_at=submitted_at,
            resolution_due_at=WorkingCalendar().add_working_hours(submitted_at, category.resolution_hours),
            terms=" ".join(terms_of(description)),
            scope=location.area.path,
        )
        appeal.pk = _next_appeal_number()
        if appeal.pk is not None:
            # The number drawn first: the row is written once, with its reference.
            appeal.reference = reference_for(appeal)
            appeal.save(force_insert=True)
        else:
            appeal.reference = f"P{appeal.token[:10]}"  # replaced below once the row has its number
            appeal.save()
            appeal.reference = reference_for(appeal)
            Appeal.objects.filter(pk=appeal.pk).update(reference=appeal.reference)
        if photos:
            save_photos(actor=actor, appeal=appeal, uploads=photos, stage=PhotoStage.REPORT)
        _event(appeal, EventKind.SUBMIT, actor=actor, to_status=Status.SUBMITTED, at=submitted_at, channel=channel)
        record_event("appeals.submit", actor=actor, obj=appeal, detail={"channel": channel, "category": category.code})
        from ..tasks import schedule_deadline_reminders

        schedule_deadline_reminders(appeal)
    return appeal


def _require_reporting(actor: User, action: str, location: AppealLocation) -> None:
    """People report anywhere in their own community: a resident of grid 1 may report the
    estate's garden (filed under the community) or a building of grid 2."""
    community = location.community.path
    paths = scope_paths(actor, action)
    if not any(path_covers(p, location.area.path) or path_covers(community, p) for p in paths):
        if has_action(actor, action):
            raise OutOfScope()
        raise NotPermitted()


def _next_appeal_number() -> int | None:
    """The next appeal's id from its sequence (PostgreSQL), so that the row is inserted with its
    reference instead of inserted and then updated; None where the database numbers rows only as it
    inserts them (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Appeal._meta.db_table])
        return int(cursor.fetchone()[0])


def reference_for(appeal: Appeal) -> str:
    """The number people quote on the phone: date and running number, e.g. 20261123-000042."""
    return f"{timezone.localtime(appeal.submitted_at):%Y%m%d}-{appeal.pk:06d}"


def _max_photos() -> int:
    from django.conf import settings

    return int(settings.SHUREN_APPEAL_MAX_PHOTOS)


def add_photos(*, actor: User, appeal: Appeal, photos: Sequence[UploadedFile], stage: str) -> list[AppealPhoto]:
    """Attach photos (the reporter's, or the handler's proof of resolution)."""
    if not (
        workflow.is_reporter(actor, appeal)
        or workflow.is_handler(actor, appeal)
        or workflow.is_dispatcher(actor, appeal)
    ):
        raise NotPermitted()
    if appeal.photos.count() + len(photos) > _max_photos():
        raise ValidationError({"photos": [_("At most %(count)d photos.") % {"count": _max_photos()}]})
    with transaction.atomic():
        saved = save_photos(actor=actor, appeal=appeal, uploads=photos, stage=stage)
        record_event("appeals.photo_add", actor=actor, obj=appeal, detail={"count": len(saved), "stage": stage})
    return saved

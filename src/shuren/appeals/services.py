"""Every write to an appeal. Each action is one transaction: check the transition and the actor,
change the row only from the version the actor read (two dispatchers cannot both dispatch), write
the timeline event and the audit record, and queue the notifications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, has_action, path_covers, scope_paths
from shuren.core.validators import normalize_phone
from shuren.core.workdays import WorkingCalendar
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate

from . import workflow
from .duplicates import terms_of
from .models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    AppealPhoto,
    Category,
    Channel,
    EventKind,
    IntakePolicy,
    Level,
    Notification,
    PhotoStage,
    Status,
)
from .photos import save_photos

STAFF_CHANNELS = {Channel.PHONE, Channel.HOTLINE, Channel.PATROL, Channel.BUILDING_LEADER, Channel.VISIT}


class AppealLocation:
    """Where an appeal is: the most precise place given decides the others."""

    def __init__(
        self,
        *,
        area: Area | None = None,
        estate: Estate | None = None,
        building: Building | None = None,
        dwelling: Dwelling | None = None,
    ) -> None:
        if dwelling is not None:
            building = dwelling.unit.building
        if building is not None:
            estate = building.estate
            area = building.grid or estate.community
        if estate is not None and area is None:
            area = estate.community
        if area is None:
            raise ValidationError(
                {"area": [_("Say where the problem is: a dwelling, a building, an estate or an area.")]}
            )
        if area.kind not in (AreaKind.GRID, AreaKind.COMMUNITY):
            raise ValidationError({"area": [_("Choose a community or a grid.")]})
        if estate is not None and not (area.path == estate.scope or area.path.startswith(estate.scope + ".")):
            raise ValidationError({"estate": [_("The estate does not lie in this area.")]})
        self.area, self.estate, self.building, self.dwelling = area, estate, building, dwelling

    @property
    def community(self) -> Area:
        return self.area.parent if self.area.kind == AreaKind.GRID else self.area  # type: ignore[return-value]


def _now() -> dt.datetime:
    return timezone.now()


def _event(
    appeal: Appeal,
    kind: str,
    *,
    actor: Any,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    organization: Organization | None = None,
    is_public: bool = True,
    at: dt.datetime | None = None,
    **detail: Any,
) -> AppealEvent:
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        at=at or _now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
        organization=organization,
        is_public=is_public,
        detail=detail,
    )


def notify(users: Iterable[Any], appeal: Appeal, kind: str, message: str, *, dedupe: str = "") -> int:
    """Queue one notification per user (at most once per ``dedupe`` key)."""
    made = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        key = f"{appeal.pk}:{dedupe}" if dedupe else ""
        if key and Notification.objects.filter(recipient=user, dedupe_key=key).exists():
            continue
        try:
            # A savepoint: another worker may be sending the same reminder at this moment, and the
            # unique constraint then refuses the second copy without spoiling the transaction.
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user, appeal=appeal, kind=kind, message=message[:300], dedupe_key=key
                )
        except IntegrityError:
            if not key:
                raise
            continue
        made += 1
    return made


def _handlers_of(organization: Organization | None) -> list[Any]:
    if organization is None:
        return []
    return [h.user for h in organization.handlers.filter(is_active=True, user__is_active=True).select_related("user")]


def _require_action(actor: Any, appeal: Appeal, action: str) -> str:
    """The state ``action`` leads to; raises when the state or the actor does not allow it."""
    if not (
        can(actor, "appeals.view", appeal) or workflow.is_handler(actor, appeal) or workflow.is_reporter(actor, appeal)
    ):
        raise OutOfScope()
    target = workflow.next_state(appeal.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the appeal is “%(status)s”.")
            % {"action": workflow.ACTION_LABELS.get(action, action), "status": appeal.get_status_display()}
        )
    if action not in workflow.allowed_actions(actor, appeal):
        raise NotPermitted()
    return target


def _apply(
    appeal: Appeal, *, version: int, action: str, actor: Any, changes: dict[str, Any], event_kind: str, **event: Any
) -> Appeal:
    target = _require_action(actor, appeal, action)
    if "status" not in changes:
        changes["status"] = target
    update_versioned(Appeal, pk=appeal.pk, version=version, **changes)
    _event(appeal, event_kind, actor=actor, from_status=appeal.status, to_status=changes["status"], **event)
    record_event(f"appeals.{action}", actor=actor, obj=appeal, detail={"to": str(changes["status"])})
    appeal.refresh_from_db()
    return appeal


def _need(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text


# --- intake --------------------------------------------------------------------------------------


def submit_appeal(
    *,
    actor: Any,
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
    if not category.is_active or category.children.exists():
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
    if reporter is not None and reporter_person is None:
        reporter_person = Person.objects.filter(user=reporter).first()
    submitted_at = submitted_at or _now()
    with transaction.atomic():
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
            reporter_person=None if is_anonymous else reporter_person,
            reporter_name="" if is_anonymous else reporter_name.strip()[:50],
            reporter_phone="" if is_anonymous else phone,
            is_anonymous=is_anonymous,
            recorded_by=actor if staff_entry else None,
            submitted_at=submitted_at,
            resolution_due_at=WorkingCalendar().add_working_hours(submitted_at, category.resolution_hours),
            terms=" ".join(terms_of(description)),
            scope=location.area.path,
        )
        appeal.reference = f"P{appeal.token[:10]}"  # replaced below once the row has its number
        appeal.save()
        appeal.reference = reference_for(appeal)
        Appeal.objects.filter(pk=appeal.pk).update(reference=appeal.reference)
        if photos:
            save_photos(appeal, photos, stage=PhotoStage.REPORT, actor=actor)
        _event(appeal, EventKind.SUBMIT, actor=actor, to_status=Status.SUBMITTED, at=submitted_at, channel=channel)
        record_event("appeals.submit", actor=actor, obj=appeal, detail={"channel": channel, "category": category.code})
        from .tasks import schedule_deadline_reminders

        schedule_deadline_reminders(appeal)
    return appeal


def _require_reporting(actor: Any, action: str, location: AppealLocation) -> None:
    """People report anywhere in their own community: a resident of grid 1 may report the
    estate's garden (filed under the community) or a building of grid 2."""
    community = location.community.path
    paths = scope_paths(actor, action)
    if not any(path_covers(p, location.area.path) or path_covers(community, p) for p in paths):
        if has_action(actor, action):
            raise OutOfScope()
        raise NotPermitted()


def reference_for(appeal: Appeal) -> str:
    """The number people quote on the phone: date and running number, e.g. 20261123-000042."""
    return f"{timezone.localtime(appeal.submitted_at):%Y%m%d}-{appeal.pk:06d}"


def _max_photos() -> int:
    from django.conf import settings

    return int(settings.SHUREN_APPEAL_MAX_PHOTOS)


def add_photos(*, actor: Any, appeal: Appeal, photos: Sequence[UploadedFile], stage: str) -> list[AppealPhoto]:
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
        saved = save_photos(appeal, photos, stage=stage, actor=actor)
        record_event("appeals.photo_add", actor=actor, obj=appeal, detail={"count": len(saved), "stage": stage})
    return saved


# --- the dispatching desk ------------------------------------------------------------------------


def accept_appeal(*, actor: Any, appeal: Appeal, version: int, note: str = "") -> Appeal:
    """受理: the desk confirms the appeal is a matter for it and will be dispatched."""
    with transaction.atomic():
        return _apply(
            appeal,
            version=version,
            action="accept",
            actor=actor,
            changes={"accepted_at": appeal.accepted_at or _now()},
            event_kind=EventKind.ACCEPT,
            note=note.strip(),
        )


def reject_appeal(*, actor: Any, appeal: Appeal, version: int, reason: str) -> Appeal:
    """不予受理: ends the appeal; the reporter sees the reason."""
    reason = _need(reason, "reason", _("Give the reason the reporter will read."))
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="reject",
            actor=actor,
            changes={"closed_at": _now(), "resolution": reason},
            event_kind=EventKind.REJECT,
            note=reason,
        )
        # The appeals merged into this one share its outcome, as they would its resolution.
        for rejected in [appeal, *appeal.merged.filter(status=Status.MERGED).select_related("reporter")]:
            if rejected.pk != appeal.pk:
                Appeal.objects.filter(pk=rejected.pk).update(
                    status=Status.REJECTED, resolution=reason, closed_at=appeal.closed_at, version=F("version") + 1
                )
                _event(
                    rejected,
                    EventKind.REJECT,
                    actor=actor,
                    from_status=Status.MERGED,
                    to_status=Status.REJECTED,
                    note=reason,
                    via=appeal.pk,
                )
            notify(
                [rejected.reporter],
                rejected,
                "rejected",
                _("Appeal %(ref)s was not accepted: %(reason)s") % {"ref": rejected.reference, "reason": reason},
            )
    return appeal


def dispatch_appeal(
    *,
    actor: Any,
    appeal: Appeal,
    version: int,
    organization: Organization,
    reason: str = "",
    share_contact: bool = False,
    note: str = "",
) -> Appeal:
    """派单: give the appeal to the organisation that must act and start its response clock.

    The dispatch rules suggest an organisation; choosing another one needs a reason, which the
    timeline keeps. The handler sees the reporter's contact only when ``share_contact`` is set.
    """
    from .dispatching import suggest_organization

    if not organization_may_handle(organization, appeal):
        raise ValidationError({"organization": [_("Choose an organisation of this place or above it.")]})
    suggestion = suggest_organization(appeal)
    overridden = suggestion is not None and suggestion.pk != organization.pk
    if overridden and not reason.strip():
        raise ValidationError(
            {"reason": [_("The rules suggest %(org)s. Say why you choose another organisation.") % {"org": suggestion}]}
        )
    now = _now()
    due = WorkingCalendar().add_working_hours(now, appeal.category.response_hours)
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="dispatch",
            actor=actor,
            changes={
                "organization": organization,
                "accepted_at": appeal.accepted_at or now,
                "dispatched_at": now,
                "responded_at": None,
                "response_due_at": due,
                "responded_on_time": None,
                "contact_shared": share_contact,
            },
            event_kind=EventKind.DISPATCH,
            organization=organization,
            note=note.strip(),
            is_public=True,
            suggested=suggestion.pk if suggestion else None,
            override_reason=reason.strip() if overridden else "",
        )
        notify(
            _handlers_of(organization),
            appeal,
            "dispatched",
            _("New appeal %(ref)s (%(category)s), to be taken up by %(due)s.")
            % {"ref": appeal.reference, "category": appeal.category, "due": f"{timezone.localtime(due):%m-%d %H:%M}"},
        )
        from .tasks import schedule_deadline_reminders

        schedule_deadline_reminders(appeal)
    return appeal


def organization_may_handle(organization: Organization, appeal: Appeal) -> bool:
    """An organisation of the appeal's community (its property manager, its residents' committee)
    or above it (a subdistrict or district department) may be given the appeal."""
    community = workflow.community_of(appeal)
    return path_covers(organization.scope, appeal.scope) or path_covers(community.path, organization.scope)


def _covering_paths(path: str) -> list[str]:
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def close_appeal(*, actor: Any, appeal: Appeal, version: int, note: str = "") -> Appeal:
    """结案 without the reporter's feedback (no reporter to ask, or the feedback window passed)."""
    with transaction.atomic():
        return _apply(
            appeal,
            version=version,
            action="close",
            actor=actor,
            changes={"closed_at": _now()},
            event_kind=EventKind.CLOSE,
            note=note.strip(),
        )


def escalate_appeal(*, actor: Any, appeal: Appeal, version: int, reason: str) -> Appeal:
    """上报: hand the appeal to the level above (grid → community → subdistrict → district)."""
    reason = _need(reason, "reason", _("Say why the level above must take this up."))
    above = workflow.level_above(appeal.level)
    if above is None:
        raise InvalidTransition(_("There is no level above %(level)s.") % {"level": appeal.get_level_display()})
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="escalate",
            actor=actor,
            changes={"level": above},
            event_kind=EventKind.ESCALATE,
            note=reason,
            is_public=False,
            level=str(above),
        )
    return appeal


def supervise_appeal(*, actor: Any, appeal: Appeal, version: int, on: bool, note: str = "") -> Appeal:
    """督办: mark (or unmark) an appeal for the leadership's attention; handlers are told."""
    if on:
        note = _need(note, "note", _("Say what the supervision asks for."))
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="supervise",
            actor=actor,
            changes={"is_supervised": on},
            event_kind=EventKind.SUPERVISE if on else EventKind.UNSUPERVISE,
            note=note.strip(),
            is_public=False,
        )
        if on:
            notify(
                _handlers_of(appeal.organization),
                appeal,
                "supervised",
                _("Appeal %(ref)s is under supervision: %(note)s") % {"ref": appeal.reference, "note": note},
            )
    return appeal


def merge_appeal(*, actor: Any, appeal: Appeal, version: int, into: Appeal) -> Appeal:
    """合并: ``appeal`` repeats ``into``; it stops on its own and its reporter gets the outcome of
    ``into`` (its resolution, and the chance to rate it)."""
    # Only an open appeal: a finished one would never pass its outcome on to the merged reporter.
    if into.pk == appeal.pk or into.status not in OPEN_STATUSES:
        raise ValidationError({"into": [_("Choose another open appeal to merge into.")]})
    if not workflow.is_dispatcher(actor, into):
        raise OutOfScope()
    with transaction.atomic():
        moved = Appeal.objects.filter(duplicate_of=appeal).update(duplicate_of=into)
        appeal = _apply(
            appeal,
            version=version,
            action="merge",
            actor=actor,
            changes={"duplicate_of": into, "closed_at": None},
            event_kind=EventKind.MERGE,
            note=_("Merged into %(ref)s.") % {"ref": into.reference},
            into=into.pk,
        )
        _event(
            into,
            EventKind.MERGE,
            actor=actor,
            note=_("%(ref)s merged into this appeal.") % {"ref": appeal.reference},
            is_public=False,
            merged=appeal.pk,
            carried=moved,
        )
        notify(
            [appeal.reporter],
            appeal,
            "merged",
            _("Appeal %(ref)s is being handled together with %(into)s; you will get its outcome.")
            % {"ref": appeal.reference, "into": into.reference},
        )
    return appeal


def add_note(*, actor: Any, appeal: Appeal, version: int, note: str) -> Appeal:
    """An internal note on the timeline (not shown to the reporter)."""
    note = _need(note, "note", _("Write the note."))
    with transaction.atomic():
        return _apply(
            appeal,
            version=version,
            action="note",
            actor=actor,
            changes={},
            event_kind=EventKind.NOTE,
            note=note,
            is_public=False,
        )


# --- the handling organisation -------------------------------------------------------------------


def take_up_appeal(*, actor: Any, appeal: Appeal, version: int, note: str = "") -> Appeal:
    """签收: the handler confirms it is on the case; this is the "response" the response rate counts."""
    now = _now()
    with transaction.atomic():
        return _apply(
            appeal,
            version=version,
            action="take_up",
            actor=actor,
            changes=_responded(appeal, now),
            event_kind=EventKind.TAKE_UP,
            organization=appeal.organization,
            note=note.strip(),
        )


def _responded(appeal: Appeal, now: dt.datetime) -> dict[str, Any]:
    if appeal.responded_at is not None:
        return {}
    on_time = appeal.response_due_at is None or now <= appeal.response_due_at
    return {"responded_at": now, "responded_on_time": on_time}


def return_appeal(*, actor: Any, appeal: Appeal, version: int, reason: str) -> Appeal:
    """退单: the organisation says the appeal is not theirs; it goes back to the desk."""
    reason = _need(reason, "reason", _("Say why this is not for your organisation."))
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
        notify(
            _desk_of(appeal),
            appeal,
            "returned",
            _("%(org)s returned appeal %(ref)s: %(reason)s")
            % {"org": organization, "ref": appeal.reference, "reason": reason},
        )
    return appeal


def record_progress(*, actor: Any, appeal: Appeal, version: int, note: str, public: bool = True) -> Appeal:
    note = _need(note, "note", _("Write what has been done."))
    with transaction.atomic():
        return _apply(
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


def resolve_appeal(
    *, actor: Any, appeal: Appeal, version: int, resolution: str, photos: Sequence[UploadedFile] = ()
) -> Appeal:
    """办结: the handler replies to the reporter. The reporter (and those of merged appeals) is
    asked to rate; the appeals merged into this one are resolved with the same reply."""
    resolution = _need(resolution, "resolution", _("Write the reply the reporter will read."))
    now = _now()
    hours = WorkingCalendar().working_hours_between(appeal.submitted_at, now)
    changes = {
        **_responded(appeal, now),
        "resolution": resolution,
        "resolved_at": now,
        # Handling time runs to the first resolution (docs/appeals.md); a reopen does not restart it.
        "handling_hours": appeal.handling_hours if appeal.handling_hours is not None else round(hours, 2),
        "resolved_on_time": appeal.resolution_due_at is None or now <= appeal.resolution_due_at,
        "is_published": appeal.category.is_published,
        "public_summary": appeal.public_summary or public_summary_of(appeal.description, names=reporter_names(appeal)),
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
            save_photos(appeal, photos, stage=PhotoStage.RESOLUTION, actor=actor)
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
            notify(
                [resolved.reporter],
                resolved,
                "resolved",
                _("Appeal %(ref)s has been resolved. Please tell us whether it is solved.")
                % {"ref": resolved.reference},
            )
    return appeal


def public_summary_of(text: str, *, names: Iterable[str] = ()) -> str:
    """The description without phone numbers, ID numbers and door numbers, for the public board;
    ``names`` (the reporter's) are replaced too, since people sign their appeals ("我是林小梅")."""
    from .board import scrub

    for name in sorted({n.strip() for n in names if len((n or "").strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, "[姓名]")
    return scrub(text)[:1000]


def reporter_names(appeal: Appeal) -> list[str]:
    """The names the reporter may have written into the appeal: the contact given, their resident
    record's and their account's."""
    names = [appeal.reporter_name]
    if appeal.reporter_person_id:
        names.append(appeal.reporter_person.name)
    if appeal.reporter_id:
        names.append(appeal.reporter.full_name)
    return names


# --- the reporter --------------------------------------------------------------------------------


def give_feedback(
    *,
    actor: Any,
    appeal: Appeal,
    version: int,
    is_solved: bool,
    satisfaction: int,
    comment: str = "",
    reopen: bool = False,
) -> Appeal:
    """The reporter rates the outcome: solved or not, satisfaction 1-5, a comment. A dissatisfied
    reporter may instead reopen the appeal, once, within the community's reopen window."""
    if satisfaction not in (1, 2, 3, 4, 5):
        raise ValidationError({"satisfaction": [_("Choose from 1 (very dissatisfied) to 5 (very satisfied).")]})
    now = _now()
    feedback = {
        "is_solved": is_solved,
        "satisfaction": satisfaction,
        "feedback_comment": (comment or "").strip()[:1000],
        "feedback_at": now,
    }
    if reopen:
        if is_solved or satisfaction > 2:
            raise ValidationError({"reopen": [_("Only an unsolved or unsatisfactory outcome can be reopened.")]})
        # In a state that cannot be reopened at all, reopen_appeal raises InvalidTransition.
        if workflow.next_state(appeal.status, "reopen") is not None and not workflow.may_reopen(appeal, now):
            raise ValidationError({"reopen": [_("This appeal can no longer be reopened.")]})
        return reopen_appeal(actor=actor, appeal=appeal, version=version, feedback=feedback)
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="feedback",
            actor=actor,
            changes={**feedback, "closed_at": now},
            event_kind=EventKind.FEEDBACK,
            note=feedback["feedback_comment"],
            is_solved=is_solved,
            satisfaction=satisfaction,
        )
    return appeal


def reopen_appeal(*, actor: Any, appeal: Appeal, version: int, feedback: dict[str, Any]) -> Appeal:
    now = _now()
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="reopen",
            actor=actor,
            changes={
                **feedback,
                "reopen_count": appeal.reopen_count + 1,
                "organization": None,
                "resolved_at": None,
                "closed_at": None,
                "response_due_at": None,
                "responded_at": None,
                "responded_on_time": None,
                "resolved_on_time": None,
                "is_published": False,
                "resolution_due_at": WorkingCalendar().add_working_hours(now, appeal.category.resolution_hours),
            },
            event_kind=EventKind.REOPEN,
            note=feedback["feedback_comment"],
            is_solved=feedback["is_solved"],
            satisfaction=feedback["satisfaction"],
        )
        notify(
            _desk_of(appeal), appeal, "reopened", _("The reporter reopened appeal %(ref)s.") % {"ref": appeal.reference}
        )
        from .tasks import schedule_deadline_reminders

        schedule_deadline_reminders(appeal)
    return appeal


# --- publication ---------------------------------------------------------------------------------


def set_publication(*, actor: Any, appeal: Appeal, version: int, published: bool, summary: str) -> Appeal:
    """Choose whether a resolved appeal appears on the public board, and with which words."""
    if not workflow.is_dispatcher(actor, appeal):
        raise NotPermitted()
    if published and appeal.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError({"is_published": [_("Only resolved appeals can be published.")]})
    summary = (summary or "").strip()
    if published and not summary:
        raise ValidationError({"public_summary": [_("Write the summary the public will read.")]})
    with transaction.atomic():
        update_versioned(Appeal, pk=appeal.pk, version=version, is_published=published, public_summary=summary[:1000])
        _event(appeal, EventKind.PUBLISH, actor=actor, is_public=False, published=published)
        record_event("appeals.publish", actor=actor, obj=appeal, detail={"published": published})
    appeal.refresh_from_db()
    return appeal


# --- deadlines -----------------------------------------------------------------------------------


def _desk_of(appeal: Appeal) -> list[Any]:
    """The people at the desk answerable for the appeal at its level (who hold appeals.dispatch on
    the appeal's area, or the area of its level)."""
    from shuren.accounts.models import RoleGrant
    from shuren.accounts.roles import ROLE_ACTIONS

    dispatch_roles = [role for role, actions in ROLE_ACTIONS.items() if "appeals.dispatch" in actions]
    paths = _covering_paths(appeal.scope)
    grants = (
        RoleGrant.objects.active().filter(role__in=dispatch_roles, area__path__in=paths).select_related("user", "area")
    )
    wanted = Level(appeal.level)
    kinds = {
        Level.GRID: AreaKind.GRID,
        Level.COMMUNITY: AreaKind.COMMUNITY,
        Level.SUBDISTRICT: AreaKind.SUBDISTRICT,
        Level.DISTRICT: AreaKind.DISTRICT,
    }
    exact = [g.user for g in grants if g.area.kind == kinds[wanted] and g.user.is_active]
    return exact or [g.user for g in grants if g.user.is_active]


def remind_deadline(*, appeal: Appeal, which: str, now: dt.datetime | None = None) -> int:
    """Tell the people who must act that a deadline is near (``due_soon``) or has passed
    (``overdue``). Each reminder goes once per deadline; returns how many were queued."""
    now = now or _now()
    if which.startswith("response"):
        if appeal.status != Status.DISPATCHED or appeal.response_due_at is None:
            return 0
        due = appeal.response_due_at
        people = _handlers_of(appeal.organization)
    else:
        if appeal.status not in (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS):
            return 0
        due = appeal.resolution_due_at
        people = _handlers_of(appeal.organization) + _desk_of(appeal)
        if due is None:
            return 0
    overdue = which.endswith("overdue")
    if overdue and now < due:
        return 0
    if not overdue and now > due:  # a worker catching up: the overdue reminder says it better
        return 0
    local_due = f"{timezone.localtime(due):%m-%d %H:%M}"
    if overdue:
        message = _("Appeal %(ref)s is overdue (due %(due)s).") % {"ref": appeal.reference, "due": local_due}
    else:
        message = _("Appeal %(ref)s is due at %(due)s.") % {"ref": appeal.reference, "due": local_due}
    with transaction.atomic():
        sent = notify(people, appeal, which, message, dedupe=f"{which}:{due:%Y%m%d%H%M}")
        if sent:
            _event(appeal, EventKind.REMIND, actor=None, is_public=False, note=message, which=which, recipients=sent)
    return sent


def close_unrated(*, now: dt.datetime | None = None) -> int:
    """Close resolved appeals whose reporter gave no feedback within SHUREN_APPEAL_FEEDBACK_DAYS."""
    from django.conf import settings

    now = now or _now()
    limit = now - dt.timedelta(days=int(settings.SHUREN_APPEAL_FEEDBACK_DAYS))
    closed = 0
    unrated = Appeal.objects.filter(status=Status.RESOLVED, resolved_at__lt=limit)
    for appeal in unrated.only("pk", "version", "status", "scope"):
        with transaction.atomic():
            if Appeal.objects.filter(pk=appeal.pk, version=appeal.version).update(
                status=Status.CLOSED, closed_at=now, version=F("version") + 1
            ):
                _event(
                    appeal,
                    EventKind.CLOSE,
                    actor=None,
                    from_status=Status.RESOLVED,
                    to_status=Status.CLOSED,
                    note=_("Closed: no feedback within the feedback period."),
                    automatic=True,
                )
                record_event("appeals.close", obj=appeal, detail={"to": Status.CLOSED.value, "automatic": True})
                closed += 1
    return closed

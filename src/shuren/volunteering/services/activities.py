"""Activities: staff and grid workers create them for a place and a time window, publish, edit
while nobody has checked in, cancel with a reason (those signed up see it on their page) and
finish them."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import can, path_covers, require
from shuren.core.validators import required_text
from shuren.orgs.models import Organization, OrganizationKind
from shuren.places.models import Area, AreaKind, Building, Estate, Unit

from .. import workflow
from ..models import Activity, ActivityStatus, SignUp, SignUpStatus, Skill
from .base import audit, community_of, now

EDITABLE_FIELDS = (
    "title",
    "description",
    "location",
    "area",
    "estate",
    "building",
    "unit",
    "starts_at",
    "ends_at",
    "signup_closes_at",
    "capacity",
    "points_per_hour",
    "team",
    "approved_volunteers_only",
)


def reference_for(activity: Activity) -> str:
    """The number people quote: HD (活动), the year and the running number, e.g. HD2026-000042."""
    return f"HD{timezone.localtime(activity.created_at):%Y}-{activity.pk:06d}"


def _check(activity: Activity, *, is_new: bool) -> None:
    """Everything about one activity that can be wrong, each message on its field."""
    errors: dict[str, list[str]] = {}
    activity.title = required_text(activity.title, "title", _("Give the activity a short title."))[:120]
    activity.location = required_text(activity.location, "location", _("Say where volunteers meet."))[:120]
    activity.description = (activity.description or "").strip()
    activity.clean_place()
    if not activity.area_id or activity.area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    activity.scope = activity.placed_scope()
    if activity.starts_at is None:
        errors["starts_at"] = [_("Say when the activity starts.")]
    if activity.ends_at is None:
        errors["ends_at"] = [_("Say when the activity ends.")]
    if not errors:
        if activity.ends_at <= activity.starts_at:
            errors["ends_at"] = [_("The end must be after the start.")]
        elif activity.ends_at - activity.starts_at > dt.timedelta(hours=24):
            errors["ends_at"] = [_("An activity lasts at most 24 hours; make one activity per day.")]
        elif is_new and activity.ends_at <= now():
            errors["ends_at"] = [_("The activity would already be over.")]
        if activity.signup_closes_at is not None and activity.signup_closes_at > activity.ends_at:
            errors["signup_closes_at"] = [_("Sign-up must close before the activity ends.")]
    if activity.capacity is None or not 1 <= activity.capacity <= 10000:
        errors["capacity"] = [_("Between 1 and 10000 places.")]
    if activity.points_per_hour is None or not 0 <= activity.points_per_hour <= 1000:
        errors["points_per_hour"] = [_("Between 0 and 1000 points per hour (0: the community's rule).")]
    team = activity.team if activity.team_id is not None else None
    if team is not None:
        if team.kind != OrganizationKind.VOLUNTEER_TEAM or not path_covers(community_of(activity).path, team.scope):
            errors["team"] = [_("Choose a volunteer team of this community.")]
    if errors:
        raise ValidationError(errors)


def create_activity(
    *,
    actor: User,
    title: str,
    location: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    description: str = "",
    area: Area | None = None,
    estate: Estate | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
    signup_closes_at: dt.datetime | None = None,
    skills: Iterable[Skill] = (),
    points_per_hour: int = 0,
    team: Organization | None = None,
    approved_volunteers_only: bool = True,
    publish: bool = False,
) -> Activity:
    """A new activity (a draft, or published at once with ``publish``) organised by the actor, who
    needs ``volunteering.manage`` where it takes place."""
    if area is None and estate is None and building is None and unit is None:
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    activity = Activity(
        title=title,
        description=description,
        location=location,
        area=area,
        estate=estate,
        building=building,
        unit=unit,
        starts_at=starts_at,
        ends_at=ends_at,
        signup_closes_at=signup_closes_at,
        capacity=capacity,
        points_per_hour=points_per_hour,
        team=team,
        approved_volunteers_only=approved_volunteers_only,
        organizer=actor,
        status=ActivityStatus.PUBLISHED if publish else ActivityStatus.DRAFT,
        published_at=now() if publish else None,
    )
    _check(activity, is_new=True)
    require(actor, "volunteering.manage", activity)
    with transaction.atomic():
        activity.reference = "tmp-" + secrets.token_hex(6)
        activity.save()
        activity.reference = reference_for(activity)
        Activity.objects.filter(pk=activity.pk).update(reference=activity.reference)
        activity.skills_wanted.set(list(skills))
        audit("create_activity", actor=actor, obj=activity, status=activity.status, title=activity.title)
    return activity


def _step(actor: User, activity: Activity, action: str) -> str:
    return workflow.require(activity, action, actor=actor)


def _write(activity: Activity, *, version: int, **changes: Any) -> Activity:
    activity.version = update_versioned(Activity, pk=activity.pk, version=version, **changes)
    for name, value in changes.items():
        setattr(activity, name, value)
    return activity


def edit_activity(
    *, actor: User, activity: Activity, version: int, skills: Iterable[Skill] | None = None, **fields: Any
) -> Activity:
    """Change the activity while nobody has checked in. Fewer places than confirmed sign-ups are
    refused; more places move the first on the waiting list up."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"edit_activity cannot change {sorted(unknown)}")
    _step(actor, activity, "edit")
    probe = Activity.objects.get(pk=activity.pk)
    for name, value in fields.items():
        setattr(probe, name, value)
    _check(probe, is_new=False)
    require(actor, "volunteering.manage", probe)
    changes = {name: getattr(probe, name) for name in EDITABLE_FIELDS}
    changes["scope"] = probe.scope
    changed = [name for name in EDITABLE_FIELDS if getattr(activity, name) != getattr(probe, name)]
    from .signups import promote_waitlisted

    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        confirmed = locked.signups.filter(status=SignUpStatus.CONFIRMED).count()
        if probe.capacity < confirmed:
            raise ValidationError(
                {"capacity": [_("%(n)d volunteers already have a confirmed place.") % {"n": confirmed}]}
            )
        activity = _write(activity, version=version, **changes)
        if skills is not None:
            activity.skills_wanted.set(list(skills))
            changed.append("skills_wanted")
        promoted = promote_waitlisted(activity) if activity.status == ActivityStatus.PUBLISHED else []
        audit("edit_activity", actor=actor, obj=activity, changed=",".join(changed), promoted=len(promoted))
    return activity


def publish_activity(*, actor: User, activity: Activity, version: int) -> Activity:
    """Residents of the activity's community can see it and sign up."""
    target = _step(actor, activity, "publish")
    if activity.ends_at <= now():
        raise InvalidTransition(_("The activity is already over; change its time before publishing."))
    with transaction.atomic():
        activity = _write(activity, version=version, status=target, published_at=now())
        audit("publish", actor=actor, obj=activity)
    return activity


def cancel_activity(*, actor: User, activity: Activity, version: int, reason: str) -> Activity:
    """Call the activity off. Sign-ups keep their place in the record and see the reason on their page."""
    reason = required_text(reason, "reason", _("Say why the activity is cancelled: volunteers will read it."))
    target = _step(actor, activity, "cancel")
    with transaction.atomic():
        activity = _write(activity, version=version, status=target, cancelled_reason=reason[:200])
        signed = SignUp.objects.filter(activity=activity, status__in=("confirmed", "waitlisted")).count()
        audit("cancel_activity", actor=actor, obj=activity, reason=reason, signups=signed)
    return activity


def finish_activity(*, actor: User, activity: Activity, version: int) -> Activity:
    """The activity is over: no more sign-ups or check-ins; hours can still be confirmed."""
    target = _step(actor, activity, "finish")
    with transaction.atomic():
        activity = _write(activity, version=version, status=target)
        audit("finish_activity", actor=actor, obj=activity)
    return activity


def may_manage(user: User, activity: Activity) -> bool:
    return can(user, "volunteering.manage", activity)

"""What every appeal action shares: the location, the transition check and write, the timeline event, notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core import clock
from shuren.core.concurrency import update_versioned
from shuren.core.scoping import covering_paths
from shuren.notifications.models import Channel as MessageChannel
from shuren.notifications.models import Message
from shuren.notifications.services import outbox
from shuren.orgs.models import Organization
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate

from .. import workflow
from ..models import (
    Appeal,
    AppealEvent,
    Channel,
    Level,
    Status,
)

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
    return clock.now()


def _event(
    appeal: Appeal,
    kind: str,
    *,
    actor: User | None,
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


def _portal_link(appeal: Appeal) -> str:
    return reverse("appeals_portal:detail", args=[appeal.pk])


def _console_link(appeal: Appeal) -> str:
    return reverse("appeals:appeal_detail", args=[appeal.pk])


def latest_event(appeal: Appeal) -> AppealEvent:
    """The event the current action wrote (the appeal's row is locked by the action's update)."""
    return AppealEvent.objects.filter(appeal=appeal).order_by("-pk")[0]


# A message's text, built in the site's language when it is sent (not the actor's).
Words = Callable[[], str]


def words(text: str | Promise, **values: Any) -> Words:
    """``text`` (a lazy translation with named placeholders) filled with ``values`` when sent."""
    return lambda: str(text) % values


def notify(
    users: Iterable[Any],
    appeal: Appeal,
    kind: str,
    message: Words,
    *,
    key: str,
    staff: bool = True,
    params: Callable[[], dict[str, str]] | None = None,
    exclude: Any = None,
) -> int:
    """Queue the ``appeals.<kind>`` message ``message()`` about ``appeal`` for each of ``users``
    through the outbox, once per ``key`` (the event: "event:17:reporter", "resolution_overdue:…").

    Staff messages link to the appeal in the console, the reporter's to their portal page; ``params``
    gives the SMS template's parameters (``messaging.SMS_PARAMS``; the appeal's reference by default).
    The actor (``exclude``) is not told of what they did themselves. Returns how many people were
    addressed."""
    people = [u for u in {u.pk: u for u in users if u is not None}.values() if exclude is None or u.pk != exclude.pk]
    if not people:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = message()
        sms = params() if params is not None else {}
    outbox.notify(
        kind=f"appeals.{kind}",
        event_key=f"appeal:{appeal.pk}:{key}",
        recipients=people,
        subject=text[:200],
        text=text,
        link=_console_link(appeal) if staff else _portal_link(appeal),
        params={"ref": appeal.reference, **sms},
    )
    return len(people)


def tell_reporter(
    appeal: Appeal, kind: str, message: Words, *, actor: Any = None, params: Callable[[], dict[str, str]] | None = None
) -> int:
    """Tell the appeal's reporter (if they have an account) of the action just written."""
    return notify(
        [appeal.reporter],
        appeal,
        kind,
        message,
        key=f"event:{latest_event(appeal).pk}:reporter",
        staff=False,
        params=params,
        exclude=actor,
    )


def tell_staff(
    users: Iterable[Any],
    appeal: Appeal,
    kind: str,
    message: Words,
    *,
    actor: Any = None,
    params: Callable[[], dict[str, str]] | None = None,
) -> int:
    """Tell the staff who must act (handlers, the desk) of the action just written."""
    return notify(
        users, appeal, kind, message, key=f"event:{latest_event(appeal).pk}:staff", params=params, exclude=actor
    )


def status_label(appeal: Appeal) -> str:
    return str(Status(appeal.status).label)


def mark_notifications_read(*, actor: User, appeal: Appeal) -> int:
    """Mark the actor's unread inbox messages about ``appeal`` read (opening the appeal shows them)."""
    return Message.objects.filter(
        recipient=actor,
        channel=MessageChannel.INAPP,
        read_at__isnull=True,
        kind__startswith="appeals.",
        event_key__startswith=f"appeal:{appeal.pk}:",
    ).update(read_at=timezone.now())


def _handlers_of(organization: Organization | None) -> list[Any]:
    if organization is None:
        return []
    return [h.user for h in organization.handlers.filter(is_active=True, user__is_active=True).select_related("user")]


def _apply(
    appeal: Appeal, *, version: int, action: str, actor: User, changes: dict[str, Any], event_kind: str, **event: Any
) -> Appeal:
    target = workflow.require(appeal, action, actor=actor)
    if "status" not in changes:
        changes["status"] = target
    update_versioned(Appeal, pk=appeal.pk, version=version, **changes)
    _event(appeal, event_kind, actor=actor, from_status=appeal.status, to_status=changes["status"], **event)
    record_event(f"appeals.{action}", actor=actor, obj=appeal, detail={"to": str(changes["status"])})
    appeal.refresh_from_db()
    return appeal


def _desk_of(appeal: Appeal) -> list[Any]:
    """The people at the desk answerable for the appeal at its level (who hold appeals.dispatch on
    the appeal's area, or the area of its level)."""
    from shuren.accounts.models import RoleGrant
    from shuren.accounts.roles import ROLE_ACTIONS

    dispatch_roles = [role for role, actions in ROLE_ACTIONS.items() if "appeals.dispatch" in actions]
    paths = covering_paths(appeal.scope)
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
    exact = [g.user for g in grants if g.area is not None and g.area.kind == kinds[wanted] and g.user.is_active]
    return exact or [g.user for g in grants if g.user.is_active]

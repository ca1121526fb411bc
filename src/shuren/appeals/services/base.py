"""What every appeal action shares: the location, the transition check and write, the timeline event, notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.scoping import covering_paths
from shuren.orgs.models import Organization
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate

from .. import workflow
from ..models import (
    Appeal,
    AppealEvent,
    Channel,
    Level,
    Notification,
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
    return timezone.now()


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


def mark_notifications_read(*, actor: User, pk: int | None = None, appeal: Appeal | None = None) -> int:
    """Mark the actor's unread notifications read (all, or notification ``pk``, or those about
    ``appeal``); returns how many changed. Marking again changes nothing."""
    from ..selectors import unread_notifications

    unread = unread_notifications(actor)
    if pk is not None:
        unread = unread.filter(pk=pk)
    if appeal is not None:
        unread = unread.filter(appeal=appeal)
    return unread.update(read_at=timezone.now())


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

"""Needs: staff record them (from a visit, an appeal, a meeting ...), one click makes one from an
appeal keeping the link, staff close one that needs no action; a resident asks for a resource of
the serviceable list, which records a need already matched to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, path_covers, require
from shuren.core.validators import required_text
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate

from .. import selectors, workflow
from ..models import (
    Category,
    Concerned,
    EventKind,
    Match,
    MatchStatus,
    Need,
    NeedSource,
    NeedStatus,
    Resource,
    Urgency,
)
from .base import audit, timeline

APPEAL_SOURCE = "appeals.appeal"


def _check_place(need: Need) -> None:
    """The place is a community or grid, and what is named inside it lies inside it."""
    if need.dwelling is not None and need.building is None:
        need.building = need.dwelling.unit.building
    if need.building is not None and need.estate is None:
        need.estate = need.building.estate
    if not need.area_id:
        if need.building is not None:
            need.area = need.building.grid
        elif need.estate is not None:
            need.area = need.estate.community
    if not need.area_id or need.area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID):
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    community = need.area if need.area.kind == AreaKind.COMMUNITY else need.area.parent
    errors: dict[str, list[str]] = {}
    if need.estate is not None and (community is None or need.estate.community_id != community.pk):
        errors["estate"] = [_("The estate must be in the chosen community.")]
    if need.building is not None and not path_covers(need.area.path, need.building.scope):
        errors["building"] = [_("The building must be in the chosen grid.")]
    if need.dwelling is not None and need.building is not None and need.dwelling.unit.building_id != need.building.pk:
        errors["dwelling"] = [_("The dwelling must be in the chosen building.")]
    if errors:
        raise ValidationError(errors)
    need.scope = need.placed_scope()


def _check_fields(need: Need) -> None:
    errors: dict[str, list[str]] = {}
    if need.category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if need.concerned not in Concerned.values:
        errors["concerned"] = [_("Say who is concerned.")]
    if need.urgency not in Urgency.values:
        errors["urgency"] = [_("Choose an urgency.")]
    if need.source not in NeedSource.values:
        errors["source"] = [_("Choose where the need comes from.")]
    if need.quantity is None or need.quantity < 1 or need.quantity > 100000:
        errors["quantity"] = [_("Between 1 and 100000.")]
    if errors:
        raise ValidationError(errors)


def create_need(
    *,
    actor: User,
    title: str,
    category: str,
    area: Area | None = None,
    estate: Estate | None = None,
    building: Building | None = None,
    dwelling: Dwelling | None = None,
    description: str = "",
    concerned: str = Concerned.HOUSEHOLD,
    concerned_text: str = "",
    person: Person | None = None,
    urgency: str = Urgency.NORMAL,
    wanted_on: dt.date | None = None,
    quantity: int = 1,
    source: str = NeedSource.STAFF,
    source_type: str = "",
    source_id: int | None = None,
) -> Need:
    """Put a need on the list of its place, open for matching.

    Staff or grid workers holding ``lists.manage`` where the need is; a resident named as concerned
    must live inside the need's community; a linked source must be one the actor may read. Writes
    the timeline's first row and the audit record in one transaction."""
    title = required_text(title, "title", _("Say in a few words what is needed."), limit=100)
    need = Need(
        title=title,
        description=(description or "").strip(),
        category=category,
        area=area,
        estate=estate,
        building=building,
        dwelling=dwelling,
        concerned=concerned,
        concerned_text=(concerned_text or "").strip()[:200],
        person=person,
        urgency=urgency,
        wanted_on=wanted_on,
        quantity=quantity,
        source=source,
        source_type=source_type,
        source_id=source_id,
        created_by=actor,
    )
    if source == NeedSource.SERVICEABLE_REQUEST:
        raise ValidationError({"source": [_("Choose where the need comes from.")]})
    _check_fields(need)
    if area is None and estate is None and building is None and dwelling is None:
        raise ValidationError({"area": [_("Choose a community or a grid.")]})
    _check_place(need)
    require(actor, "lists.manage", need)
    if person is not None and not path_covers(selectors.community_path_of(need), person.scope):
        raise ValidationError({"person": [_("Choose a resident of this community.")]})
    if wanted_on is not None and wanted_on < timezone.localdate():
        raise ValidationError({"wanted_on": [_("The date cannot be in the past.")]})
    if source_type or source_id is not None:
        if not source_type or source_id is None or not selectors.may_see_source(actor, source_type, source_id):
            raise ValidationError({"source_id": [_("No such record among those you may see.")]})
    with transaction.atomic():
        need.save()
        timeline(need, EventKind.CREATED, actor=actor, text=need.get_source_display())
        audit("need_create", actor=actor, obj=need, source=source, category=category)
    return need


def need_from_appeal(*, actor: User, appeal: Any, category: str = Category.OTHER) -> Need:
    """One click on an appeal: the need it shows, at the appeal's place, linked back to it.

    The actor must be able to read the appeal (404 otherwise) and record needs where it is. A
    live need already made from the appeal is returned as it is, so a second click adds nothing."""
    if not can(actor, "appeals.view", appeal):
        raise OutOfScope()
    existing = selectors.need_from_source(APPEAL_SOURCE, appeal.pk)
    if existing is not None:
        if not can(actor, "lists.view", existing):
            raise OutOfScope()
        return existing
    text = " ".join((appeal.description or "").split())
    title = f"{appeal.category.name}：{text}"[:100] if text else appeal.category.name
    dwelling = appeal.dwelling
    building = appeal.building or (dwelling.unit.building if dwelling is not None else None)
    concerned = Concerned.HOUSEHOLD if dwelling else Concerned.BUILDING if building else Concerned.COMMUNITY
    area = appeal.area if appeal.area.kind in (AreaKind.COMMUNITY, AreaKind.GRID) else None
    return create_need(
        actor=actor,
        title=title,
        description=appeal.description or "",
        category=category,
        area=area,
        estate=appeal.estate,
        building=building,
        dwelling=dwelling,
        concerned=concerned,
        source=NeedSource.APPEAL,
        source_type=APPEAL_SOURCE,
        source_id=appeal.pk,
    )


def close_need(*, actor: User, need: Need, version: int, reason: str) -> Need:
    """Take a need off the list without action (solved otherwise, moved away, no longer wanted);
    its live matches are withdrawn and any capacity they held goes back to the resources."""
    reason = required_text(reason, "reason", _("Say why the need is closed."), limit=300)
    workflow.require(need, "close", actor=actor)
    with transaction.atomic():
        for match in Match.objects.select_for_update().filter(need=need, status__in=workflow_live()):
            if match.status == MatchStatus.ACCEPTED:
                give_back(match)
            update_versioned(Match, pk=match.pk, version=match.version, status=MatchStatus.WITHDRAWN, answer=reason)
        need.version = update_versioned(
            Need, pk=need.pk, version=version, status=NeedStatus.CLOSED, close_reason=reason
        )
        need.status, need.close_reason = NeedStatus.CLOSED, reason
        timeline(need, EventKind.CLOSED, actor=actor, text=reason)
        audit("need_close", actor=actor, obj=need, reason=reason)
    return need


def workflow_live() -> tuple[str, ...]:
    return (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


def give_back(match: Match) -> None:
    """Return what an accepted match took from its resource (never above its capacity)."""
    from django.db.models import F
    from django.db.models.functions import Least

    Resource.objects.filter(pk=match.resource_id).update(
        remaining=Least(F("remaining") + match.quantity, F("capacity")), version=F("version") + 1
    )


def request_resource(*, actor: User, resource: Resource, description: str = "", quantity: int = 1) -> Need:
    """A resident asks for a resource of their community's serviceable list: a need of their home,
    from "serviceable request", already matched (a proposed match the provider answers)."""
    person = selectors.person_of(actor)
    if person is None:
        raise OutOfScope()
    if not resource.is_active or not resource.is_public or resource.remaining < 1:
        raise OutOfScope()
    if not path_covers(person.community.path, resource.scope):
        raise OutOfScope()
    if quantity is None or quantity < 1 or quantity > resource.remaining:
        raise ValidationError({"quantity": [_("At most %(count)d.") % {"count": resource.remaining}]})
    need = Need(
        title=resource.title[:100],
        description=(description or "").strip()[:2000],
        category=resource.category,
        area=selectors.home_area(person),
        concerned=Concerned.HOUSEHOLD,
        person=person,
        quantity=quantity,
        source=NeedSource.SERVICEABLE_REQUEST,
        source_type="lists.resource",
        source_id=resource.pk,
        status=NeedStatus.MATCHED,
        created_by=actor,
        requested_by=actor,
    )
    need.scope = need.placed_scope()
    require(actor, "lists.request", need)
    with transaction.atomic():
        need.save()
        match = Match.objects.create(
            need=need,
            resource=resource,
            quantity=quantity,
            reason=_("Requested by the resident"),
            proposed_by=actor,
            scope=need.scope,
        )
        timeline(need, EventKind.CREATED, actor=actor, text=need.get_source_display())
        timeline(need, EventKind.PROPOSED, actor=actor, text=resource.title, match=match)
        audit("request", actor=actor, obj=need, resource=resource.pk, quantity=quantity)
    return need

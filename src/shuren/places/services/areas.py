"""Writes to the area tree. Each function checks scope, writes in one transaction and audits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.scoping import require

from ..models import Area, AreaKind

EDITABLE_FIELDS = ("name", "population", "households")


def change_area(*, actor: User, area: Area, version: int, changes: dict[str, Any]) -> Area:
    """Apply ``changes`` (name, population, households) if ``area`` is still at ``version``.

    Raises OutOfScope/NotPermitted, or StaleVersion when someone changed the area in between.
    """
    require(actor, "places.change_area", area)
    fields = {name: value for name, value in changes.items() if name in EDITABLE_FIELDS}
    before = {name: getattr(area, name) for name in fields}
    with transaction.atomic():
        update_versioned(Area, pk=area.pk, version=version, **fields)
        changed = {name: [before[name], value] for name, value in fields.items() if before[name] != value}
        record_event("places.area_change", actor=actor, obj=area, detail={"changed": changed})
    area.refresh_from_db()
    return area


def create_grid(*, actor: User, community: Area, code: str, name: str) -> Area:
    """Add a grid under ``community``. Raises OutOfScope/NotPermitted, or ValidationError when the
    code is taken or the parent is not a community."""
    require(actor, "places.change_area", community)
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"parent": [_("A grid belongs to a community.")]})
    if Area.objects.filter(parent=community, code=code).exists():
        raise ValidationError({"code": [_("This code is already used in the community.")]})
    with transaction.atomic():
        grid = Area(kind=AreaKind.GRID, code=code, name=name, parent=community)
        grid.full_clean()
        grid.save()
        record_event("places.area_create", actor=actor, obj=grid, detail={"name": name})
    return grid

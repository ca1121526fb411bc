"""Which areas a user may read the figures of, and the breadcrumb above one of them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shuren.core.errors import OutOfScope
from shuren.core.scoping import path_covers, scope_paths, visible
from shuren.places.models import Area

VIEW = "insights.view"


def dashboard_areas(user: Any, action: str = VIEW) -> QuerySet[Area]:
    return visible(Area.objects.all(), user, action)


def top_areas(user: Any, action: str = VIEW) -> list[Area]:
    """The widest areas the user may read (usually one: their grid, community, subdistrict or
    district)."""
    paths = scope_paths(user, action)
    areas = dashboard_areas(user, action).order_by("depth", "path")
    if paths == [""]:
        return list(areas.filter(parent__isnull=True))
    return list(areas.filter(path__in=paths))


def openable_area(user: Any, pk: int, action: str = VIEW) -> Area:
    area = dashboard_areas(user, action).filter(pk=pk).first()
    if area is None:
        raise OutOfScope()
    return area


def breadcrumb(user: Any, area: Area, action: str = VIEW) -> list[tuple[Area, bool]]:
    """The areas from the top down to ``area``, each with whether the user may open it."""
    paths = scope_paths(user, action)
    chain = [*area.ancestors(), area]
    return [(a, any(path_covers(p, a.path) for p in paths)) for a in chain]


def children_of(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(parent=area).order_by("path")

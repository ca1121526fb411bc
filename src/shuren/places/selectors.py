from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from shuren.core.scoping import visible

from .models import Area, Building, Estate


def visible_areas(
    user: Any, action: str = "places.view_area", *, filters: dict[str, Any] | None = None
) -> QuerySet[Area]:
    areas = visible(Area.objects.select_related("parent"), user, action)
    filters = filters or {}
    if filters.get("q"):
        areas = areas.filter(Q(name__icontains=filters["q"]) | Q(code=filters["q"]))
    if filters.get("kind"):
        areas = areas.filter(kind=filters["kind"])
    return areas.annotate(child_count=Count("children")).order_by("path")


def visible_estates(user: Any) -> QuerySet[Estate]:
    """Estates the user may see: those of their communities, and for grid-level roles the estates
    that have a building in their grid."""
    from shuren.core.scoping import scope_paths, scope_q

    paths = scope_paths(user, "places.view_place")
    if not paths:
        return Estate.objects.none()
    in_scope = Estate.objects.filter(scope_q(paths, "scope"))
    via_buildings = Estate.objects.filter(pk__in=Building.objects.filter(scope_q(paths, "scope")).values("estate"))
    return (
        (in_scope | via_buildings)
        .distinct()
        .select_related("community")
        .annotate(building_count=Count("buildings", distinct=True), dwelling_count=Count("buildings__units__dwellings"))
        .order_by("scope", "name")
    )


def visible_buildings(user: Any) -> QuerySet[Building]:
    return (
        visible(Building.objects.select_related("estate", "grid"), user, "places.view_place")
        .annotate(unit_count=Count("units", distinct=True), dwelling_count=Count("units__dwellings"))
        .order_by("estate__name", "number")
    )


def communities_where(user: Any, action: str) -> QuerySet[Area]:
    """The communities in which ``user`` may do ``action``, in tree order (for per-community settings)."""
    from .models import AreaKind

    return visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, action).order_by("path")

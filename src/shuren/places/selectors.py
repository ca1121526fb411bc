"""Every read of the registry of places: the scoped lists of areas, estates and buildings, their
filters, and the places a user may act in (the place chooser of every PlacedModel form)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length

from shuren.core.scoping import can, scope_paths, scope_q, visible

from .models import Area, AreaKind, Building, Dwelling, Estate, Unit


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


def visible_children(user: Any, area: Area) -> QuerySet[Area]:
    """The sub-areas of ``area`` the user may see."""
    return visible_areas(user).filter(parent=area)


def visible_ancestors(user: Any, area: Area) -> list[Area]:
    """The areas above ``area`` the user may see, from the top."""
    return [a for a in area.ancestors() if can(user, "places.view_area", a)]


def visible_estates(user: Any, *, query: str = "") -> QuerySet[Estate]:
    """Estates the user may see: those of their communities, and for grid-level roles the estates
    that have a building in their grid; ``query`` matches the name or the address."""
    paths = scope_paths(user, "places.view_place")
    if not paths:
        return Estate.objects.none()
    in_scope = Estate.objects.filter(scope_q(paths, "scope"))
    via_buildings = Estate.objects.filter(pk__in=Building.objects.filter(scope_q(paths, "scope")).values("estate"))
    estates = (
        (in_scope | via_buildings)
        .distinct()
        .select_related("community")
        .annotate(building_count=Count("buildings", distinct=True), dwelling_count=Count("buildings__units__dwellings"))
        .order_by("scope", "name")
    )
    query = query.strip()
    if query:
        estates = estates.filter(Q(name__contains=query) | Q(address__contains=query))
    return estates


def visible_buildings(user: Any, *, estate: Estate | None = None) -> QuerySet[Building]:
    buildings = visible(Building.objects.select_related("estate", "grid"), user, "places.view_place")
    if estate is not None:
        buildings = buildings.filter(estate=estate)
    return buildings.annotate(
        unit_count=Count("units", distinct=True), dwelling_count=Count("units__dwellings")
    ).order_by("estate__name", "number")


def visible_dwellings(user: Any) -> QuerySet[Dwelling]:
    return visible(Dwelling.objects.select_related("unit__building__estate"), user, "places.view_place")


def units_with_dwellings(building: Building) -> list[tuple[Unit, list[Dwelling]]]:
    """The stairwell units of ``building``, each with its dwellings from the top floor down."""
    dwellings = (
        Dwelling.objects.filter(unit__building=building).select_related("unit").order_by("unit", "-floor", "room")
    )
    by_unit: dict[Unit, list[Dwelling]] = defaultdict(list)
    for dwelling in dwellings:
        by_unit[dwelling.unit].append(dwelling)
    return [(unit, by_unit.get(unit, [])) for unit in building.units.all()]


def communities_where(user: Any, action: str) -> QuerySet[Area]:
    """The communities in which ``user`` may do ``action``, in tree order (for per-community settings)."""
    return visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, action).order_by("path")


def grids_where(user: Any, action: str, community_id: int) -> QuerySet[Area]:
    """The grids of a community in which ``user`` may do ``action``."""
    return visible(Area.objects.filter(kind=AreaKind.GRID, parent=community_id), user, action)


def estates_where(user: Any, action: str, *, community: Area | None = None) -> QuerySet[Estate]:
    """The estates (of ``community`` when given) in which ``user`` may do ``action``."""
    estates = Estate.objects.all() if community is None else Estate.objects.filter(community=community)
    return visible(estates, user, action)


def estates_of_community(community: Area) -> QuerySet[Estate]:
    """Every estate of ``community`` (the choices of an organisation already in that community)."""
    return Estate.objects.filter(community=community)


def buildings_where(user: Any, action: str) -> QuerySet[Building]:
    """The buildings in which ``user`` may do ``action``, by estate and number."""
    return visible(Building.objects.select_related("estate"), user, action).order_by("estate__name", "number")


def areas_where(user: Any, action: str) -> QuerySet[Area]:
    """The communities and grids in which ``user`` may do ``action``, in tree order."""
    return visible(Area.objects.filter(kind__in=[AreaKind.COMMUNITY, AreaKind.GRID]), user, action).order_by("path")


def dwelling_where(user: Any, action: str, *, estate: Estate, building: str, unit: str, room: str) -> Dwelling | None:
    """The dwelling at an address typed by hand (estate, building number, unit, room), if the user
    may do ``action`` there."""
    return (
        visible(Dwelling.objects.all(), user, action)
        .filter(
            unit__building__estate=estate,
            unit__building__number=building.strip(),
            unit__number=unit.strip(),
            room=room.strip(),
        )
        .first()
    )


# --- the place chooser (forms.PlaceFieldsMixin and places:place_options) ---------------------------


def by_number(buildings: QuerySet[Building]) -> QuerySet[Building]:
    """Buildings in the order people count them: 2座 before 10座."""
    return buildings.order_by(Length("number"), "number")


def acting_areas(user: Any, action: str) -> QuerySet[Area]:
    """Communities and grids where ``user`` may perform ``action``, and the community around a grid
    they work in (an estate-wide matter is filed under the community)."""
    paths = scope_paths(user, action)
    if not paths:
        return Area.objects.none()
    enclosing = [p.rsplit(".", 1)[0] for p in paths if p.count(".") >= 3]
    return (
        Area.objects.filter(kind__in=(AreaKind.GRID, AreaKind.COMMUNITY))
        .filter(scope_q(paths, "path") | Q(path__in=enclosing))
        .order_by("path")
    )


def acting_estates(user: Any, action: str) -> QuerySet[Estate]:
    """Estates of the user's areas, and for grid-level users the estates with a building in their grid."""
    paths = scope_paths(user, action)
    if not paths:
        return Estate.objects.none()
    via_buildings = Building.objects.filter(scope_q(paths, "scope")).values("estate")
    return Estate.objects.filter(scope_q(paths, "scope") | Q(pk__in=via_buildings)).order_by("name")


def acting_buildings(user: Any, action: str) -> QuerySet[Building]:
    paths = scope_paths(user, action)
    if not paths:
        return Building.objects.none()
    return Building.objects.filter(scope_q(paths, "scope")).select_related("estate")


def buildings_of_estate(buildings: QuerySet[Building], estate_id: int | str) -> QuerySet[Building]:
    """Those of ``buildings`` in the estate ``estate_id``, in the order people count them."""
    return by_number(buildings.filter(estate_id=estate_id))


def acting_units(buildings: QuerySet[Building], *, building_id: int | None) -> QuerySet[Unit]:
    """The stairwell units of a chosen building among ``buildings`` (none until one is chosen)."""
    units = Unit.objects.filter(building__in=buildings)
    return units.filter(building_id=building_id) if building_id else units.none()


def place_options(user: Any, action: str, *, estate_id: str = "", building_id: str = "") -> list[tuple[int, str]]:
    """The <option>s of the chooser: the buildings of an estate, or the units of a building, where
    the user may perform ``action``."""
    buildings = acting_buildings(user, action)
    if estate_id.isdigit():
        return [(b.pk, b.number) for b in buildings_of_estate(buildings, estate_id)]
    if building_id.isdigit():
        units = Unit.objects.filter(building__in=buildings, building_id=building_id).order_by("number")
        return [(u.pk, u.number) for u in units]
    return []

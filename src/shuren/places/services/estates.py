"""Writes to the estates, buildings, units and dwellings below the grid. Each function checks scope,
writes in one transaction and audits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.scoping import require

from ..models import Area, AreaKind, Building, Dwelling, Estate, Unit


def create_estate(
    *, actor: User, community: Area, name: str, address: str = "", built_year: int | None = None
) -> Estate:
    """Add an estate to ``community`` (scope-checked, validated, audited)."""
    require(actor, "places.change_place", community)
    with transaction.atomic():
        estate = Estate(community=community, name=name, address=address, built_year=built_year)
        estate.full_clean()
        estate.save()
        record_event("places.estate_create", actor=actor, obj=estate, detail={"name": name})
    return estate


def lay_out_dwellings(
    unit: Unit, *, floors: int, per_floor: int, area: Callable[[int, int], Decimal | None] | None = None
) -> list[Dwelling]:
    """Unsaved dwellings for every floor of ``unit``, numbered the usual way (floor then room: 101,
    102, ... 1201, 1202); ``area(floor, room)`` may give each its exclusive floor area."""
    return [
        Dwelling(
            unit=unit,
            floor=floor,
            room=f"{floor}{room:02d}",
            exclusive_area=area(floor, room) if area else None,
            scope=unit.scope,
        )
        for floor in range(1, floors + 1)
        for room in range(1, per_floor + 1)
    ]


def create_building(
    *,
    actor: User,
    estate: Estate,
    grid: Area,
    number: str,
    floors: int | None = None,
    has_lift: bool = False,
    units: int = 1,
    rooms_per_floor: int = 0,
) -> Building:
    """Add a building with ``units`` stairwell units. With ``rooms_per_floor`` it also lays out the
    dwellings, numbered the usual way (floor then room: 101, 102, ... 1201, 1202)."""
    require(actor, "places.change_place", estate)
    require(actor, "places.change_place", grid)
    with transaction.atomic():
        building = Building(estate=estate, grid=grid, number=number, floors=floors, has_lift=has_lift)
        building.full_clean()
        building.save()
        dwellings = []
        for n in range(1, max(1, units) + 1):
            unit = Unit.objects.create(building=building, number=f"{n}单元")
            if rooms_per_floor and floors:
                dwellings += lay_out_dwellings(unit, floors=floors, per_floor=rooms_per_floor)
        Dwelling.objects.bulk_create(dwellings)
        record_event(
            "places.building_create",
            actor=actor,
            obj=building,
            detail={"number": number, "units": units, "dwellings": len(dwellings)},
        )
    return building


def move_building_to_grid(*, actor: User, building: Building, grid: Area, version: int) -> Building:
    """Redraw a grid boundary: ``building`` (and every unit and dwelling in it) now belongs to
    ``grid``. Both grids must be within the actor's reach; the building must still be at ``version``."""
    require(actor, "places.change_place", building)
    require(actor, "places.change_place", grid)
    if grid.kind != AreaKind.GRID or grid.parent_id != building.estate.community_id:
        raise ValidationError({"grid": [_("The grid must belong to the estate's community.")]})
    old = building.grid.path
    with transaction.atomic():
        update_versioned(Building, pk=building.pk, version=version, grid=grid, scope=grid.path)
        Unit.objects.filter(building=building).update(scope=grid.path)
        Dwelling.objects.filter(unit__building=building).update(scope=grid.path)
        record_event("places.building_move", actor=actor, obj=building, detail={"from": old, "to": grid.path})
    building.refresh_from_db()
    return building


def update_dwelling(
    *,
    actor: User,
    dwelling: Dwelling,
    room: str,
    floor: int,
    exclusive_area: Decimal | None,
    version: int,
    held_by_developer: bool | None = None,
) -> Dwelling:
    """Correct a dwelling's room, floor, exclusive area or whether the developer still holds it
    (optimistic concurrency on ``version``); ``held_by_developer=None`` leaves that flag as it is."""
    require(actor, "places.change_place", dwelling)
    room = room.strip()
    if Dwelling.objects.filter(unit=dwelling.unit, room=room).exclude(pk=dwelling.pk).exists():
        raise ValidationError({"room": [_("This unit already has a room %(room)s.") % {"room": room}]})
    with transaction.atomic():
        held = dwelling.held_by_developer if held_by_developer is None else held_by_developer
        update_versioned(
            Dwelling,
            pk=dwelling.pk,
            version=version,
            room=room,
            floor=floor,
            exclusive_area=exclusive_area,
            held_by_developer=held,
        )
        record_event(
            "places.dwelling_update",
            actor=actor,
            obj=dwelling,
            detail={
                "room": [dwelling.room, room],
                "floor": [dwelling.floor, floor],
                "area": [str(dwelling.exclusive_area or ""), str(exclusive_area or "")],
                "held_by_developer": [dwelling.held_by_developer, held],
            },
        )
    dwelling.refresh_from_db()
    return dwelling


def update_estate(
    *, actor: User, estate: Estate, name: str, address: str, built_year: int | None, version: int
) -> Estate:
    """Rename or correct an estate (optimistic concurrency on ``version``; names unique per community)."""
    require(actor, "places.change_place", estate)
    name = name.strip()
    if Estate.objects.filter(community_id=estate.community_id, name=name).exclude(pk=estate.pk).exists():
        raise ValidationError({"name": [_("This community already has an estate of that name.")]})
    with transaction.atomic():
        update_versioned(Estate, pk=estate.pk, version=version, name=name, address=address, built_year=built_year)
        record_event("places.estate_update", actor=actor, obj=estate, detail={"name": [estate.name, name]})
    estate.refresh_from_db()
    return estate


def update_building(
    *, actor: User, building: Building, number: str, floors: int | None, has_lift: bool, version: int
) -> Building:
    """Correct a building's number, floors or lift (a lift added under 加装电梯 is recorded here)."""
    require(actor, "places.change_place", building)
    number = number.strip()
    if Building.objects.filter(estate_id=building.estate_id, number=number).exclude(pk=building.pk).exists():
        raise ValidationError({"number": [_("This estate already has a building %(number)s.") % {"number": number}]})
    with transaction.atomic():
        update_versioned(Building, pk=building.pk, version=version, number=number, floors=floors, has_lift=has_lift)
        record_event(
            "places.building_update",
            actor=actor,
            obj=building,
            detail={"number": [building.number, number], "has_lift": [building.has_lift, has_lift]},
        )
    building.refresh_from_db()
    return building

"""Who lives where, for co-governance: the places a resident may propose for, and whether a person
lives inside a placed object (a proposal, a convention). A person lives in a place through a current
residence (``to_on`` empty) in a dwelling inside it; the place is a stairwell unit, a building, an
estate (optionally within one grid) or a grid/community.

Proposals (proposing, co-signing) and conventions (commenting on a draft) use these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shuren.people.models import Person, Residence
from shuren.places.models import Area, AreaKind, Building, Estate, Unit


@dataclass(frozen=True)
class Place:
    """One place a resident may propose for; ``key`` is what forms and the API send back."""

    key: str
    label: str
    area: Area
    estate: Estate | None = None
    building: Building | None = None
    unit: Unit | None = None


def person_of(user: Any) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def current_residences(person: Person | None) -> QuerySet[Residence]:
    if person is None:
        return Residence.objects.none()
    return Residence.objects.filter(person=person, to_on__isnull=True).select_related(
        "dwelling__unit__building__estate", "dwelling__unit__building__grid__parent"
    )


def places_of(user: Any) -> list[Place]:
    """The places the user lives in, narrowest first: unit, building, estate, grid, community."""
    seen: dict[str, Place] = {}
    for residence in current_residences(person_of(user)):
        unit = residence.dwelling.unit
        building = unit.building
        estate = building.estate
        grid = building.grid
        community = grid.parent if grid.kind == AreaKind.GRID and grid.parent is not None else grid
        for place in (
            Place(f"unit:{unit.pk}", str(unit), grid, estate, building, unit),
            Place(f"building:{building.pk}", str(building), grid, estate, building),
            Place(f"estate:{estate.pk}", estate.name, community, estate),
            Place(f"area:{grid.pk}", grid.name, grid),
            Place(f"area:{community.pk}", community.name, community),
        ):
            seen.setdefault(place.key, place)
    return list(seen.values())


def place_by_key(user: Any, key: str) -> Place:
    for place in places_of(user):
        if place.key == key:
            return place
    raise ValidationError({"place": [_("Choose one of the places where you live.")]})


def residents_of(placed: Any) -> QuerySet[Residence]:
    """Current residences inside the place of ``placed`` (any PlacedModel)."""
    qs = Residence.objects.filter(to_on__isnull=True).filter(
        Q(scope=placed.area.path) | Q(scope__startswith=placed.area.path + ".")
    )
    if placed.unit_id:
        return qs.filter(dwelling__unit_id=placed.unit_id)
    if placed.building_id:
        return qs.filter(dwelling__unit__building_id=placed.building_id)
    if placed.estate_id:
        return qs.filter(dwelling__unit__building__estate_id=placed.estate_id)
    return qs


def lives_in(person: Person | None, placed: Any) -> bool:
    return person is not None and residents_of(placed).filter(person=person).exists()


def placed_in_my_places_q(user: Any) -> Q:
    """A filter on any PlacedModel: objects whose place contains one of the user's current homes."""
    query = Q(pk__in=[])
    for residence in current_residences(person_of(user)):
        unit = residence.dwelling.unit
        building = unit.building
        grid = building.grid
        community = grid.parent if grid.kind == AreaKind.GRID and grid.parent is not None else grid
        query |= (
            Q(unit=unit)
            | Q(unit__isnull=True, building=building)
            | Q(building__isnull=True, estate=building.estate, area__in=[grid, community])
            | Q(estate__isnull=True, area__in=[grid, community])
        )
    return query


def place_covers(outer: Any, inner: Any) -> bool:
    """True when the place of ``outer`` (a meeting, a ballot) contains the place of ``inner``: its
    area covers the other's scope, and a unit, building or estate, when set, is the same one."""
    from shuren.core.scoping import path_covers

    if not path_covers(outer.area.path, inner.scope):
        return False
    if outer.unit_id:
        return inner.unit_id == outer.unit_id
    if outer.building_id:
        return inner.building_id == outer.building_id
    if outer.estate_id:
        return inner.estate_id == outer.estate_id
    return True

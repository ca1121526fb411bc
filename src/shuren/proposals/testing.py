"""Test fixtures for proposals and conventions: community A's estate 富丰新城 with building 3座
(two stairwell units) and building 5座 in grid 1, staff, and a helper that makes a resident living
in a given dwelling (with an account holding the resident role)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from shuren.accounts.roles import Role
from shuren.people.models import Person, Residence
from shuren.places.models import Dwelling


@dataclass
class CoWorld:
    tree: dict[str, Any]
    estate: Any
    b3: Any
    b5: Any
    estate_b: Any
    building_b: Any
    make_user: Any
    users: dict[str, Any] = field(default_factory=dict)
    counter: list[int] = field(default_factory=lambda: [0])

    def resident(self, building: Any = None, *, unit: str = "1单元", room: str = "101", name: str = "") -> Any:
        """A new resident account living in ``room`` of ``unit`` of ``building`` (3座 by default)."""
        building = building or self.b3
        self.counter[0] += 1
        n = self.counter[0]
        grid = building.grid
        user = self.make_user(Role.RESIDENT, grid, username=f"res{n}")
        person = Person.objects.create(community=grid.parent, name=name or f"居民{n}号", user=user)
        Residence.objects.create(
            person=person,
            dwelling=Dwelling.objects.get(unit__building=building, unit__number=unit, room=room),
            relation="owner",
            status="permanent",
        )
        return user


@pytest.fixture
def co_world(tree, make_user) -> CoWorld:
    from shuren.places.services import create_building, create_estate

    com_a, com_b = tree["com_a"], tree["com_b"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="co_staff")
    staff_b = make_user(Role.COMMUNITY_STAFF, com_b, username="co_staff_b")
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    b3 = create_building(
        actor=staff, estate=estate, grid=tree["grid_a1"], number="3座", floors=6, units=2, rooms_per_floor=4
    )
    b5 = create_building(actor=staff, estate=estate, grid=tree["grid_a2"], number="5座", floors=3, rooms_per_floor=2)
    estate_b = create_estate(actor=staff_b, community=com_b, name="金旗峰花园")
    building_b = create_building(
        actor=staff_b, estate=estate_b, grid=tree["grid_b1"], number="1栋", floors=3, rooms_per_floor=2
    )
    world = CoWorld(
        tree=tree, estate=estate, b3=b3, b5=b5, estate_b=estate_b, building_b=building_b, make_user=make_user
    )
    world.users.update(
        staff=staff,
        staff_b=staff_b,
        secretary=make_user(Role.COMMUNITY_SECRETARY, com_a, username="co_secretary"),
        grid_worker=make_user(Role.GRID_WORKER, tree["grid_a1"], username="co_gridworker"),
        subdistrict=make_user(Role.SUBDISTRICT_STAFF, tree["sub_a"], username="co_substaff"),
    )
    return world

"""Test fixtures for meetings (imported by the meetings tests and the browser journey).

``meeting_world``: community A's estate 富丰新城 with buildings 1座 (grid 1) and 2座 (grid 2); the
community staff who convene; two building leaders with accounts and registry entries; the branch
(党支部) with two members, one of them a building leader; the property manager 富丰物业; a resident
of 1座; and community B's staff for the scoping checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.people.models import Person, Residence
from shuren.places.models import Dwelling

from .models import Meeting


@dataclass
class MeetingWorld:
    tree: dict[str, Any]
    estate: Any
    buildings: list[Any]
    branch: Organization
    property_manager: Organization
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)

    def schedule(self, *, kind: str = "joint", days: int = 3, actor: User | None = None, **kwargs: Any) -> Meeting:
        from .services import schedule_meeting

        starts = timezone.now() + dt.timedelta(days=days)
        kwargs.setdefault("area", self.tree["com_a"])
        return schedule_meeting(
            actor=actor or self.users["staff"],
            kind=kind,
            title=kwargs.pop("title", "富丰新城联席会议"),
            starts_at=kwargs.pop("starts_at", starts),
            ends_at=kwargs.pop("ends_at", starts + dt.timedelta(hours=2)),
            location=kwargs.pop("location", "富丰新城党群服务站"),
            **kwargs,
        )


@pytest.fixture
def meeting_world(tree, make_user) -> MeetingWorld:
    from shuren.places.services import create_building, create_estate

    com_a = tree["com_a"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="mt_staff")
    staff.full_name = "陈社工"
    staff.save()
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    buildings = [
        create_building(actor=staff, estate=estate, grid=tree[grid], number=number, floors=3, rooms_per_floor=2)
        for grid, number in (("grid_a1", "1座"), ("grid_a2", "2座"))
    ]
    branch = Organization.objects.create(kind=OrganizationKind.PARTY_BRANCH, name="富丰新城党支部", area=com_a)
    manager = Organization.objects.create(
        kind=OrganizationKind.PROPERTY_MANAGER, name="富丰物业", area=com_a, estate=estate
    )
    world = MeetingWorld(tree=tree, estate=estate, buildings=buildings, branch=branch, property_manager=manager)
    world.users["staff"] = staff
    world.users["staff_b"] = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="mt_staff_b")
    for key, grid, name in (("leader1", "grid_a1", "何伯"), ("leader2", "grid_a2", "梁姨")):
        user = make_user(Role.BUILDING_LEADER, tree[grid], username=f"mt_{key}")
        user.full_name = name
        user.save()
        world.users[key] = user
        world.people[key] = Person.objects.create(community=com_a, name=name, user=user)
    resident = make_user(Role.RESIDENT, tree["grid_a1"], username="mt_resident")
    world.users["resident"] = resident
    world.people["resident"] = Person.objects.create(community=com_a, name="林小梅", user=resident)
    Residence.objects.create(
        person=world.people["resident"],
        dwelling=Dwelling.objects.get(unit__building=buildings[0], room="201"),
        relation="owner",
        status="permanent",
    )
    world.people["member"] = Person.objects.create(community=com_a, name="黄党员")
    Membership.objects.create(organization=branch, person=world.people["member"])
    Membership.objects.create(organization=branch, person=world.people["leader1"])
    return world

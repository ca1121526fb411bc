"""Test fixtures for the lists (used by ``lists/tests`` and the browser tests).

``lists_world`` builds community A's estate 富丰新城 (one building in grid 1), its staff and grid
worker, the property manager 富丰物业 with a contact who has an account (何建华), a law firm with
its own contact, a resident of grid 1 with an account (林小梅), and staff and a resident of
community B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.people.models import Person

from .models import Category, Need, Resource, ResourceKind


@dataclass
class ListsWorld:
    tree: dict[str, Any]
    estate: Any
    building: Any
    manager: Organization
    lawyers: Organization
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def need(self, *, actor: User | None = None, **kwargs: Any) -> Need:
        from .services import create_need

        kwargs.setdefault("title", "楼道灯维修：1座2楼楼道灯不亮")
        kwargs.setdefault("category", Category.REPAIR)
        if not any(kwargs.get(k) for k in ("area", "estate", "building", "dwelling")):
            kwargs["area"] = self.tree["grid_a1"]
        return create_need(actor=actor or self.users["staff"], **kwargs)

    def resource(self, *, actor: User | None = None, **kwargs: Any) -> Resource:
        from .services import create_resource

        kwargs.setdefault("title", "楼道灯具维修")
        kwargs.setdefault("kind", ResourceKind.SERVICE)
        kwargs.setdefault("category", Category.REPAIR)
        if "person" not in kwargs:
            kwargs.setdefault("organization", self.manager)
        kwargs.setdefault("area", self.tree["grid_a1"])
        kwargs.setdefault("capacity", 5)
        return create_resource(actor=actor or self.users["staff"], **kwargs)


@pytest.fixture
def lists_world(tree: dict[str, Any], make_user: Any) -> ListsWorld:
    from shuren.places.services import create_building, create_estate

    com_a = tree["com_a"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="lists_staff")
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    building = create_building(
        actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2
    )
    manager = Organization.objects.create(
        kind=OrganizationKind.PROPERTY_MANAGER, name="富丰物业", area=com_a, estate=estate
    )
    lawyers = Organization.objects.create(kind=OrganizationKind.MEMBER_UNIT, name="南粤律师事务所", area=com_a)
    world = ListsWorld(tree=tree, estate=estate, building=building, manager=manager, lawyers=lawyers)
    world.users["staff"] = staff
    world.users["grid_worker"] = make_user(Role.GRID_WORKER, tree["grid_a1"], username="lists_grid")
    world.users["staff_b"] = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="lists_staff_b")

    def person(username: str, name: str, role: str | None, area: Any) -> Any:
        user = make_user(role, area, username=username) if role else make_user(username=username)
        community = area.parent if area.kind == "grid" else area
        world.people[username] = Person.objects.create(community=community, name=name, user=user)
        Person.objects.filter(pk=world.people[username].pk).update(scope=area.path)
        world.people[username].refresh_from_db()
        world.users[username] = user
        return user

    person("pm_contact", "何建华", None, tree["grid_a1"])
    Membership.objects.create(organization=manager, person=world.people["pm_contact"], role="contact")
    person("pm_member", "赵普通", None, tree["grid_a1"])
    Membership.objects.create(organization=manager, person=world.people["pm_member"], role="member")
    person("lawyer", "周律师", None, tree["grid_a1"])
    Membership.objects.create(organization=lawyers, person=world.people["lawyer"], role="contact")
    person("resident", "林小梅", Role.RESIDENT, tree["grid_a1"])
    person("resident_b", "金旗峰居民", Role.RESIDENT, tree["grid_b1"])
    return world

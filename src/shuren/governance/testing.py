"""Test fixtures for the governance list (used by ``governance/tests`` and the browser tests).

``gov_world`` builds community A's estate 富丰新城 (two buildings in grid 1), its staff, a verifier,
a party member, a volunteer, a plain resident living in building 1, the property manager 富丰物业
with a member who has an account, a volunteer team, and a resident of community B.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.people.models import PartyMembership, Person
from shuren.places.models import Dwelling

from .models import GovernanceItem


@dataclass
class GovernanceWorld:
    tree: dict[str, Any]
    estate: Any
    buildings: list[Any]
    property_manager: Organization
    volunteer_team: Organization
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def item(self, *, actor: User | None = None, **kwargs: Any) -> GovernanceItem:
        from .services import create_item

        kwargs.setdefault("title", "富丰新城电动车充电桩扩建")
        kwargs.setdefault("description", "5座旁的充电棚不够用，晚上有人把电动车推进楼道充电。")
        if not any(kwargs.get(k) for k in ("area", "estate", "building", "unit")):
            kwargs["estate"] = self.estate
        kwargs.setdefault("points", 10)
        return create_item(actor=actor or self.users["staff"], **kwargs)

    def claimed(self, who: str = "party_member", **kwargs: Any) -> GovernanceItem:
        from .services import claim_item

        item = self.item(**kwargs)
        claim_item(actor=self.users[who], item=item, version=item.version)
        item.refresh_from_db()
        return item

    def submitted(self, who: str = "party_member", **kwargs: Any) -> GovernanceItem:
        from .services import submit_item

        item = self.claimed(who, **kwargs)
        return submit_item(actor=self.users[who], item=item, version=item.version, text="已协调物业加装20个充电口")


@pytest.fixture
def gov_world(tree: dict[str, Any], make_user: Any) -> GovernanceWorld:
    from shuren.people.services import add_residence
    from shuren.places.services import create_building, create_estate

    com_a = tree["com_a"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="gov_staff")
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    buildings = [
        create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number=f"{n}座", floors=3, rooms_per_floor=2)
        for n in (1, 2)
    ]
    manager = Organization.objects.create(
        kind=OrganizationKind.PROPERTY_MANAGER, name="富丰物业", area=com_a, estate=estate
    )
    team = Organization.objects.create(kind=OrganizationKind.VOLUNTEER_TEAM, name="富丰新城志愿服务队", area=com_a)
    world = GovernanceWorld(
        tree=tree, estate=estate, buildings=buildings, property_manager=manager, volunteer_team=team
    )
    world.users["staff"] = staff
    world.users["secretary"] = make_user(Role.COMMUNITY_SECRETARY, com_a, username="gov_secretary")
    world.users["grid_worker"] = make_user(Role.GRID_WORKER, tree["grid_a1"], username="gov_grid")
    world.users["staff_b"] = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="gov_staff_b")

    def resident(username: str, name: str, role: str = Role.RESIDENT, area: Any = None, room: str = "") -> Any:
        user = make_user(role, area or tree["grid_a1"], username=username)
        community = (area or tree["grid_a1"]).parent if (area or tree["grid_a1"]).kind == "grid" else area
        person = Person.objects.create(community=community, name=name, user=user)
        if room:
            add_residence(
                actor=staff,
                person=person,
                dwelling=Dwelling.objects.get(unit__building=buildings[0], room=room),
                relation="owner",
                status="permanent",
            )
        world.users[username] = user
        world.people[username] = person
        return user

    resident("party_member", "张天宝", room="101")
    PartyMembership.objects.create(
        person=world.people["party_member"], status="formal", relation="registered", joined_on=dt.date(1998, 7, 1)
    )
    resident("party_member2", "欧阳丽华", room="102")
    PartyMembership.objects.create(person=world.people["party_member2"], status="formal", relation="in_service")
    resident("volunteer", "陈志强", role=Role.VOLUNTEER)
    resident("resident", "林小梅", room="301")
    resident("pm_member", "何建华")
    Membership.objects.create(organization=manager, person=world.people["pm_member"], role="contact")
    resident("resident_b", "金旗峰居民", area=tree["grid_b1"])
    return world

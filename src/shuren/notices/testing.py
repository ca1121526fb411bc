"""Test fixtures for the notices (``notices/tests`` and the browser journey).

``notice_world`` builds community A's estate 富丰新城 with two buildings in grid 1 (two units each,
three floors of two dwellings), residents with and without accounts (an elderly woman living alone,
a party member, a volunteer), a building leader who leads building 1, a grid worker, community
staff, and community B's staff and a resident there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.accounts.roles import ROLE_ACTIONS, Role
from shuren.orgs.models import Organization, OrganizationKind
from shuren.people.models import Person, PersonTag, PersonTagging
from shuren.places.models import Dwelling

from .models import Notice

# The notices' actions per role (accounts.roles holds the table; these are what each role needs).
NOTICE_ACTIONS: dict[str, frozenset[str]] = {
    Role.BUILDING_LEADER: frozenset({"notices.view", "notices.write", "notices.tell"}),
    Role.GRID_WORKER: frozenset({"notices.view", "notices.write", "notices.tell"}),
    Role.COMMUNITY_STAFF: frozenset({"notices.view", "notices.write", "notices.tell", "notices.manage_groups"}),
    Role.COMMUNITY_SECRETARY: frozenset({"notices.view", "notices.write", "notices.tell", "notices.manage_groups"}),
    Role.SUBDISTRICT_STAFF: frozenset({"notices.view", "notices.write", "notices.manage_groups"}),
    Role.DISTRICT_STAFF: frozenset({"notices.view", "notices.write"}),
}


@pytest.fixture
def notice_actions() -> Iterator[None]:
    """The roles hold the notices' actions (a no-op once ``accounts.roles`` lists them)."""
    saved = dict(ROLE_ACTIONS)
    for role, actions in NOTICE_ACTIONS.items():
        ROLE_ACTIONS[role] = ROLE_ACTIONS[role] | actions
    try:
        yield
    finally:
        ROLE_ACTIONS.clear()
        ROLE_ACTIONS.update(saved)


@dataclass
class NoticeWorld:
    tree: dict[str, Any]
    estate: Any
    buildings: list[Any]
    tags: dict[str, PersonTag]
    team: Organization
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def dwelling(self, building: int, room: str, unit: str = "1单元") -> Dwelling:
        return Dwelling.objects.get(unit__building=self.buildings[building], unit__number=unit, room=room)

    def notice(self, *, actor: str = "staff", **kwargs: Any) -> Notice:
        from .services import create_notice

        kwargs.setdefault("title", "停水通知")
        kwargs.setdefault("body", "因管道检修，12月8日9:00至17:00停水，请提前储水。")
        if not any(kwargs.get(k) for k in ("area", "estate", "building", "unit")):
            kwargs["building"] = self.buildings[0]
        return create_notice(actor=self.users[actor], **kwargs)

    def published(self, *, actor: str = "staff", **kwargs: Any) -> Notice:
        from .services import publish_notice

        notice = self.notice(actor=actor, **kwargs)
        return publish_notice(actor=self.users[actor], notice=notice, version=notice.version)


@pytest.fixture
def notice_world(tree: dict[str, Any], make_user: Any, notice_actions: None) -> NoticeWorld:
    from shuren.orgs.models import Membership, PostKind
    from shuren.orgs.services import assign_post
    from shuren.people.services import add_residence
    from shuren.places.services import create_building, create_estate

    com_a = tree["com_a"]
    staff = make_user(Role.COMMUNITY_STAFF, com_a, username="nt_staff")
    estate = create_estate(actor=staff, community=com_a, name="富丰新城")
    buildings = [
        create_building(
            actor=staff, estate=estate, grid=tree["grid_a1"], number=f"{n}座", floors=3, units=2, rooms_per_floor=2
        )
        for n in (1, 2)
    ]
    tags = {
        "elderly_alone": PersonTag.objects.get_or_create(code="elderly_alone", defaults={"name": "独居老人"})[0],
        "party_member": PersonTag.objects.get_or_create(code="party_member", defaults={"name": "党员"})[0],
    }
    team = Organization.objects.create(kind=OrganizationKind.VOLUNTEER_TEAM, name="富丰新城志愿服务队", area=com_a)
    world = NoticeWorld(tree=tree, estate=estate, buildings=buildings, tags=tags, team=team)
    world.users["staff"] = staff
    world.users["grid_worker"] = make_user(Role.GRID_WORKER, tree["grid_a1"], username="nt_grid")
    world.users["grid_worker2"] = make_user(Role.GRID_WORKER, tree["grid_a2"], username="nt_grid2")
    world.users["staff_b"] = make_user(Role.COMMUNITY_STAFF, tree["com_b"], username="nt_staff_b")

    def person(
        key: str, name: str, room: str | None, *, building: int = 0, unit: str = "1单元", role: str = ""
    ) -> Person:
        user = make_user(role, tree["grid_a1"], username=f"nt_{key}", phone="") if role else None
        found = Person.objects.create(community=com_a, name=name, user=user)
        if room is not None:
            add_residence(
                actor=staff,
                person=found,
                dwelling=world.dwelling(building, room, unit),
                relation="owner",
                status="permanent",
            )
        world.people[key] = found
        if user is not None:
            world.users[key] = user
        return found

    # Building 1, unit 1: 101 an elderly woman living alone (no account); 102 a party member and his
    # wife (accounts); 201 a volunteer (account); 202 a family without accounts.
    PersonTagging.objects.create(person=person("granny", "王秀英", "101"), tag=tags["elderly_alone"])
    PersonTagging.objects.create(person=person("party", "张天宝", "102", role=Role.RESIDENT), tag=tags["party_member"])
    person("wife", "李美玲", "102", role=Role.RESIDENT)
    Membership.objects.create(organization=team, person=person("volunteer", "陈志强", "201", role=Role.VOLUNTEER))
    person("family", "赵大海", "202")
    # Building 1, unit 2: 101 a resident with an account.
    person("unit2", "刘小红", "101", unit="2单元", role=Role.RESIDENT)
    # Building 2: 101 a resident with an account.
    person("b2", "孙建国", "101", building=1, role=Role.RESIDENT)
    # The building leader of building 1 lives in building 1, unit 1, 301.
    leader = person("leader", "周楼长", "301", role=Role.BUILDING_LEADER)
    kind = PostKind.objects.get(code=PostKind.BUILDING_LEADER)
    assign_post(actor=staff, kind=kind, person=leader, area=tree["grid_a1"], buildings=[buildings[0]])
    # Community B: a resident with an account and its staff.
    other = make_user(Role.RESIDENT, tree["grid_b1"], username="nt_resident_b")
    Person.objects.create(community=tree["com_b"], name="金旗峰居民", user=other)
    world.users["resident_b"] = other
    return world

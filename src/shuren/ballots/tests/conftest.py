"""A stairwell unit of an old building in community A, with owners in the registry:

====  =======  ==========================================
room  area m²  owners (current Residence, relation owner)
====  =======  ==========================================
101   90.00    王芳 and 李强 (co-owners)
102   80.00    李强 (who also co-owns 101: one voter with 101)
201   100.00   张伟
202   70.00    (nobody registered: owner unknown)
301   60.00    held by the developer (the registry lists 赵敏, ignored)
302   50.00    held by the developer
====  =======  ==========================================

Voters: {101, 102} 170 m², {201} 100 m², {202} 70 m² unknown, developer {301, 302} 110 m² — four
owners, 450 m². Users: staff (community staff of A), and one account per owner.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.people.models import Person, Residence
from shuren.places.models import Building, Dwelling, Estate, Unit

ROOMS = [("101", 1, "90.00"), ("102", 1, "80.00"), ("201", 2, "100.00"), ("202", 2, "70.00")]
DEVELOPER_ROOMS = [("301", 3, "60.00"), ("302", 3, "50.00")]


def build_world(tree, make_user) -> SimpleNamespace:
    com_a, grid = tree["com_a"], tree["grid_a1"]
    estate = Estate.objects.create(community=com_a, name="富丰新城")
    building = Building.objects.create(estate=estate, number="3座", grid=grid, floors=7)
    unit = Unit.objects.create(building=building, number="1单元")
    other_unit = Unit.objects.create(building=building, number="2单元")
    rooms = {}
    for room, floor, area in ROOMS:
        rooms[room] = Dwelling.objects.create(unit=unit, room=room, floor=floor, exclusive_area=Decimal(area))
    for room, floor, area in DEVELOPER_ROOMS:
        rooms[room] = Dwelling.objects.create(
            unit=unit, room=room, floor=floor, exclusive_area=Decimal(area), held_by_developer=True
        )
    rooms["2-101"] = Dwelling.objects.create(unit=other_unit, room="101", floor=1, exclusive_area=Decimal("88.00"))
    people = {}
    users = {"staff": make_user(Role.COMMUNITY_STAFF, com_a, username="staff")}
    for name, username in (("王芳", "wangfang"), ("李强", "liqiang"), ("张伟", "zhangwei"), ("赵敏", "zhaomin")):
        user = make_user(Role.RESIDENT, grid, username=username)
        people[username] = Person.objects.create(community=com_a, name=name, user=user)
        users[username] = user
    users["outsider"] = make_user(Role.RESIDENT, grid, username="outsider")
    Person.objects.create(community=com_a, name="陈静", user=users["outsider"])
    for username, room in (("wangfang", "101"), ("liqiang", "101"), ("liqiang", "102"), ("zhangwei", "201")):
        Residence.objects.create(person=people[username], dwelling=rooms[room], relation="owner", status="permanent")
    Residence.objects.create(person=people["zhaomin"], dwelling=rooms["301"], relation="owner", status="permanent")
    # A former owner of 201 who sold: not in the electorate.
    former = Person.objects.create(community=com_a, name="孙丽")
    Residence.objects.create(
        person=former,
        dwelling=rooms["201"],
        relation="owner",
        status="permanent",
        from_on=dt.date(2001, 1, 1),
        to_on=dt.date(2019, 6, 30),
    )
    # A tenant is not an owner.
    tenant = Person.objects.create(community=com_a, name="周杰")
    Residence.objects.create(person=tenant, dwelling=rooms["202"], relation="tenant", status="floating")
    return SimpleNamespace(
        tree=tree, estate=estate, building=building, unit=unit, rooms=rooms, people=people, users=users
    )


@pytest.fixture
def ballot_world(tree, make_user):
    return build_world(tree, make_user)


def draft_lift_ballot(world, *, rule_code: str | None = None, title: str = "1单元加装电梯"):
    from shuren.ballots import services
    from shuren.ballots.models import BallotRule

    ballot = services.create_ballot(
        actor=world.users["staff"],
        title=title,
        area=world.tree["grid_a1"],
        unit=world.unit,
        closes_at=timezone.now() + dt.timedelta(days=14),
    )
    rule = BallotRule.objects.get(code=rule_code) if rule_code else None
    services.add_matter(
        actor=world.users["staff"], ballot=ballot, title="是否同意加装电梯", civil_code_item=7, rule=rule
    )
    return ballot


def open_lift_ballot(world, **kwargs):
    from shuren.ballots import services

    ballot = draft_lift_ballot(world, **kwargs)
    return services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)

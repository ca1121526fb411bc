"""The party members' annual service target (双50小时): hours per member this year against the
community's target, "behind" measured against the share of the year gone by (for a past year: the
whole target); visible only with volunteering.view and people.view_affiliation over the member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shuren.volunteering import selectors
from shuren.volunteering.models import ServiceRecord, VolunteeringPolicy

pytestmark = pytest.mark.django_db


def record(world, username, minutes, on):
    return ServiceRecord.objects.create(
        person=world.people[username],
        served_on=on,
        minutes=minutes,
        confirmed_by=world.users["staff"],
        confirmed_at=timezone.now(),
        scope=world.tree["com_a"].path,
    )


@pytest.fixture
def members(vol_world):
    for username, name in (("zhang", "张天宝"), ("ouyang", "欧阳丽华"), ("huang", "黄伯荣")):
        vol_world.volunteer(username, name, party=True)
    vol_world.volunteer("plain", "林小梅")  # not a party member
    return vol_world


def test_behind_means_below_the_share_of_the_target_for_the_year_so_far(members):
    world = members
    today = dt.date(2026, 7, 2)  # day 183 of 365: half the year gone by, 25.1 of 50 hours due
    record(world, "zhang", 30 * 60, dt.date(2026, 3, 1))
    record(world, "ouyang", 20 * 60, dt.date(2026, 5, 1))
    record(world, "ouyang", 10 * 60, dt.date(2025, 5, 1))  # last year does not count
    rows = selectors.party_progress(world.users["staff"], world.tree["com_a"], 2026, today=today)
    by_name = {r.person.name: r for r in rows}
    assert set(by_name) == {"张天宝", "欧阳丽华", "黄伯荣"}
    assert by_name["张天宝"].hours == Decimal("30.0") and by_name["张天宝"].percent == 60
    assert not by_name["张天宝"].is_behind
    assert by_name["欧阳丽华"].is_behind and by_name["黄伯荣"].is_behind
    assert by_name["欧阳丽华"].expected == Decimal("25.1")


def test_for_a_past_year_behind_means_below_the_whole_target(members):
    world = members
    VolunteeringPolicy.objects.create(community=world.tree["com_a"], party_member_target_hours=40)
    record(world, "zhang", 40 * 60, dt.date(2025, 11, 1))
    record(world, "ouyang", 39 * 60, dt.date(2025, 11, 1))
    rows = selectors.party_progress(world.users["staff"], world.tree["com_a"], 2025, today=dt.date(2026, 1, 5))
    behind = {r.person.name for r in rows if r.is_behind}
    assert behind == {"欧阳丽华", "黄伯荣"}
    assert {r.target for r in rows} == {40}


def test_a_future_year_has_nobody_behind(members):
    rows = selectors.party_progress(members.users["staff"], members.tree["com_a"], 2027, today=dt.date(2026, 12, 1))
    assert rows and not any(r.is_behind for r in rows)


def test_only_those_in_both_scopes_are_listed(members, make_user):
    from shuren.accounts.roles import Role

    world = members
    assert selectors.party_progress(world.users["staff_b"], world.tree["com_a"], 2026) == []
    building_leader = make_user(Role.BUILDING_LEADER, world.tree["grid_a1"])  # no volunteering.view
    assert selectors.party_progress(building_leader, world.tree["com_a"], 2026) == []
    assert list(selectors.progress_communities(world.users["staff"])) == [world.tree["com_a"]]
    assert list(selectors.progress_communities(world.users["subdistrict"])) == [world.tree["com_a"]]
    assert list(selectors.progress_communities(world.users["grid_worker"])) == [world.tree["com_a"]]

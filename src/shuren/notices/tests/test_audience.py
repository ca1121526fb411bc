"""Who a notice is for: the households and residents of its place, narrowed by tags, roles and
organisations; fixed when it is published."""

from __future__ import annotations

import pytest

from shuren.accounts.roles import Role
from shuren.notices import audience
from shuren.notices.models import NoticeReader

pytestmark = pytest.mark.django_db


def rooms(notice) -> set[str]:
    return {f"{r.dwelling.unit.number}{r.dwelling.room}" for r in notice.targets.select_related("dwelling__unit")}


def test_a_notice_to_a_building_reaches_every_household_of_both_its_units(notice_world) -> None:
    notice = notice_world.published(building=notice_world.buildings[0])
    assert rooms(notice) == {"1单元101", "1单元102", "1单元201", "1单元202", "1单元301", "2单元101"}
    assert notice.households == 6
    readers = set(NoticeReader.objects.filter(notice=notice).values_list("user__username", flat=True))
    assert readers == {"nt_party", "nt_wife", "nt_volunteer", "nt_unit2", "nt_leader"}


def test_a_notice_to_a_unit_leaves_the_other_unit_out(notice_world) -> None:
    unit = notice_world.buildings[0].units.get(number="2单元")
    notice = notice_world.published(unit=unit)
    assert rooms(notice) == {"2单元101"}


def test_a_notice_to_the_estate_reaches_both_buildings(notice_world) -> None:
    notice = notice_world.published(estate=notice_world.estate)
    assert notice.households == 7


def test_a_tag_narrows_the_audience_to_the_people_who_have_it(notice_world) -> None:
    notice = notice_world.published(tags=[notice_world.tags["elderly_alone"]])
    assert rooms(notice) == {"1单元101"}
    assert not NoticeReader.objects.filter(notice=notice).exists()  # she has no account: the leader knocks


def test_a_role_narrows_the_audience_to_its_holders(notice_world) -> None:
    notice = notice_world.published(roles=[Role.VOLUNTEER])
    assert rooms(notice) == {"1单元201"}


def test_an_organisation_narrows_the_audience_to_its_current_members(notice_world) -> None:
    notice = notice_world.published(organizations=[notice_world.team])
    assert rooms(notice) == {"1单元201"}


def test_criteria_of_different_kinds_must_all_hold(notice_world) -> None:
    draft = notice_world.notice(tags=[notice_world.tags["party_member"]], roles=[Role.VOLUNTEER])
    assert audience.household_count(draft) == 0
    draft = notice_world.notice(tags=[notice_world.tags["party_member"]], roles=[Role.RESIDENT])
    assert audience.household_count(draft) == 1


def test_the_audience_is_fixed_at_publication(notice_world) -> None:
    from shuren.people.models import Person
    from shuren.people.services import add_residence

    notice = notice_world.published()
    newcomer = Person.objects.create(community=notice_world.tree["com_a"], name="新住户")
    add_residence(
        actor=notice_world.users["staff"],
        person=newcomer,
        dwelling=notice_world.dwelling(0, "302"),
        relation="tenant",
        status="floating",
    )
    assert notice.targets.count() == 6

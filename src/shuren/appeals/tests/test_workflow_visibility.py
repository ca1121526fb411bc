"""Who sees which appeal: staff the appeals of their areas, a handler only what is dispatched to
their organisation (and no longer once they return it), a reporter their own."""

from __future__ import annotations

import pytest

from shuren.appeals import selectors, services
from shuren.appeals.models import Channel, Status
from shuren.appeals.services import AppealLocation
from shuren.core.errors import OutOfScope

from .test_workflow import act, bring_to

pytestmark = pytest.mark.django_db


def seen(user) -> set[int]:
    for cache in ("_shuren_handler_orgs", "_shuren_grants"):
        if hasattr(user, cache):
            delattr(user, cache)
    return set(selectors.visible_appeals(user).values_list("pk", flat=True))


@pytest.fixture
def appeals(appeal_world):
    """One appeal dispatched to the property manager, one to the residents' committee, one to the
    district department, one waiting at the desk, one in community B."""
    world = appeal_world
    staff = world.users["staff"]
    to_manager = bring_to(world, Status.DISPATCHED)
    to_committee = world.submit(category="noise", description="楼上每天晚上十一点以后还在装修")
    to_committee = services.dispatch_appeal(
        actor=staff, appeal=to_committee, version=to_committee.version, organization=world.residents_committee
    )
    to_department = world.submit(category="illegal-parking", description="面包车长期占用消防通道")
    to_department = services.dispatch_appeal(
        actor=staff, appeal=to_department, version=to_department.version, organization=world.department
    )
    waiting = world.submit(location=AppealLocation(estate=world.estate), description="小区东门的道闸坏了好几天")
    elsewhere = world.submit(
        actor=world.users["staff_b"], channel=Channel.PHONE, location=AppealLocation(area=world.tree["grid_b1"])
    )
    elsewhere = services.dispatch_appeal(
        actor=world.users["staff_b"], appeal=elsewhere, version=elsewhere.version, organization=world.other_manager
    )
    return {
        "manager": to_manager,
        "committee": to_committee,
        "department": to_department,
        "waiting": waiting,
        "elsewhere": elsewhere,
    }


def pks(appeals, *names) -> set[int]:
    return {appeals[name].pk for name in names}


def test_a_handler_sees_only_what_is_dispatched_to_their_organisation(appeal_world, appeals):
    users = appeal_world.users
    assert seen(users["handler"]) == pks(appeals, "manager")
    assert seen(users["officer"]) == pks(appeals, "department")
    assert seen(users["other_handler"]) == pks(appeals, "elsewhere")
    assert set(selectors.open_appeals_for_handler(users["handler"]).values_list("pk", flat=True)) == pks(
        appeals, "manager"
    )


def test_a_handler_loses_the_appeal_once_they_return_it(appeal_world, appeals):
    handler = appeal_world.users["handler"]
    act(appeal_world, appeals["manager"], "return")
    assert seen(handler) == set()
    with pytest.raises(OutOfScope):
        selectors.openable_appeal(handler, appeals["manager"].pk)


def test_a_handler_keeps_seeing_what_they_resolved(appeal_world, appeals):
    handler = appeal_world.users["handler"]
    appeal = act(appeal_world, appeals["manager"], "resolve")
    assert seen(handler) == {appeal.pk}
    assert not selectors.open_appeals_for_handler(handler).exists()


def test_a_handler_sees_nothing_outside_the_areas_of_their_grant(appeal_world, appeals):
    from shuren.accounts.models import RoleGrant

    handler = appeal_world.users["handler"]
    RoleGrant.objects.filter(user=handler).update(area=appeal_world.tree["com_b"])
    assert seen(handler) == set()


def test_staff_see_every_appeal_of_their_areas_and_none_elsewhere(appeal_world, appeals):
    users = appeal_world.users
    community_a = pks(appeals, "manager", "committee", "department", "waiting")
    assert seen(users["staff"]) == community_a
    assert seen(users["secretary"]) == community_a
    assert seen(users["subdistrict"]) == community_a
    assert seen(users["staff_b"]) == pks(appeals, "elsewhere")
    # The grid worker sees their grid, not the estate-wide appeal filed under the community.
    assert seen(users["grid_worker"]) == pks(appeals, "manager", "committee", "department")
    assert set(selectors.open_appeals_in_scope(users["grid_worker"]).values_list("pk", flat=True)) == pks(
        appeals, "manager", "committee", "department"
    )


def test_residents_see_no_appeal_as_staff(appeal_world, appeals):
    assert seen(appeal_world.users["resident"]) == set()
    assert seen(appeal_world.users["neighbour"]) == set()


def test_my_appeals_are_the_ones_i_reported_or_recorded(appeal_world, appeals):
    users = appeal_world.users
    recorded = appeal_world.submit(actor=users["grid_worker"], channel=Channel.PATROL)
    mine = set(selectors.my_appeals(users["resident"]).values_list("pk", flat=True))
    assert mine == pks(appeals, "manager", "committee", "department", "waiting")
    assert set(selectors.my_appeals(users["grid_worker"]).values_list("pk", flat=True)) == {recorded.pk}
    assert not selectors.my_appeals(users["neighbour"]).exists()


def test_the_reporter_opens_their_own_appeal_and_nobody_elses(appeal_world, appeals):
    resident, neighbour = appeal_world.users["resident"], appeal_world.users["neighbour"]
    assert selectors.openable_appeal(resident, appeals["manager"].pk) == appeals["manager"]
    with pytest.raises(OutOfScope):
        selectors.openable_appeal(neighbour, appeals["manager"].pk)
    with pytest.raises(OutOfScope):
        selectors.openable_appeal(appeal_world.users["staff"], appeals["elsewhere"].pk)
    with pytest.raises(OutOfScope):
        selectors.openable_appeal(appeal_world.users["handler"], appeals["committee"].pk)

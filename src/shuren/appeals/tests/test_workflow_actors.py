"""Who may move an appeal: the desk of the appeal's level, the handling organisation, the reporter,
the supervisors; everyone else is refused (NotPermitted inside one's areas, OutOfScope outside)."""

from __future__ import annotations

import pytest

from shuren.accounts.roles import Role
from shuren.appeals import services, workflow
from shuren.appeals.models import Appeal, Level, Status
from shuren.core.errors import NotPermitted, OutOfScope

from .test_workflow import act, bring_to, footprint

pytestmark = pytest.mark.django_db


def dispatched_to(world, organization, *, reason: str = "") -> Appeal:
    appeal = world.submit()
    return services.dispatch_appeal(
        actor=world.users["staff"], appeal=appeal, version=appeal.version, organization=organization, reason=reason
    )


def bring_to_resolved(world, appeal: Appeal) -> Appeal:
    for action in ("dispatch", "take_up", "resolve"):
        appeal = act(world, appeal, action)
    return appeal


# --- the desk ------------------------------------------------------------------------------------


def test_a_grid_worker_dispatches_the_appeals_of_their_grid(appeal_world):
    appeal = act(appeal_world, appeal_world.submit(), "dispatch", actor=appeal_world.users["grid_worker"])
    assert appeal.status == Status.DISPATCHED
    assert appeal.events.get(kind="dispatch").actor == appeal_world.users["grid_worker"]


def test_a_grid_worker_can_no_longer_dispatch_once_the_appeal_is_escalated_to_the_community(appeal_world):
    grid_worker, staff = appeal_world.users["grid_worker"], appeal_world.users["staff"]
    appeal = act(appeal_world, appeal_world.submit(), "escalate", actor=grid_worker)
    assert appeal.level == Level.COMMUNITY
    assert workflow.allowed_actions(appeal, actor=grid_worker) == []
    before = footprint(appeal)
    for action in ("dispatch", "accept", "reject", "escalate", "note"):
        with pytest.raises(NotPermitted):
            act(appeal_world, appeal, action, actor=grid_worker)
    assert footprint(appeal) == before
    appeal = act(appeal_world, appeal, "dispatch", actor=staff)
    assert appeal.status == Status.DISPATCHED


def test_a_grid_worker_of_another_grid_cannot_see_the_appeal(appeal_world, make_user):
    stranger = make_user(Role.GRID_WORKER, appeal_world.tree["grid_a2"])
    appeal = appeal_world.submit()
    with pytest.raises(OutOfScope):
        act(appeal_world, appeal, "accept", actor=stranger)


def test_community_staff_and_the_levels_above_may_dispatch_a_grid_appeal(appeal_world, make_user):
    district = make_user(Role.DISTRICT_STAFF, appeal_world.tree["district"])
    for who in (
        appeal_world.users["staff"],
        appeal_world.users["secretary"],
        appeal_world.users["subdistrict"],
        district,
    ):
        appeal = act(appeal_world, appeal_world.submit(), "dispatch", actor=who)
        assert appeal.status == Status.DISPATCHED


def test_staff_of_another_community_are_out_of_scope_for_every_action(appeal_world):
    stranger = appeal_world.users["staff_b"]
    for status in (Status.SUBMITTED, Status.DISPATCHED, Status.RESOLVED):
        appeal = bring_to(appeal_world, status)
        into = appeal_world.submit(building=1)
        before = footprint(appeal)
        for action in sorted({a for (s, a) in workflow.TRANSITIONS if s == status}):
            with pytest.raises(OutOfScope):
                act(appeal_world, appeal, action, actor=stranger, into=into)
        assert footprint(appeal) == before
        assert workflow.allowed_actions(appeal, actor=stranger) == []


def test_a_subdistrict_of_another_branch_of_the_tree_cannot_escalate_into_it(appeal_world, make_user):
    other = make_user(Role.SUBDISTRICT_STAFF, appeal_world.tree["sub_b"])
    appeal = appeal_world.submit()
    with pytest.raises(OutOfScope):
        act(appeal_world, appeal, "escalate", actor=other)


# --- the handling organisation -------------------------------------------------------------------


def test_the_handler_acts_only_for_their_own_organisation(appeal_world):
    appeal = dispatched_to(appeal_world, appeal_world.property_manager)
    for stranger in (appeal_world.users["officer"], appeal_world.users["other_handler"]):
        with pytest.raises(OutOfScope):
            act(appeal_world, appeal, "take_up", actor=stranger)
    appeal = act(appeal_world, appeal, "take_up", actor=appeal_world.users["handler"])
    assert appeal.status == Status.IN_PROGRESS


def test_a_handler_cannot_act_on_an_appeal_before_it_is_dispatched_to_them(appeal_world):
    appeal = appeal_world.submit()
    with pytest.raises(OutOfScope):
        act(appeal_world, appeal, "note", actor=appeal_world.users["handler"])


def test_a_handler_cannot_do_the_desks_work(appeal_world):
    handler = appeal_world.users["handler"]
    appeal = dispatched_to(appeal_world, appeal_world.property_manager)
    assert workflow.allowed_actions(appeal, actor=handler) == ["take_up", "resolve", "return", "escalate", "note"]
    resolved = act(appeal_world, appeal, "resolve", actor=handler)
    with pytest.raises(NotPermitted):
        act(appeal_world, resolved, "close", actor=handler)
    with pytest.raises(NotPermitted):
        act(appeal_world, resolved, "feedback", actor=handler)


def test_the_district_department_handles_what_is_dispatched_to_it(appeal_world):
    appeal = appeal_world.submit(category="illegal-parking", description="消防通道上长期停着一辆白色面包车")
    appeal = services.dispatch_appeal(
        actor=appeal_world.users["staff"], appeal=appeal, version=appeal.version, organization=appeal_world.department
    )
    officer = appeal_world.users["officer"]
    appeal = act(appeal_world, appeal, "take_up", actor=officer)
    appeal = act(appeal_world, appeal, "resolve", actor=officer)
    assert appeal.status == Status.RESOLVED


def test_an_inactive_handler_desk_can_no_longer_act(appeal_world):
    appeal = dispatched_to(appeal_world, appeal_world.property_manager)
    appeal_world.property_manager.handlers.update(is_active=False)
    handler = appeal_world.users["handler"]
    handler._shuren_handler_orgs = None
    with pytest.raises(OutOfScope):
        act(appeal_world, appeal, "take_up", actor=handler)


def test_community_staff_act_as_handler_for_the_communitys_own_bodies(appeal_world):
    staff = appeal_world.users["staff"]
    appeal = dispatched_to(appeal_world, appeal_world.residents_committee, reason="居委会先上门劝导")
    appeal = act(appeal_world, appeal, "take_up", actor=staff)
    appeal = act(appeal_world, appeal, "progress", actor=staff)
    appeal = act(appeal_world, appeal, "resolve", actor=staff)
    assert appeal.status == Status.RESOLVED
    assert appeal.events.get(kind="resolve").organization == appeal_world.residents_committee


def test_community_staff_do_not_act_for_a_property_manager(appeal_world):
    staff = appeal_world.users["staff"]
    appeal = dispatched_to(appeal_world, appeal_world.property_manager)
    assert not workflow.is_handler(staff, appeal)
    for action in ("take_up", "resolve", "return"):
        with pytest.raises(NotPermitted):
            act(appeal_world, appeal, action, actor=staff)


def test_a_grid_worker_acts_for_the_committee_only_while_the_appeal_is_at_grid_level(appeal_world):
    grid_worker = appeal_world.users["grid_worker"]
    appeal = dispatched_to(appeal_world, appeal_world.residents_committee, reason="居委会负责")
    assert workflow.is_handler(grid_worker, appeal)
    appeal = act(appeal_world, appeal, "escalate", actor=grid_worker)
    assert not workflow.is_handler(grid_worker, appeal)
    with pytest.raises(NotPermitted):
        act(appeal_world, appeal, "take_up", actor=grid_worker)


# --- the reporter --------------------------------------------------------------------------------


def test_only_the_reporter_rates_the_outcome(appeal_world):
    appeal = bring_to(appeal_world, Status.RESOLVED)
    with pytest.raises(OutOfScope):
        act(appeal_world, appeal, "feedback", actor=appeal_world.users["neighbour"])
    with pytest.raises(NotPermitted):
        act(appeal_world, appeal, "feedback", actor=appeal_world.users["staff"])
    with pytest.raises(NotPermitted):
        act(appeal_world, appeal, "reopen", actor=appeal_world.users["staff"])
    assert workflow.allowed_actions(appeal, actor=appeal_world.users["resident"]) == ["feedback", "reopen"]
    appeal = act(appeal_world, appeal, "feedback", actor=appeal_world.users["resident"])
    assert appeal.status == Status.CLOSED


def test_the_reporter_cannot_act_as_the_desk(appeal_world):
    resident = appeal_world.users["resident"]
    appeal = appeal_world.submit()
    assert workflow.allowed_actions(appeal, actor=resident) == []
    for action in ("accept", "dispatch", "note", "escalate"):
        with pytest.raises(NotPermitted):
            act(appeal_world, appeal, action, actor=resident)


def test_an_appeal_recorded_by_staff_has_no_reporter_to_rate_it(appeal_world):
    appeal = appeal_world.submit(actor=appeal_world.users["staff"], channel="phone", reporter_name="王大爷")
    assert appeal.reporter is None and appeal.recorded_by == appeal_world.users["staff"]
    appeal = bring_to_resolved(appeal_world, appeal)
    assert workflow.allowed_actions(appeal, actor=appeal_world.users["resident"]) == []
    appeal = act(appeal_world, appeal, "close")
    assert appeal.status == Status.CLOSED


# --- supervision ---------------------------------------------------------------------------------


def test_supervision_is_for_the_secretary_and_the_levels_above(appeal_world, make_user):
    appeal = dispatched_to(appeal_world, appeal_world.property_manager)
    for who in ("staff", "grid_worker", "handler"):
        with pytest.raises(NotPermitted):
            act(appeal_world, appeal, "supervise", actor=appeal_world.users[who])
    district = make_user(Role.DISTRICT_STAFF, appeal_world.tree["district"])
    for who in (appeal_world.users["secretary"], appeal_world.users["subdistrict"], district):
        assert "supervise" in workflow.allowed_actions(appeal, actor=who)
    appeal = act(appeal_world, appeal, "supervise", actor=appeal_world.users["subdistrict"])
    assert appeal.is_supervised

"""The appeal state machine through its services: every move in ``workflow.TRANSITIONS`` works for the
person who normally makes it, every other move is refused with InvalidTransition, and a move made
from a stale version raises StaleVersion and leaves no trace.

The helpers ``bring_to`` and ``act`` are shared with the other workflow, SLA and reminder tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from shuren.accounts.models import User
from shuren.appeals import services, workflow
from shuren.appeals.models import Appeal, AppealEvent, EventKind, Level, Status
from shuren.appeals.testing import appeal_notices
from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, StaleVersion

pytestmark = pytest.mark.django_db

ACTIONS = sorted({action for _state, action in workflow.TRANSITIONS})
HANDLER_ONLY = {"take_up", "return", "progress", "resolve"}


def actor_for(world: Any, appeal: Appeal, action: str) -> Any:
    """Who normally takes ``action``: the reporter rates and reopens, the party secretary supervises,
    the property manager's clerk handles what is dispatched to it, the community desk does the rest
    (and stands in as handler where there is no organisation, to reach the state check)."""
    users = world.users
    if action in workflow.REPORTER_ACTIONS:
        return users["resident"]
    if action == "supervise":
        return users["secretary"]
    if action in HANDLER_ONLY and appeal.organization_id == world.property_manager.pk:
        return users["handler"]
    return users["staff"]


def act(
    world: Any,
    appeal: Appeal,
    action: str,
    *,
    version: int | None = None,
    actor: User | None = None,
    into: Appeal | None = None,
) -> Appeal:
    """Take ``action`` on ``appeal`` through its service, as ``actor`` (default: who normally does);
    ``merge`` merges into ``into`` (default: a new appeal about the same problem)."""
    actor = actor or actor_for(world, appeal, action)
    version = appeal.version if version is None else version
    common: dict[str, Any] = {"actor": actor, "appeal": appeal, "version": version}
    if action == "accept":
        return services.accept_appeal(**common)
    if action == "reject":
        return services.reject_appeal(**common, reason="属于市政道路，请拨打12345")
    if action == "dispatch":
        return services.dispatch_appeal(**common, organization=world.property_manager)
    if action == "take_up":
        return services.take_up_appeal(**common)
    if action == "return":
        return services.return_appeal(**common, reason="不属于物业管理范围")
    if action == "progress":
        return services.record_progress(**common, note="已通知楼栋保安巡查")
    if action == "resolve":
        return services.resolve_appeal(**common, resolution="已拆除飞线，并在楼道张贴安全提示")
    if action == "feedback":
        return services.give_feedback(**common, is_solved=True, satisfaction=5, comment="处理很及时")
    if action == "reopen":
        return services.give_feedback(**common, is_solved=False, satisfaction=1, comment="又有人充电", reopen=True)
    if action == "close":
        return services.close_appeal(**common, note="多次联系不上反映人")
    if action == "escalate":
        return services.escalate_appeal(**common, reason="涉及多个部门，需社区协调")
    if action == "supervise":
        return services.supervise_appeal(**common, on=True, note="请三日内办结")
    if action == "merge":
        into = into or world.submit(building=0, description="1座楼道又有电动车在充电")
        return services.merge_appeal(**common, into=into)
    if action == "note":
        return services.add_note(**common, note="已电话回访反映人")
    raise AssertionError(action)


def bring_to(world: Any, status: str, **submit: Any) -> Appeal:
    """A fresh appeal of the resident's, moved through the workflow to ``status``."""
    appeal = world.submit(**submit)
    path = {
        Status.SUBMITTED: [],
        Status.ACCEPTED: ["accept"],
        Status.REJECTED: ["reject"],
        Status.DISPATCHED: ["accept", "dispatch"],
        Status.IN_PROGRESS: ["accept", "dispatch", "take_up"],
        Status.RESOLVED: ["accept", "dispatch", "take_up", "resolve"],
        Status.CLOSED: ["accept", "dispatch", "take_up", "resolve", "close"],
        Status.MERGED: ["merge"],
    }[Status(status)]
    for action in path:
        appeal = act(world, appeal, action)
    assert appeal.status == status
    return appeal


def footprint(appeal: Appeal) -> tuple[Any, ...]:
    """Everything a transition may change: the row, the timeline, the outbox and the audit log."""
    row: dict[str, Any] = dict(Appeal.objects.filter(pk=appeal.pk).values().get())
    row.pop("modified_at", None)
    return (
        row,
        AppealEvent.objects.count(),
        appeal_notices().count(),
        AuditEvent.objects.count(),
        Appeal.objects.count(),
    )


# --- every allowed move --------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), sorted(workflow.TRANSITIONS))
def test_every_transition_of_the_table_moves_the_appeal_and_writes_its_event(appeal_world, status, action):
    appeal = bring_to(appeal_world, status)
    before = appeal.version
    events = AppealEvent.objects.filter(appeal=appeal).count()
    actor = actor_for(appeal_world, appeal, action)
    after = act(appeal_world, appeal, action)
    assert after.status == workflow.TRANSITIONS[(status, action)]
    assert after.version == before + 1
    event = AppealEvent.objects.filter(appeal=appeal).order_by("-pk").first()
    assert AppealEvent.objects.filter(appeal=appeal).count() == events + 1
    assert event.kind == EventKind(action)
    assert (event.from_status, event.to_status) == (status, after.status)
    assert event.actor == actor
    assert AuditEvent.objects.filter(action=f"appeals.{action}", object_id=str(appeal.pk)).exists()


def test_the_happy_path_fills_every_clock_and_the_timeline_reads_in_order(appeal_world):
    appeal = bring_to(appeal_world, Status.RESOLVED)
    appeal = act(appeal_world, appeal, "feedback")
    assert appeal.status == Status.CLOSED
    for moment in ("submitted_at", "accepted_at", "dispatched_at", "responded_at", "resolved_at", "closed_at"):
        assert getattr(appeal, moment) is not None, moment
    assert appeal.feedback_at == appeal.closed_at
    assert list(appeal.events.values_list("kind", flat=True)) == [
        "submit",
        "accept",
        "dispatch",
        "take_up",
        "resolve",
        "feedback",
    ]
    assert (appeal.is_solved, appeal.satisfaction, appeal.feedback_comment) == (True, 5, "处理很及时")


def test_dispatch_straight_from_submitted_also_counts_as_accepted(appeal_world):
    appeal = act(appeal_world, appeal_world.submit(), "dispatch")
    assert appeal.status == Status.DISPATCHED
    assert appeal.accepted_at == appeal.dispatched_at
    assert appeal.organization == appeal_world.property_manager


def test_resolving_without_taking_up_counts_as_the_response(appeal_world):
    appeal = bring_to(appeal_world, Status.DISPATCHED)
    appeal = act(appeal_world, appeal, "resolve")
    assert appeal.responded_at == appeal.resolved_at
    assert appeal.responded_on_time is True


def test_rejection_needs_a_reason_and_the_reporter_reads_it(appeal_world):
    appeal = appeal_world.submit()
    with pytest.raises(ValidationError) as refused:
        services.reject_appeal(actor=appeal_world.users["staff"], appeal=appeal, version=appeal.version, reason="  ")
    assert "reason" in refused.value.message_dict
    appeal = act(appeal_world, appeal, "reject")
    assert appeal.resolution == "属于市政道路，请拨打12345" and appeal.closed_at is not None
    note = appeal_notices(recipient=appeal_world.users["resident"], appeal=appeal).get()
    assert note.kind == "appeals.rejected" and "12345" in note.text


def test_internal_notes_and_returns_are_hidden_from_the_reporter(appeal_world):
    appeal = bring_to(appeal_world, Status.DISPATCHED)
    appeal = act(appeal_world, appeal, "note")
    appeal = act(appeal_world, appeal, "return")
    hidden = set(appeal.events.filter(is_public=False).values_list("kind", flat=True))
    assert hidden == {"note", "return"}


def test_escalate_and_supervise_keep_the_status(appeal_world):
    appeal = bring_to(appeal_world, Status.IN_PROGRESS)
    appeal = act(appeal_world, appeal, "escalate")
    assert (appeal.status, appeal.level) == (Status.IN_PROGRESS, Level.COMMUNITY)
    appeal = act(appeal_world, appeal, "supervise")
    assert (appeal.status, appeal.is_supervised) == (Status.IN_PROGRESS, True)


# --- every refused move --------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(Status))
def test_every_move_the_table_lacks_is_an_invalid_transition_and_changes_nothing(appeal_world, status):
    appeal = bring_to(appeal_world, status)
    refused = [action for action in ACTIONS if (status, action) not in workflow.TRANSITIONS]
    assert refused or status == Status.SUBMITTED
    into = appeal_world.submit(building=1)
    for action in refused:
        before = footprint(appeal)
        with pytest.raises(InvalidTransition):
            act(appeal_world, appeal, action, into=into)
        appeal.refresh_from_db()
        assert footprint(appeal) == before, action


def test_the_table_knows_every_state_and_never_leaves_merged_or_rejected(appeal_world):
    assert {state for state, _action in workflow.TRANSITIONS} == set(Status)
    for ended in (Status.REJECTED, Status.MERGED):
        moves = {action for (state, action) in workflow.TRANSITIONS if state == ended}
        assert moves == {"note"}


def test_a_second_feedback_is_refused(appeal_world):
    appeal = act(appeal_world, bring_to(appeal_world, Status.RESOLVED), "feedback")
    with pytest.raises(InvalidTransition):
        act(appeal_world, appeal, "feedback")


# --- stale versions ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), sorted(workflow.TRANSITIONS))
def test_a_stale_version_on_any_transition_raises_and_leaves_no_trace(appeal_world, status, action):
    appeal = bring_to(appeal_world, status)
    into = appeal_world.submit(building=1)
    before = footprint(appeal)
    with pytest.raises(StaleVersion):
        act(appeal_world, appeal, action, version=appeal.version - 1, into=into)
    assert footprint(appeal) == before


def test_a_stale_merge_does_not_move_the_appeals_merged_into_it(appeal_world):
    staff = appeal_world.users["staff"]
    target, middle, earlier = (appeal_world.submit(building=n) for n in (0, 1, 1))
    services.merge_appeal(actor=staff, appeal=earlier, version=earlier.version, into=middle)
    with pytest.raises(StaleVersion):
        services.merge_appeal(actor=staff, appeal=middle, version=middle.version - 1, into=target)
    assert list(Appeal.objects.filter(duplicate_of=middle).values_list("pk", flat=True)) == [earlier.pk]
    assert not Appeal.objects.filter(duplicate_of=target).exists()


def test_the_version_read_before_someone_else_acted_is_refused(appeal_world):
    appeal = appeal_world.submit()
    seen_by_grid_worker = Appeal.objects.get(pk=appeal.pk)
    act(appeal_world, appeal, "accept")
    with pytest.raises(StaleVersion):
        services.reject_appeal(
            actor=appeal_world.users["grid_worker"],
            appeal=seen_by_grid_worker,
            version=seen_by_grid_worker.version,
            reason="重复",
        )
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED
    assert not appeal.events.filter(kind=EventKind.REJECT).exists()

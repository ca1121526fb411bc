"""The reporter's feedback: rating closes the appeal; a dissatisfied reporter may reopen it once,
within the community's reopen window, and the resolution clock starts again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from shuren.appeals import services, workflow
from shuren.appeals.models import Appeal, EventKind, IntakePolicy, Status
from shuren.appeals.testing import appeal_notices
from shuren.core.workdays import WorkingCalendar

from .test_workflow import act, bring_to, footprint

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# Tuesday 2026-03-10, 10:00 in Shanghai: an ordinary working day.
RESOLVED_AT = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


def resolved_at(world, moment: dt.datetime) -> Appeal:
    with freeze_time(moment - dt.timedelta(hours=1)):
        appeal = bring_to(world, Status.IN_PROGRESS)
    with freeze_time(moment):
        return act(world, appeal, "resolve")


def rate(world, appeal: Appeal, **kwargs) -> Appeal:
    kwargs.setdefault("is_solved", False)
    kwargs.setdefault("satisfaction", 1)
    return services.give_feedback(actor=world.users["resident"], appeal=appeal, version=appeal.version, **kwargs)


def test_feedback_closes_the_appeal_with_the_rating(appeal_world):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    with freeze_time(RESOLVED_AT + dt.timedelta(days=1)):
        appeal = rate(appeal_world, appeal, is_solved=True, satisfaction=4, comment="  修好了，谢谢  ")
    assert appeal.status == Status.CLOSED
    assert (appeal.is_solved, appeal.satisfaction, appeal.feedback_comment) == (True, 4, "修好了，谢谢")
    assert appeal.feedback_at == appeal.closed_at == RESOLVED_AT + dt.timedelta(days=1)
    event = appeal.events.get(kind=EventKind.FEEDBACK)
    assert event.detail == {"is_solved": True, "satisfaction": 4} and event.is_public


@pytest.mark.parametrize("satisfaction", [0, 6, -1, None, "5"])
def test_satisfaction_outside_one_to_five_is_refused(appeal_world, satisfaction):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    before = footprint(appeal)
    with pytest.raises(ValidationError) as refused:
        rate(appeal_world, appeal, is_solved=True, satisfaction=satisfaction)
    assert "satisfaction" in refused.value.message_dict
    assert footprint(appeal) == before


@pytest.mark.parametrize("satisfaction", [0, 6])
def test_the_database_refuses_satisfaction_outside_one_to_five(appeal_world, satisfaction):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(satisfaction=satisfaction)


def test_the_database_refuses_a_merged_appeal_without_its_target(appeal_world):
    appeal = appeal_world.submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(status=Status.MERGED)


def test_a_dissatisfied_reporter_reopens_within_the_window_and_the_clock_restarts(appeal_world):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    first_deadline = appeal.resolution_due_at
    reopened_at = RESOLVED_AT + dt.timedelta(days=7) - dt.timedelta(minutes=1)  # default window: 7 days
    with freeze_time(reopened_at):
        assert workflow.may_reopen(appeal)
        appeal = rate(appeal_world, appeal, is_solved=False, satisfaction=2, comment="楼道里又有人充电", reopen=True)
    assert appeal.status == Status.ACCEPTED and appeal.reopen_count == 1
    assert appeal.organization is None
    assert appeal.resolved_at is None and appeal.closed_at is None and appeal.resolved_on_time is None
    assert (appeal.is_solved, appeal.satisfaction, appeal.feedback_comment) == (False, 2, "楼道里又有人充电")
    assert not appeal.is_published
    category = appeal_world.category("ebike-charging")
    assert appeal.resolution_due_at == WorkingCalendar().add_working_hours(reopened_at, category.resolution_hours)
    assert appeal.resolution_due_at > first_deadline
    assert set(appeal_notices(kind="reopened").values_list("recipient__username", flat=True)) == {"gridworker"}
    assert appeal.events.get(kind=EventKind.REOPEN).detail == {"is_solved": False, "satisfaction": 2}


def test_reopening_is_refused_after_the_window(appeal_world):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    with freeze_time(RESOLVED_AT + dt.timedelta(days=7, minutes=1)):
        assert "reopen" not in workflow.allowed_actions(appeal, actor=appeal_world.users["resident"])
        before = footprint(appeal)
        with pytest.raises(ValidationError) as refused:
            rate(appeal_world, appeal, reopen=True)
        assert "reopen" in refused.value.message_dict
        assert footprint(appeal) == before
        # rating is still possible
        assert rate(appeal_world, appeal).status == Status.CLOSED


def test_the_window_is_the_communitys_setting(appeal_world):
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], reopen_days=2)
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    assert workflow.reopen_deadline(appeal) == RESOLVED_AT + dt.timedelta(days=2)
    with freeze_time(RESOLVED_AT + dt.timedelta(days=2, seconds=1)), pytest.raises(ValidationError):
        rate(appeal_world, appeal, reopen=True)
    with freeze_time(RESOLVED_AT + dt.timedelta(days=2)):
        assert rate(appeal_world, appeal, reopen=True).status == Status.ACCEPTED


def test_an_appeal_is_reopened_only_once(appeal_world):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    with freeze_time(RESOLVED_AT + dt.timedelta(hours=2)):
        appeal = rate(appeal_world, appeal, reopen=True)
    for action in ("dispatch", "take_up"):
        appeal = act(appeal_world, appeal, action)
    again = RESOLVED_AT + dt.timedelta(days=1)
    with freeze_time(again):
        appeal = act(appeal_world, appeal, "resolve")
    with freeze_time(again + dt.timedelta(hours=1)):
        assert workflow.allowed_actions(appeal, actor=appeal_world.users["resident"]) == ["feedback"]
        with pytest.raises(ValidationError) as refused:
            rate(appeal_world, appeal, reopen=True)
        assert "reopen" in refused.value.message_dict
    assert Appeal.objects.get(pk=appeal.pk).reopen_count == 1


def test_a_closed_appeal_may_be_reopened_by_a_dissatisfied_reporter(appeal_world):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    with freeze_time(RESOLVED_AT + dt.timedelta(hours=1)):
        appeal = rate(appeal_world, appeal, is_solved=False, satisfaction=1)
        assert appeal.status == Status.CLOSED
    with freeze_time(RESOLVED_AT + dt.timedelta(days=3)):
        appeal = rate(appeal_world, appeal, is_solved=False, satisfaction=1, reopen=True)
    assert appeal.status == Status.ACCEPTED


def test_a_satisfied_reporter_cannot_reopen(appeal_world):
    appeal = resolved_at(appeal_world, RESOLVED_AT)
    with freeze_time(RESOLVED_AT + dt.timedelta(hours=1)):
        for rating in ({"is_solved": True, "satisfaction": 1}, {"is_solved": False, "satisfaction": 3}):
            with pytest.raises(ValidationError):
                rate(appeal_world, appeal, reopen=True, **rating)
        appeal = rate(appeal_world, appeal, is_solved=True, satisfaction=5)
        # once rated satisfied and closed, there is nothing to reopen
        assert "reopen" not in workflow.allowed_actions(appeal, actor=appeal_world.users["resident"])
        with pytest.raises(ValidationError):
            rate(appeal_world, appeal, reopen=True)

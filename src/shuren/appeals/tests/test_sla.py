"""Deadlines of appeals in working hours: when the response and the resolution are due, whether
they were met, how long handling took, and the "due soon" and "overdue" lists at their edges.

电动车违规充电 (ebike-charging): response within 1 working hour, resolution within 16."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from shuren.appeals import selectors
from shuren.appeals.models import Appeal, Status
from shuren.core.models import WorkdayOverride
from shuren.core.workdays import WorkingCalendar

from .test_workflow import act

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


TUESDAY_10 = at(3, 10, 10)  # Tuesday 10 March 2026, 10:00


def submitted(world, moment: dt.datetime, **kwargs) -> Appeal:
    with freeze_time(moment):
        return world.submit(**kwargs)


def step(world, appeal: Appeal, action: str, moment: dt.datetime, **kwargs) -> Appeal:
    with freeze_time(moment):
        return act(world, Appeal.objects.get(pk=appeal.pk), action, **kwargs)


def listed(selector, moment: dt.datetime) -> set[int]:
    return set(selector(Appeal.objects.all(), now=moment).values_list("pk", flat=True))


# --- deadlines -----------------------------------------------------------------------------------


def test_the_resolution_is_due_sixteen_working_hours_after_submission(appeal_world):
    appeal = submitted(appeal_world, TUESDAY_10)
    # Tuesday 6 h (10-12, 13:30-17:30), Wednesday 7 h, Thursday 3 h: 12:00.
    assert appeal.resolution_due_at == at(3, 12, 12)
    assert appeal.response_due_at is None


def test_the_resolution_clock_stops_over_national_day(appeal_world):
    appeal = submitted(appeal_world, at(9, 30, 15))
    # 30 September 2.5 h, then 1-7 October off, 8 October 7 h, 9 October 6.5 h: 17:00.
    assert appeal.resolution_due_at == at(10, 9, 17)


def test_an_override_moves_the_deadline(appeal_world):
    WorkdayOverride.objects.create(on=dt.date(2026, 3, 11), is_working_day=False, note="台风停工")
    appeal = submitted(appeal_world, TUESDAY_10)
    assert appeal.resolution_due_at == at(3, 13, 12)


def test_the_deadline_follows_the_category(appeal_world):
    appeal = submitted(appeal_world, TUESDAY_10, category="road", description="3座门口的人行道砖松动翘起")
    category = appeal_world.category("road")
    assert category.resolution_hours == 80
    assert appeal.resolution_due_at == WorkingCalendar().add_working_hours(TUESDAY_10, 80)


def test_the_response_is_due_one_working_hour_after_dispatch_across_lunch(appeal_world):
    appeal = submitted(appeal_world, TUESDAY_10)
    appeal = step(appeal_world, appeal, "dispatch", at(3, 10, 11, 30))
    assert appeal.dispatched_at == at(3, 10, 11, 30)
    assert appeal.response_due_at == at(3, 10, 14)


def test_taking_up_at_the_deadline_is_on_time_and_a_second_later_is_not(appeal_world):
    first = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 11, 30))
    late = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 11, 30))
    first = step(appeal_world, first, "take_up", at(3, 10, 14))
    late = step(appeal_world, late, "take_up", at(3, 10, 14, 0, 1))
    assert (first.responded_at, first.responded_on_time) == (at(3, 10, 14), True)
    assert (late.responded_at, late.responded_on_time) == (at(3, 10, 14, 0, 1), False)


def test_a_redispatch_restarts_the_response_clock(appeal_world):
    appeal = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 10, 30))
    appeal = step(appeal_world, appeal, "return", at(3, 10, 16))
    assert appeal.response_due_at is None
    appeal = step(appeal_world, appeal, "dispatch", at(3, 10, 17))
    assert appeal.response_due_at == at(3, 11, 9, 30)
    appeal = step(appeal_world, appeal, "take_up", at(3, 11, 9, 15))
    assert appeal.responded_on_time is True


def test_resolving_on_time_and_the_handling_hours(appeal_world):
    appeal = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 10, 30))
    appeal = step(appeal_world, appeal, "take_up", at(3, 10, 11))
    appeal = step(appeal_world, appeal, "resolve", at(3, 11, 10, 30))
    assert appeal.resolved_at == at(3, 11, 10, 30)
    assert appeal.resolved_on_time is True
    assert appeal.handling_hours == 7.5  # Tuesday 6 h, Wednesday 1.5 h


def test_resolving_at_the_deadline_is_on_time_and_after_it_is_late(appeal_world):
    on_time = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 10, 30))
    late = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 10, 30))
    on_time = step(appeal_world, on_time, "resolve", at(3, 12, 12))
    late = step(appeal_world, late, "resolve", at(3, 12, 13, 31))
    assert (on_time.resolved_on_time, on_time.handling_hours) == (True, 16)
    assert (late.resolved_on_time, late.handling_hours) == (False, pytest.approx(16 + 1 / 60, abs=0.01))
    # resolving straight from dispatch is also the response, and late
    assert late.responded_on_time is False


def test_handling_hours_skip_the_holiday(appeal_world):
    appeal = step(appeal_world, submitted(appeal_world, at(9, 30, 15)), "dispatch", at(9, 30, 15, 10))
    appeal = step(appeal_world, appeal, "resolve", at(10, 8, 10))
    assert appeal.handling_hours == 3.5
    assert appeal.resolved_on_time is True


def test_a_reopened_appeal_gets_a_new_resolution_deadline(appeal_world):
    appeal = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 10, 30))
    appeal = step(appeal_world, appeal, "resolve", at(3, 10, 11))
    assert appeal.handling_hours == 1
    appeal = step(appeal_world, appeal, "reopen", at(3, 13, 17))  # Friday 17:00
    # Friday 0.5 h, Monday 7 h, Tuesday 7 h, Wednesday 1.5 h: 10:30.
    assert appeal.resolution_due_at == at(3, 18, 10, 30)
    appeal = step(appeal_world, appeal, "dispatch", at(3, 16, 9))
    appeal = step(appeal_world, appeal, "resolve", at(3, 18, 10, 30))
    assert appeal.resolved_on_time is True
    assert appeal.handling_hours == 1  # handling time runs to the first resolution (docs/appeals.md)


# --- due soon and overdue ------------------------------------------------------------------------


def test_an_open_appeal_is_overdue_one_moment_after_its_resolution_deadline(appeal_world):
    appeal = submitted(appeal_world, TUESDAY_10)
    due = appeal.resolution_due_at
    assert listed(selectors.overdue_appeals, due) == set()
    assert listed(selectors.overdue_appeals, due + dt.timedelta(seconds=1)) == {appeal.pk}
    assert listed(selectors.due_soon_appeals, due + dt.timedelta(seconds=1)) == set()


def test_a_dispatched_appeal_not_taken_up_is_overdue_after_its_response_deadline(appeal_world):
    appeal = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 11, 30))
    assert listed(selectors.overdue_appeals, at(3, 10, 14)) == set()
    assert listed(selectors.overdue_appeals, at(3, 10, 14, 0, 1)) == {appeal.pk}
    step(appeal_world, appeal, "take_up", at(3, 10, 14, 30))
    assert listed(selectors.overdue_appeals, at(3, 10, 14, 31)) == set()


def test_resolved_and_closed_appeals_are_never_overdue(appeal_world):
    appeal = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 10, 30))
    step(appeal_world, appeal, "resolve", at(3, 20, 10))
    assert listed(selectors.overdue_appeals, at(4, 1, 10)) == set()
    assert listed(selectors.due_soon_appeals, at(3, 12, 10)) == set()


def test_merged_and_rejected_appeals_are_never_due(appeal_world):
    target = submitted(appeal_world, TUESDAY_10)
    merged = submitted(appeal_world, TUESDAY_10)
    rejected = submitted(appeal_world, TUESDAY_10)
    step(appeal_world, merged, "merge", TUESDAY_10, into=target)
    step(appeal_world, rejected, "reject", TUESDAY_10)
    assert listed(selectors.overdue_appeals, at(4, 1, 10)) == {target.pk}


def test_due_soon_starts_four_working_hours_before_the_deadline(appeal_world, settings):
    assert settings.SHUREN_APPEAL_DUE_SOON_HOURS == 4
    appeal = submitted(appeal_world, TUESDAY_10)  # due Thursday 12:00
    # Four working hours before Thursday 12:00 is Wednesday 16:30 (1 h on Wednesday, 3 on Thursday).
    assert listed(selectors.due_soon_appeals, at(3, 11, 16, 29)) == set()
    assert listed(selectors.due_soon_appeals, at(3, 11, 16, 30)) == {appeal.pk}
    assert listed(selectors.due_soon_appeals, at(3, 11, 22)) == {appeal.pk}  # overnight it stays due soon
    assert listed(selectors.due_soon_appeals, at(3, 12, 12)) == {appeal.pk}
    assert listed(selectors.due_soon_appeals, at(3, 12, 12, 0, 1)) == set()
    assert listed(selectors.overdue_appeals, at(3, 12, 12, 0, 1)) == {appeal.pk}


def test_a_dispatched_appeal_is_due_soon_for_its_response(appeal_world):
    appeal = step(appeal_world, submitted(appeal_world, TUESDAY_10), "dispatch", at(3, 10, 11, 30))
    assert listed(selectors.due_soon_appeals, at(3, 10, 11, 30)) == {appeal.pk}  # response due 14:00
    step(appeal_world, appeal, "take_up", at(3, 10, 11, 45))
    assert listed(selectors.due_soon_appeals, at(3, 10, 11, 50)) == set()  # resolution not due before Thursday


def test_the_lists_keep_to_the_queryset_they_are_given(appeal_world):
    appeal = submitted(appeal_world, TUESDAY_10)
    late = at(3, 20, 10)
    assert selectors.overdue_appeals(selectors.visible_appeals(appeal_world.users["staff"]), now=late).get() == appeal
    assert not selectors.overdue_appeals(selectors.visible_appeals(appeal_world.users["staff_b"]), now=late).exists()
    assert not selectors.overdue_appeals(Appeal.objects.filter(status=Status.RESOLVED), now=late).exists()

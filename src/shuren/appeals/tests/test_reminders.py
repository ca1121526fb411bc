"""Deadline reminders through the task queue, and the sweep that backs them up and closes appeals
left unrated.

电动车违规充电 submitted on Tuesday 10 March 2026 at 10:00 is due for resolution on Thursday at
12:00 and is "due soon" from Wednesday 16:30; dispatched at 10:30 it must be taken up by 11:30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from shuren.appeals import selectors, services, tasks
from shuren.appeals.models import Appeal, AppealEvent, EventKind, Status
from shuren.appeals.testing import appeal_notices
from shuren.audit.models import AuditEvent
from shuren.core.models import WorkdayOverride

from .test_workflow import act

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REMINDERS = ("response_due_soon", "response_overdue", "resolution_due_soon", "resolution_overdue")


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=SHANGHAI)


SUBMITTED = at(3, 10, 10)
DISPATCHED = at(3, 10, 10, 30)
RESPONSE_DUE = at(3, 10, 11, 30)
DUE_SOON = at(3, 11, 16, 30)
RESOLUTION_DUE = at(3, 12, 12)


def work_off_the_queue() -> None:
    """What `shuren db_worker` does in production, once over everything that is ready."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def reminder_tasks() -> list[tuple[str, dt.datetime]]:
    rows = DBTaskResult.objects.filter(task_path__endswith="send_deadline_reminder").order_by("run_after", "pk")
    return [(row.args_kwargs["args"][1], row.run_after) for row in rows]


def sent() -> list[tuple[str, str]]:
    """(kind, recipient) of every reminder sent, sorted."""
    rows = appeal_notices(kind__in=["appeals.due_soon", "appeals.overdue"]).select_related("recipient")
    return sorted((which_of(row), row.recipient.username) for row in rows if row.recipient)


def which_of(message) -> str:
    """The reminder a message is (its event: "appeal:42:resolution_overdue:202603121200")."""
    return message.event_key.split(":")[2]


def dispatched_appeal(world, clock) -> Appeal:
    clock.move_to(SUBMITTED)
    appeal = world.submit()
    clock.move_to(DISPATCHED)
    return act(world, appeal, "dispatch")


# --- scheduling ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submission_and_dispatch_schedule_reminders_for_each_deadline(appeal_world, django_capture_on_commit_callbacks):
    with freeze_time(SUBMITTED) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            appeal = appeal_world.submit()
        assert reminder_tasks() == [("resolution_due_soon", DUE_SOON), ("resolution_overdue", RESOLUTION_DUE)]
        assert all(row.args_kwargs["args"][0] == appeal.pk for row in DBTaskResult.objects.all())
        clock.move_to(DISPATCHED)
        with django_capture_on_commit_callbacks(execute=True):
            act(appeal_world, appeal, "dispatch")
    # The response is due within the hour, so it is already "due soon": the dispatch notification
    # says so, and no separate due-soon reminder is queued for the past.
    assert ("response_overdue", RESPONSE_DUE) in reminder_tasks()
    assert "response_due_soon" not in {which for which, _when in reminder_tasks()}


@pytest.mark.django_db
def test_nothing_is_queued_when_the_transaction_rolls_back(appeal_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017, PT011
        appeal_world.submit(description="短")
    assert reminder_tasks() == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "due",
    [
        at(3, 12, 12),  # Thursday noon: due soon from Wednesday 16:30
        at(3, 12, 9, 30),  # early Thursday: from Wednesday 14:00
        at(3, 16, 10),  # Monday morning: from Friday 14:30, over the weekend
        at(10, 8, 10),  # after National Day: from 30 September 14:30
        at(3, 10, 14),  # just after lunch: from 17:00 the evening before (0.5 + 3 + 0.5 h)
        at(3, 10, 12),  # at noon: from 17:30 the evening before (all of the morning and the evening's end)
    ],
)
def test_the_due_soon_reminder_runs_when_the_appeal_enters_the_due_soon_list(due):
    when = tasks._before(due)
    assert selectors.due_soon_limit(when) >= due
    assert selectors.due_soon_limit(when - dt.timedelta(seconds=1)) < due
    assert when.microsecond == 0


@pytest.mark.django_db
def test_the_due_soon_moment_follows_the_overrides():
    WorkdayOverride.objects.create(on=dt.date(2026, 3, 11), is_working_day=False)
    assert tasks._before(at(3, 12, 12)) == at(3, 10, 16, 30)


# --- the worker ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_each_reminder_once_when_it_is_due(appeal_world):
    with freeze_time(SUBMITTED) as clock:
        appeal = dispatched_appeal(appeal_world, clock)
        clock.move_to(RESPONSE_DUE - dt.timedelta(minutes=1))
        work_off_the_queue()
        assert sent() == []
        clock.move_to(RESPONSE_DUE + dt.timedelta(minutes=1))
        work_off_the_queue()
        assert sent() == [("response_overdue", "pm_clerk")]
        clock.move_to(DUE_SOON + dt.timedelta(minutes=1))
        work_off_the_queue()
        # The resolution reminders were queued twice (at submission and at dispatch): sent once.
        assert sent() == [
            ("resolution_due_soon", "gridworker"),
            ("resolution_due_soon", "pm_clerk"),
            ("response_overdue", "pm_clerk"),
        ]
        clock.move_to(RESOLUTION_DUE + dt.timedelta(minutes=1))
        work_off_the_queue()
        work_off_the_queue()
        assert tasks.sweep()["reminders"] == 0
    assert sent() == [
        ("resolution_due_soon", "gridworker"),
        ("resolution_due_soon", "pm_clerk"),
        ("resolution_overdue", "gridworker"),
        ("resolution_overdue", "pm_clerk"),
        ("response_overdue", "pm_clerk"),
    ]
    overdue = appeal_notices(
        kind="overdue", event_key__contains=":resolution_overdue:", recipient__username="pm_clerk"
    ).get()
    assert appeal.reference in overdue.text and "03-12 12:00" in overdue.text
    reminded = AppealEvent.objects.filter(appeal=appeal, kind=EventKind.REMIND)
    assert sorted(reminded.values_list("detail__which", flat=True)) == [
        "resolution_due_soon",
        "resolution_overdue",
        "response_overdue",
    ]
    assert not reminded.filter(is_public=True).exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_a_reminder_for_an_appeal_resolved_meanwhile_sends_nothing(appeal_world):
    with freeze_time(SUBMITTED) as clock:
        appeal = dispatched_appeal(appeal_world, clock)
        clock.move_to(at(3, 10, 11))
        appeal = act(appeal_world, appeal, "take_up")
        clock.move_to(at(3, 11, 10))
        act(appeal_world, appeal, "resolve")
        clock.move_to(at(3, 20, 10))
        work_off_the_queue()
    assert sent() == []
    assert not AppealEvent.objects.filter(kind=EventKind.REMIND).exists()
    results = DBTaskResult.objects.filter(task_path__endswith="send_deadline_reminder")
    assert results.count() == 5 and set(results.values_list("status", "return_value")) == {("SUCCESSFUL", 0)}


@pytest.mark.django_db(transaction=True)
def test_taking_up_in_time_silences_the_response_reminder_but_not_the_resolution_ones(appeal_world):
    with freeze_time(SUBMITTED) as clock:
        appeal = dispatched_appeal(appeal_world, clock)
        clock.move_to(at(3, 10, 11))
        act(appeal_world, appeal, "take_up")
        clock.move_to(RESOLUTION_DUE + dt.timedelta(seconds=1))
        work_off_the_queue()
    # A worker that was down catches up: past the deadline only the overdue reminder goes.
    assert sent() == [("resolution_overdue", "gridworker"), ("resolution_overdue", "pm_clerk")]


@pytest.mark.django_db(transaction=True)
def test_a_redispatch_brings_a_new_response_reminder(appeal_world):
    with freeze_time(SUBMITTED) as clock:
        appeal = dispatched_appeal(appeal_world, clock)
        clock.move_to(at(3, 10, 11, 45))
        work_off_the_queue()
        appeal = act(appeal_world, appeal, "return")
        clock.move_to(at(3, 10, 14))
        services.dispatch_appeal(
            actor=appeal_world.users["staff"],
            appeal=appeal,
            version=appeal.version,
            organization=appeal_world.residents_committee,
            reason="物业退单",
        )
        clock.move_to(at(3, 10, 15, 1))  # the committee's response was due at 15:00
        work_off_the_queue()
    overdue = appeal_notices(kind="overdue", event_key__contains=":response_overdue:").order_by("pk")
    assert [n.recipient.username for n in overdue] == ["pm_clerk"]  # the committee has no handler accounts
    assert AppealEvent.objects.filter(kind=EventKind.REMIND).count() == 1


# --- the sweep -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_sends_reminders_whose_tasks_were_lost_once(appeal_world):
    with freeze_time(SUBMITTED) as clock:
        dispatched_appeal(appeal_world, clock)
    DBTaskResult.objects.all().delete()
    assert tasks.sweep(now=DUE_SOON - dt.timedelta(minutes=1)) == {
        "reminders": 1,
        "rating_requests": 0,
        "closed": 0,
    }  # response
    assert tasks.sweep(now=DUE_SOON + dt.timedelta(minutes=1)) == {"reminders": 2, "rating_requests": 0, "closed": 0}
    assert tasks.sweep(now=DUE_SOON + dt.timedelta(minutes=2)) == {"reminders": 0, "rating_requests": 0, "closed": 0}
    assert tasks.sweep(now=RESOLUTION_DUE + dt.timedelta(minutes=1)) == {
        "reminders": 2,
        "rating_requests": 0,
        "closed": 0,
    }
    assert tasks.sweep(now=RESOLUTION_DUE + dt.timedelta(minutes=2)) == {
        "reminders": 0,
        "rating_requests": 0,
        "closed": 0,
    }
    assert len(sent()) == 5


@pytest.mark.django_db
def test_the_sweep_closes_resolved_appeals_left_unrated_after_the_feedback_days(appeal_world, settings):
    assert settings.SHUREN_APPEAL_FEEDBACK_DAYS == 7
    resolved_at = at(3, 11, 10)
    with freeze_time(SUBMITTED) as clock:
        unrated = dispatched_appeal(appeal_world, clock)
        rated = dispatched_appeal(appeal_world, clock)
        clock.move_to(resolved_at)
        unrated = act(appeal_world, unrated, "resolve")
        rated = act(appeal_world, act(appeal_world, rated, "resolve"), "feedback")
    assert tasks.sweep(now=resolved_at + dt.timedelta(days=7, seconds=-1))["closed"] == 0
    assert tasks.sweep(now=resolved_at + dt.timedelta(days=7, seconds=1))["closed"] == 1
    unrated.refresh_from_db()
    assert (unrated.status, unrated.closed_at) == (Status.CLOSED, resolved_at + dt.timedelta(days=7, seconds=1))
    assert unrated.satisfaction is None and unrated.feedback_at is None
    event = unrated.events.get(kind=EventKind.CLOSE)
    assert event.actor is None and event.detail == {"automatic": True}
    audit = AuditEvent.objects.get(action="appeals.close", object_id=str(unrated.pk))
    assert (audit.actor, audit.scope, audit.detail) == (None, unrated.scope, {"to": "closed", "automatic": True})
    assert rated.events.filter(kind=EventKind.CLOSE).count() == 0
    assert tasks.sweep(now=resolved_at + dt.timedelta(days=30))["closed"] == 0


@pytest.mark.django_db
def test_the_feedback_period_is_a_setting_and_the_command_runs_the_sweep(appeal_world, settings, capsys):
    settings.SHUREN_APPEAL_FEEDBACK_DAYS = 3
    with freeze_time(SUBMITTED) as clock:
        appeal = dispatched_appeal(appeal_world, clock)
        clock.move_to(at(3, 11, 10))
        act(appeal_world, appeal, "resolve")
        clock.move_to(at(3, 14, 10, 1))
        call_command("appeals", "sweep")
    assert "appeals closed without feedback: 1" in capsys.readouterr().out
    assert Appeal.objects.get(pk=appeal.pk).status == Status.CLOSED


@pytest.mark.django_db(transaction=True)
def test_the_sweep_task_runs_on_the_worker(appeal_world):
    with freeze_time(SUBMITTED) as clock:
        appeal = dispatched_appeal(appeal_world, clock)
        clock.move_to(at(3, 11, 10))
        act(appeal_world, appeal, "resolve")
        clock.move_to(at(3, 20, 10))
        tasks.sweep_task.enqueue()
        work_off_the_queue()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.CLOSED
    result = DBTaskResult.objects.get(task_path__endswith="sweep_task")
    assert result.return_value == {"reminders": 0, "rating_requests": 0, "closed": 1}

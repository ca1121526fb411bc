"""The worker: retries with back-off while a provider is down, delivers each message once, gives up
on a permanent error or after the maximum age, takes back what a crashed worker left, and keeps SMS
for the end of quiet hours unless urgent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from shuren.notifications.models import DeliverySchedule, Message, Status
from shuren.notifications.services import deliver_due, notify
from shuren.notifications.services.delivery import claim
from shuren.notifications.testing import FlakyChannel, RecordingChannel, RecordingSms

pytestmark = pytest.mark.django_db

FLAKY_EMAIL = override_settings(SHUREN_NOTIFICATION_CHANNELS={"email": "shuren.notifications.testing.FlakyChannel"})
RECORDING_EMAIL = override_settings(
    SHUREN_NOTIFICATION_CHANNELS={
        "email": "shuren.notifications.testing.RecordingChannel",
        "sms": "shuren.notifications.testing.RecordingSms",
    }
)


def email_to(user, event="appeal:42:resolved", **kwargs):
    notify(
        kind="tests.resolved",
        event_key=event,
        recipients=[user],
        subject="您的诉求已办结",
        text="请评价。",
        channels=("email",),
        **kwargs,
    )
    return Message.objects.get(event_key=event, channel="email")


def run_until_idle(start: dt.datetime, rounds: int = 20) -> dt.datetime:
    """Run the worker again each time a retry falls due (the clock jumps to it)."""
    now = start
    for _round in range(rounds):
        deliver_due(now=now)
        upcoming = Message.objects.filter(status=Status.PENDING).order_by("next_attempt_at").first()
        if upcoming is None or upcoming.next_attempt_at is None:
            return now
        now = max(now, upcoming.next_attempt_at)
    raise AssertionError("still pending")


@FLAKY_EMAIL
def test_a_provider_down_for_a_while_delays_a_message_which_then_goes_exactly_once(resident):
    FlakyChannel.arm(4)
    message = email_to(resident)
    first = timezone.now()
    counts = deliver_due(now=first)
    assert counts["retrying"] == 1
    message.refresh_from_db()
    assert message.status == Status.PENDING and message.attempts == 1
    assert message.next_attempt_at > first
    assert "SECRET" not in message.last_error and "sms.example.com/…" in message.last_error
    run_until_idle(first)
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 5 and message.last_error == ""
    assert message.provider_id == f"rec-{message.pk}"
    assert [pk for pk, _thread in FlakyChannel.sent] == [message.pk]
    assert FlakyChannel.calls == 5


@FLAKY_EMAIL
def test_waits_between_attempts_grow(resident):
    FlakyChannel.arm(3)
    message = email_to(resident)
    now, waits = timezone.now(), []
    for _attempt in range(3):
        deliver_due(now=now)
        message.refresh_from_db()
        waits.append(message.next_attempt_at - now)
        now = message.next_attempt_at
    assert waits[0] < waits[1] < waits[2]


@FLAKY_EMAIL
def test_a_permanent_failure_is_given_up_at_once(resident):
    FlakyChannel.arm(1, permanent=True)
    message = email_to(resident)
    assert deliver_due()["failed"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (Status.FAILED, 1, None)
    assert deliver_due() == {"sent": 0, "retrying": 0, "failed": 0, "held": 0, "over_budget": 0}
    assert FlakyChannel.sent == []


@FLAKY_EMAIL
@override_settings(SHUREN_NOTIFICATIONS_MAX_AGE_HOURS=1)
def test_a_message_still_undelivered_after_the_maximum_age_is_given_up(resident):
    FlakyChannel.arm(100)
    message = email_to(resident)
    deliver_due()
    message.refresh_from_db()
    assert message.status == Status.PENDING
    later = message.created_at + dt.timedelta(hours=2)
    deliver_due(now=later)
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 2


@RECORDING_EMAIL
def test_a_message_left_sending_by_a_crashed_worker_is_taken_back_after_the_lease(resident):
    message = email_to(resident)
    now = timezone.now()
    [claimed] = claim(now=now, limit=10)  # a worker claims it, then dies before sending
    assert claimed.pk == message.pk
    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert deliver_due(now=now + dt.timedelta(seconds=60))["sent"] == 0  # still leased
    assert deliver_due(now=now + dt.timedelta(seconds=301))["sent"] == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    assert [pk for pk, _thread in RecordingChannel.sent] == [message.pk]


@RECORDING_EMAIL
def test_a_late_worker_cannot_record_over_the_one_that_took_its_message_back(resident):
    from shuren.notifications.services.delivery import Outcome, _flush_sent, _record

    message = email_to(resident)
    now = timezone.now()
    [stale] = claim(now=now, limit=10)
    [fresh] = claim(now=now + dt.timedelta(seconds=301), limit=10)
    outcome = Outcome(now=now)
    _record([fresh], None, "second", outcome)
    _flush_sent(outcome)
    _record([stale], None, "first", outcome)
    _flush_sent(outcome)
    message.refresh_from_db()
    assert (message.provider_id, outcome.sent) == ("second", 1)


def quiet_now(user, now):
    """Quiet hours around ``now`` for ``user`` (an hour each side, local time)."""
    local = timezone.localtime(now)
    DeliverySchedule.objects.create(
        user=user,
        quiet_start=(local - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0),
        quiet_end=(local + dt.timedelta(hours=1)).time().replace(second=0, microsecond=0),
    )


def sms_to(user, event, *, urgent):
    notify(
        kind="tests.resolved",
        event_key=event,
        recipients=[user],
        subject="停水通知",
        text="明日停水",
        channels=("sms",),
        urgent=urgent,
    )
    return Message.objects.get(event_key=event, channel="sms")


@RECORDING_EMAIL
def test_quiet_hours_hold_an_sms_until_they_end_and_let_an_urgent_one_through(resident):
    now = timezone.now()
    quiet_now(resident, now)
    routine = sms_to(resident, "notice:1", urgent=False)
    urgent = sms_to(resident, "notice:2", urgent=True)
    assert routine.next_attempt_at > now + dt.timedelta(minutes=55)
    now = timezone.now()
    assert deliver_due(now=now)["sent"] == 1
    assert [pk for pk, _thread in RecordingSms.sent] == [urgent.pk]
    deliver_due(now=now + dt.timedelta(minutes=30))
    assert len(RecordingSms.sent) == 1
    deliver_due(now=routine.next_attempt_at)
    assert [pk for pk, _thread in RecordingSms.sent] == [urgent.pk, routine.pk]


@RECORDING_EMAIL
def test_an_sms_falling_due_in_quiet_hours_is_held_without_using_an_attempt(resident):
    now = timezone.now()
    routine = sms_to(resident, "notice:1", urgent=False)  # created outside quiet hours
    Message.objects.filter(pk=routine.pk).update(next_attempt_at=now)
    quiet_now(resident, now)
    assert deliver_due(now=now)["held"] == 1
    routine.refresh_from_db()
    assert routine.status == Status.PENDING and routine.attempts == 0
    assert routine.next_attempt_at > now and RecordingSms.sent == []


@override_settings(SHUREN_NOTIFICATION_CHANNELS={"email": "shuren.notifications.testing.RecordingChannel"})
def test_the_digest_sends_the_days_messages_together(resident):
    DeliverySchedule.objects.create(user=resident, email_digest=True)
    first = email_to(resident, "a")
    second = email_to(resident, "b")
    assert deliver_due()["sent"] == 0  # not yet the digest hour
    deliver_due(now=max(first.next_attempt_at, second.next_attempt_at))
    assert sorted(pk for pk, _thread in RecordingChannel.sent) == [first.pk, second.pk]
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}


@override_settings(SHUREN_NOTIFICATION_CHANNELS={"email": "shuren.notifications.testing.RecordingChannel"})
def test_the_deliver_command_delivers_what_is_due(resident):
    import io

    email_to(resident)
    out = io.StringIO()
    call_command("notifications", "deliver", stdout=out)
    assert "sent: 1;" in out.getvalue()
    assert Message.objects.get(channel="email").status == Status.SENT
    out = io.StringIO()
    call_command("notifications", "status", stdout=out)
    assert "pending: 0\nsending: 0\nsent: 1\nfailed: 0" in out.getvalue()


def test_the_delivery_task_drains_the_outbox(resident):
    from shuren.notifications.tasks import deliver_task

    with override_settings(SHUREN_NOTIFICATION_CHANNELS={"email": "shuren.notifications.testing.RecordingChannel"}):
        for n in range(5):
            email_to(resident, f"e{n}")
        result = deliver_task.call()
    assert result["sent"] == 5


def test_a_recipient_who_lost_their_address_is_given_up_not_retried(resident):
    with override_settings(SHUREN_NOTIFICATION_CHANNELS={"email": "shuren.notifications.channels.email.EmailChannel"}):
        message = email_to(resident)
        resident.email = ""
        resident.save()
        assert deliver_due()["failed"] == 1
    message.refresh_from_db()
    assert message.status == Status.FAILED and "cannot be reached" in message.last_error


@FLAKY_EMAIL
@override_settings(SHUREN_NOTIFICATIONS_MAX_AGE_HOURS=1)
def test_a_message_sent_again_has_its_full_age_again(resident, make_user):
    from shuren.notifications.services import retry_failed

    FlakyChannel.arm(100)
    message = email_to(resident)
    deliver_due(now=message.created_at + dt.timedelta(hours=2))
    message.refresh_from_db()
    assert message.status == Status.FAILED
    retry_failed(actor=make_user("system_admin"), pk=message.pk)
    deliver_due()
    message.refresh_from_db()
    assert message.status == Status.PENDING and message.attempts == 2  # retrying, not given up


@override_settings(SHUREN_NOTIFICATIONS_RETENTION_DAYS=30)
def test_the_purge_command_deletes_settled_messages_past_the_retention(resident):
    import io

    email_to(resident, "old")
    email_to(resident, "new")
    Message.objects.filter(event_key="old").update(
        status=Status.SENT, created_at=timezone.now() - dt.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("notifications", "purge", stdout=out)
    assert "older than 30 days): 1" in out.getvalue()
    assert list(Message.objects.values_list("event_key", flat=True)) == ["new"]

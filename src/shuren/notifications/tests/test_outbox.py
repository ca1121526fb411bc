"""Creating messages: in the event's transaction, once per (event, recipient, channel), on the
channels the recipient chose and can be reached on."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from shuren.notifications.models import Channel, DeliverySchedule, Message, Preference, Status
from shuren.notifications.services import GroupAddress, notify

pytestmark = pytest.mark.django_db

QUIET_NEVER = {"quiet_start": "00:00", "quiet_end": "00:00"}


def send(recipients, *, event="appeal:42:resolved", kind="tests.resolved", **kwargs):
    return notify(
        kind=kind,
        event_key=event,
        recipients=recipients,
        subject="您的诉求已办结",
        text="诉求 SR-42 已办结，请评价。",
        link="/my/appeals/42/",
        **kwargs,
    )


class Boom(Exception):
    pass


def test_a_rolled_back_event_leaves_no_message(resident):
    with pytest.raises(Boom), transaction.atomic():
        send([resident])
        assert Message.objects.count() == 3  # inside the event's transaction the rows exist
        raise Boom
    assert Message.objects.count() == 0


def test_delivery_is_queued_only_when_the_event_commits(resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([resident])
    assert DBTaskResult.objects.count() == 0
    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_task").count() == 1


def test_the_same_event_twice_makes_one_message_per_channel(resident):
    send([resident])
    send([resident])
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "inapp", "sms"]


def test_a_recipient_named_twice_gets_one_message_per_channel(resident):
    send([resident, resident])
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "inapp", "sms"]


def test_another_event_of_the_same_kind_makes_new_messages(resident):
    send([resident], event="appeal:42:resolved")
    send([resident], event="appeal:43:resolved")
    assert Message.objects.filter(channel=Channel.INAPP).count() == 2


def test_in_app_messages_are_delivered_at_once_the_others_wait_for_the_worker(resident):
    DeliverySchedule.objects.create(user=resident, **QUIET_NEVER)
    send([resident])
    by_channel = {m.channel: m for m in Message.objects.all()}
    assert by_channel["inapp"].status == Status.SENT and by_channel["inapp"].sent_at is not None
    assert by_channel["inapp"].read_at is None
    assert by_channel["email"].status == Status.PENDING and by_channel["email"].next_attempt_at is not None
    assert by_channel["sms"].status == Status.PENDING


def test_a_channel_switched_off_gets_nothing_and_in_app_cannot_be_switched_off(resident):
    Preference.objects.create(user=resident, kind="tests.resolved", channel="email", enabled=False)
    Preference.objects.create(user=resident, kind="tests.resolved", channel="inapp", enabled=False)
    send([resident])
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["inapp", "sms"]


def test_an_optional_channel_is_used_only_once_chosen(resident, neighbour):
    Preference.objects.create(user=resident, kind="tests.reminder", channel="sms", enabled=True)
    send([resident, neighbour], kind="tests.reminder", event="meeting:7:tomorrow", channels=("inapp", "sms"))
    assert sorted(Message.objects.values_list("recipient__username", "channel")) == sorted(
        [(neighbour.username, "inapp"), (resident.username, "inapp"), (resident.username, "sms")]
    )


def test_nobody_is_sent_what_cannot_reach_them(resident, make_user):
    silent = make_user()  # no e-mail, no phone
    inactive = make_user()
    inactive.is_active = False
    inactive.save()
    send([silent, inactive, None])
    assert list(Message.objects.values_list("recipient__username", "channel")) == [(silent.username, "inapp")]


def test_text_may_depend_on_the_recipient(resident, neighbour):
    notify(
        kind="tests.reminder",
        event_key="ballot:3:open",
        recipients=[resident, neighbour],
        subject="投票开始",
        text=lambda user: f"{user.username}，请投票",
    )
    texts = set(Message.objects.values_list("text", flat=True))
    assert texts == {f"{resident.username}，请投票", f"{neighbour.username}，请投票"}


@override_settings(SHUREN_NOTIFICATION_CHANNELS={"wecom": "shuren.notifications.channels.wecom.WeComChannel"})
def test_a_group_address_gets_one_message_per_event():
    group = GroupAddress(channel="wecom", address="building:12")
    notify(kind="tests.reminder", event_key="notice:5", recipients=[group], subject="停水通知", text="明日停水")
    notify(kind="tests.reminder", event_key="notice:5", recipients=[group], subject="停水通知", text="明日停水")
    [message] = Message.objects.all()
    assert (message.recipient, message.address, message.channel, message.status) == (
        None,
        "building:12",
        "wecom",
        Status.PENDING,
    )


def test_an_email_digest_waits_for_the_digest_hour_unless_urgent(resident):
    DeliverySchedule.objects.create(user=resident, email_digest=True)
    send([resident], event="a")
    send([resident], event="b", urgent=True)
    routine = Message.objects.get(event_key="a", channel="email")
    urgent = Message.objects.get(event_key="b", channel="email")
    assert routine.digest and routine.next_attempt_at > urgent.next_attempt_at
    assert not urgent.digest


def test_a_mandatory_kind_ignores_the_users_choices_and_is_not_offered(resident):
    from shuren.notifications import kinds

    kinds.register(kinds.Kind("tests.security", "Password changed", channels=("inapp", "email"), mandatory=True))
    Preference.objects.create(user=resident, kind="tests.security", channel="email", enabled=False)
    send([resident], kind="tests.security", event="password:1")
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "inapp"]
    assert kinds.get("tests.security").choosable == ()


def test_purging_keeps_unread_and_waiting_messages(resident):
    import datetime as dt

    from django.utils import timezone

    from shuren.notifications.services import purge

    DeliverySchedule.objects.create(user=resident, **QUIET_NEVER)
    send([resident], event="old")
    Message.objects.filter(channel="sms").update(status=Status.FAILED)
    send([resident], event="old-read")
    Message.objects.filter(event_key="old-read", channel="inapp").update(read_at=timezone.now())
    Message.objects.filter(event_key="old-read").exclude(channel="inapp").update(status=Status.SENT)
    assert purge(before=timezone.now() + dt.timedelta(seconds=1)) == 4
    left = set(Message.objects.values_list("event_key", "channel", "status"))
    assert left == {("old", "inapp", Status.SENT), ("old", "email", Status.PENDING)}

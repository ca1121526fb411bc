"""Two workers delivering at once, in real threads on PostgreSQL: skip-locked claims and leases give
each message to one worker, so each is sent once."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import pytest
from django.test import override_settings

from shuren.accounts.models import User
from shuren.core.testing import run_at_once
from shuren.notifications.models import Message, Status
from shuren.notifications.services import deliver_due, notify
from shuren.notifications.testing import RecordingChannel

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

RECORDING = override_settings(SHUREN_NOTIFICATION_CHANNELS={"email": "shuren.notifications.testing.RecordingChannel"})


def queue(user: User, count: int, prefix: str) -> None:
    for n in range(count):
        notify(
            kind="tests.resolved",
            event_key=f"{prefix}:{n}",
            recipients=[user],
            subject="通知",
            text="正文",
            channels=("email",),
        )


def worker(start: Any) -> int:
    start()
    sent = 0
    while True:
        counts = deliver_due(limit=7)
        sent += counts["sent"]
        if not any(counts.values()):
            return sent


@RECORDING
def test_two_workers_at_once_send_each_message_once(resident):
    for round_ in range(3):
        RecordingChannel.reset()
        queue(resident, 60, f"r{round_}")
        outcomes = run_at_once([worker, worker, worker])
        ids = [pk for pk, _thread in RecordingChannel.sent]
        assert len(ids) == len(set(ids)) == 60 == sum(outcomes)
        assert not Message.objects.exclude(status=Status.SENT).exists()
        assert set(Message.objects.values_list("attempts", flat=True)) == {1}


class BlockingChannel(RecordingChannel):
    """Holds its first delivery until released, as a slow provider would."""

    sent: ClassVar[list[tuple[int, str]]] = []
    release: ClassVar[threading.Event] = threading.Event()
    entered: ClassVar[threading.Event] = threading.Event()

    def send(self, message: Message) -> str:
        type(self).entered.set()
        assert type(self).release.wait(timeout=30)
        return super().send(message)


@override_settings(SHUREN_NOTIFICATION_CHANNELS={"email": f"{__name__}.BlockingChannel"})
def test_a_message_being_sent_is_not_taken_by_another_worker(resident):
    BlockingChannel.reset()
    BlockingChannel.release.clear()
    BlockingChannel.entered.clear()
    queue(resident, 1, "slow")

    def slow(start: Any) -> dict[str, int]:
        start()
        return deliver_due()

    def other(start: Any) -> dict[str, int]:
        start()
        assert BlockingChannel.entered.wait(timeout=30)
        try:
            return deliver_due()  # while the first worker is still sending
        finally:
            BlockingChannel.release.set()

    first, second = run_at_once([slow, other])
    assert first["sent"] == 1 and second == {"sent": 0, "retrying": 0, "failed": 0, "held": 0, "over_budget": 0}
    assert len(BlockingChannel.sent) == 1


def test_two_workers_sending_sms_through_the_provider_send_each_once(resident, neighbour, settings):
    """The real Aliyun client, its requests signed, against the local Aliyun fake: three workers at
    once, the provider down for a while then back; each message reaches the provider once."""
    from django.utils import timezone

    from shuren.notifications.testing import ALIYUN_KEY_ID, ALIYUN_SECRET, SIGN_NAME, AliyunServer

    with AliyunServer() as aliyun:
        aliyun.templates["SMS_482913003"] = ("subject", "link", "stop")
        settings.SHUREN_SMS_PROVIDER = "aliyun"
        settings.SHUREN_SMS_SIGN_NAME = SIGN_NAME
        settings.SHUREN_SMS_ALIYUN_ACCESS_KEY_ID = ALIYUN_KEY_ID
        settings.SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET = ALIYUN_SECRET
        settings.SHUREN_SMS_ALIYUN_ENDPOINT = aliyun.url
        settings.SHUREN_SMS_TEMPLATES = {"tests.resolved": "SMS_482913003"}
        settings.SHUREN_NOTIFICATION_CHANNELS = {}
        settings.SHUREN_NOTIFY_LIMITS = {}
        for person in (resident, neighbour):
            for n in range(20):
                notify(
                    kind="tests.resolved",
                    event_key=f"sms:{n}",
                    recipients=[person],
                    subject=f"第{n}号",
                    text="t",
                    channels=("sms",),
                    urgent=True,
                )
        aliyun.down()
        assert deliver_due(limit=100)["retrying"] == 40
        aliyun.up()
        when = max(Message.objects.values_list("next_attempt_at", flat=True))

        def sms_worker(start: Any) -> int:
            start()
            sent = 0
            while True:
                counts = deliver_due(now=when, limit=5)
                sent += counts["sent"]
                if not any(counts.values()):
                    return sent

        outcomes = run_at_once([sms_worker, sms_worker, sms_worker])
        per_message = aliyun.count(lambda r: (r.query["PhoneNumbers"], AliyunServer.params(r)["subject"]))
        assert sum(outcomes) == 40 == len(per_message)
        assert set(per_message.values()) == {1}
        assert not Message.objects.exclude(status=Status.SENT).exists()
        assert timezone.now() >= Message.objects.latest("sent_at").created_at

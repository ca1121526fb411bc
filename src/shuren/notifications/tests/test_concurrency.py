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

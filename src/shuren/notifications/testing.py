"""Helpers for tests that send messages: a real SMTP server on a local port (``smtp_server``, aiosmtpd), and
channels that record what they deliver (``RecordingChannel``, ``FlakyChannel``), registered with
``override_settings(SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.testing.RecordingSms"})``."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, ClassVar

from .channels.base import ChannelBackend, DeliveryError
from .models import Message

# --- a real SMTP server (aiosmtpd) ---------------------------------------------------------------


@dataclass
class SmtpInbox:
    """What the server received, and how it should answer: ``refuse_next`` transient refusals
    (451) of the next MAIL commands, ``refuse_recipients`` addresses refused for good (550)."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse_next: int = 0
    refused_attempts: int = 0
    refuse_recipients: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _InboxHandler:
    """aiosmtpd's handler hooks: refusals as the inbox says, every accepted message parsed."""

    def __init__(self, box: SmtpInbox) -> None:
        self.box = box

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        with self.box.lock:
            if self.box.refuse_next > 0:
                self.box.refuse_next -= 1
                self.box.refused_attempts += 1
                return "451 4.3.0 Try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address in self.box.refuse_recipients:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.box.lock:
            self.box.messages.append(parsed)
            self.box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[int, SmtpInbox]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, in its own thread: yields its port and what it
    received."""
    from aiosmtpd.controller import Controller

    box = SmtpInbox()
    with socket.socket() as probe:  # a free port for the controller to bind
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_InboxHandler(box), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


# --- recording channels --------------------------------------------------------------------------


class RecordingChannel(ChannelBackend):
    """Reaches every user; records each delivery (class-level: a backend is made per use)."""

    name = "recording"
    sent: ClassVar[list[tuple[int, str]]] = []  # (message id, thread name)
    lock: ClassVar[threading.Lock] = threading.Lock()

    def address_of(self, user: Any) -> str:
        return "recorded"

    def send(self, message: Message) -> str:
        with self.lock:
            self.sent.append((message.pk, threading.current_thread().name))
        return f"rec-{message.pk}"

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.sent.clear()


class RecordingSms(RecordingChannel):
    """An SMS channel for tests: reaches users with a mobile number."""

    name = "sms"
    sent: ClassVar[list[tuple[int, str]]] = []

    def address_of(self, user: Any) -> str:
        return str(getattr(user, "phone", "") or "")


class FlakyChannel(RecordingChannel):
    """Fails ``failures`` times (retryably, or for good when ``permanent``), then delivers."""

    name = "flaky"
    sent: ClassVar[list[tuple[int, str]]] = []
    failures: ClassVar[int] = 0
    permanent: ClassVar[bool] = False
    calls: ClassVar[int] = 0

    def send(self, message: Message) -> str:
        with self.lock:
            type(self).calls += 1
            if type(self).failures > 0:
                type(self).failures -= 1
                raise DeliveryError(
                    "provider down: https://sms.example.com/send?key=SECRET", retryable=not self.permanent
                )
        return super().send(message)

    @classmethod
    def arm(cls, failures: int, *, permanent: bool = False) -> None:
        cls.reset()
        cls.failures, cls.permanent, cls.calls = failures, permanent, 0

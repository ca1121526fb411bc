"""Helpers for tests that send messages: a real SMTP server on a local port (``smtp_server``), and
channels that record what they deliver (``RecordingChannel``, ``FlakyChannel``), registered with
``override_settings(SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.testing.RecordingSms"})``."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, ClassVar

from .channels.base import ChannelBackend, DeliveryError
from .models import Message

# --- a small SMTP server (RFC 5321's commands a client needs) ------------------------------------


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


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: Any

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        box: SmtpInbox = self.server.inbox
        sender, recipients = "", list[str]()
        self.reply("220 localhost test SMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("HELO", "EHLO"):
                self.reply("250-localhost" if verb == "EHLO" else "250 localhost")
                if verb == "EHLO":
                    self.reply("250-8BITMIME")
                    self.reply("250 SMTPUTF8")
            elif verb == "MAIL":
                with box.lock:
                    if box.refuse_next > 0:
                        box.refuse_next -= 1
                        box.refused_attempts += 1
                        self.reply("451 4.3.0 try again later")
                        continue
                sender, recipients = line.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>")
                if address in box.refuse_recipients:
                    self.reply("550 5.1.1 no such user")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                lines = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                parsed = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                with box.lock:
                    box.messages.append(parsed)
                    box.envelopes.append((sender, recipients))
                self.reply("250 OK queued")
            elif verb == "RSET":
                sender, recipients = "", []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 command not implemented")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_server() -> Iterator[tuple[int, SmtpInbox]]:
    """A real SMTP server on 127.0.0.1 in a thread: yields its port and what it received."""
    server = _SmtpServer(("127.0.0.1", 0), _SmtpHandler)
    server.inbox = SmtpInbox()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.inbox  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


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

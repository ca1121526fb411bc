"""The development backend: writes each message to the console instead of sending it."""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

from ..models import Message
from .base import ChannelBackend, site_url

_lock = threading.Lock()


class ConsoleChannel(ChannelBackend):
    """Reaches everyone; prints the message (and the SMS template parameters) to ``stream``."""

    name = "console"
    stream: TextIO | None = None  # sys.stdout when unset

    def address_of(self, user: Any) -> str:
        return "console"

    def send(self, message: Message) -> str:
        to = message.address or (message.recipient.get_username() if message.recipient else "?")
        lines = [
            f"-- {message.channel} #{message.pk} to {to}{' (urgent)' if message.urgent else ''}: {message.subject}",
            message.text,
        ]
        if message.params:
            lines.append(f"params: {message.params}")
        if message.link:
            lines.append(site_url(message.link))
        with _lock:
            stream = self.stream or sys.stdout
            stream.write("\n".join(lines) + "\n")
            stream.flush()
        return f"console-{message.pk}"

"""The development provider: prints each message on standard output instead of sending it.

It prints the whole message, template values included — a sign-up code is read off the terminal (or,
in tests and browser journeys in the same process, off ``outbox``) — but the number masked, as every
log line of Shuren has it: the masked number and the time tell messages apart. It refuses what the
real providers refuse before sending (a number that is not a mainland mobile), so that development
meets the same errors. `check --deploy` refuses it in production (shuren.E040): messages would
never reach residents, and codes written to a log could be used by whoever reads the log.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from django.utils import timezone

from shuren.core.masking import mask_phone

from .base import e164_mobile, template_values

# Messages kept for tests and journeys running in the same process (oldest dropped first).
OUTBOX_SIZE = 200


@dataclass(frozen=True)
class ConsoleMessage:
    phone: str  # E.164, as a real provider would have received it
    sign_name: str
    template_code: str
    params: dict[str, str]
    message_id: str
    sent_at: datetime = field(default_factory=timezone.now)

    def text(self) -> str:
        """The message as it is printed (without the number)."""
        values = json.dumps(self.params, ensure_ascii=False, sort_keys=False)
        return f"【{self.sign_name}】[{self.template_code}] {values}"


outbox: deque[ConsoleMessage] = deque(maxlen=OUTBOX_SIZE)
_lock = threading.Lock()


def messages_to(phone: str) -> list[ConsoleMessage]:
    """The messages printed for ``phone`` (any form of the number), oldest first."""
    number = e164_mobile(phone, provider=ConsoleSms.name)
    with _lock:
        return [message for message in outbox if message.phone == number]


class ConsoleSms:
    name = "console"

    def __init__(self, *, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, *, phone: str, template_code: str, params: dict[str, str], sign_name: str) -> str:
        number = e164_mobile(phone, provider=self.name)
        message = ConsoleMessage(
            phone=number,
            sign_name=sign_name,
            template_code=template_code,
            params=template_values(params),
            message_id=f"console-{uuid.uuid4().hex}",
        )
        stream = self._stream or sys.stdout
        with _lock:
            outbox.append(message)
            stream.write(f"SMS to {mask_phone(number)} ({message.message_id}): {message.text()}\n")
            stream.flush()
        return message.message_id

"""Helpers other apps' tests (and the browser journey) may import: the code the development SMS
provider printed for a number."""

from __future__ import annotations

from shuren.notifications.sms.console import messages_to


def last_code(phone: str) -> str:
    """The last one-time code the console provider "sent" to ``phone`` (any form of the number).
    Raises LookupError when none was."""
    for message in reversed(messages_to(phone)):
        if "code" in message.params:
            return message.params["code"]
    raise LookupError("no code was sent to this number")


def codes_sent(phone: str) -> int:
    """How many one-time codes the console provider printed for ``phone``."""
    return sum(1 for message in messages_to(phone) if "code" in message.params)

"""The interface every channel implements, and the error a channel or a provider raises.

A channel turns an outbox row into a delivery: it says where a user can be reached on it
(``address_of``) and sends one message (``send``), returning the provider's message id. It raises
``DeliveryError`` when the message did not go: ``retryable=True`` for what may pass later (the
provider is down, a rate limit, a timeout), ``False`` for what never will (no such number, a template
the provider refuses). Any other exception is taken as retryable.

Providers (``shuren.notifications.sms``, WeChat) raise the same ``DeliveryError``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.urls import reverse

if TYPE_CHECKING:
    from ..models import Message


class DeliveryError(Exception):
    """A message was not delivered. ``retryable``: whether trying again later may succeed."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ChannelBackend:
    """One channel. Subclasses set ``name`` and implement ``send``."""

    name: ClassVar[str] = ""
    # Whether the channel reaches a group address (a building's WeCom group) rather than a user.
    for_groups: ClassVar[bool] = False

    def address_of(self, user: Any) -> str:
        """Where ``user`` is reached on this channel; "" when they cannot be (no e-mail, no phone)."""
        return ""

    def offers(self, kind: str) -> bool:
        """Whether this channel can carry ``kind`` at all (WeChat: only kinds with a template)."""
        return True

    def send(self, message: Message) -> str:
        """Deliver ``message``; return the provider's message id ("" when it has none)."""
        raise NotImplementedError

    def send_digest(self, messages: list[Message]) -> str:
        """Deliver several messages to one recipient as one (the daily digest); by default one by one."""
        ids = [self.send(message) for message in messages]
        return ids[-1] if ids else ""


def site_url(path: str = "") -> str:
    """An absolute address on the site (SHUREN_SITE_URL), for links leaving it."""
    base = str(getattr(settings, "SHUREN_SITE_URL", "")).rstrip("/")
    return f"{base}{path}" if path.startswith("/") else (path or base)


def preferences_url() -> str:
    """The page where a recipient stops a kind of message (every e-mail and SMS says how)."""
    return site_url(reverse("notifications:preferences"))


_URL = re.compile(r"(https?://[^/\s?#]+)[^\s]*")


def safe_error(error: BaseException | str) -> str:
    """An error as kept on the row and in logs: one line, short, URLs cut to their host (a webhook's
    key or a signed query never lands in the database)."""
    text = str(error) or type(error).__name__
    text = _URL.sub(r"\1/…", " ".join(text.split()))
    return text[:300]

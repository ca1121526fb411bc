"""WeCom group robots (企业微信群机器人): a building's or a grid's stairwell group gets the message as
markdown through the group's webhook, built and sent by ``shuren.notifications.wecom``.

A message's address is an opaque key ("building:12"); SHUREN_WECOM_WEBHOOK_RESOLVER names a function
``(address) -> webhook URL | None`` that the app holding the groups provides, so the webhook's
secret key is never stored on the message nor logged. Only a robot's address at WeCom's host
(SHUREN_WECOM_WEBHOOK_BASE) is called. The text is redacted and made inert before it leaves:
nothing personal, no links or mentions but the notice's own link.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from .. import wecom
from ..models import Message
from .base import ChannelBackend, DeliveryError, site_url


def webhook_url(address: str) -> str:
    resolver_path = getattr(settings, "SHUREN_WECOM_WEBHOOK_RESOLVER", "")
    if not resolver_path:
        raise DeliveryError("no WeCom webhook resolver configured", retryable=False)
    resolver: Callable[[str], str | None] = import_string(resolver_path)
    url = resolver(address) or ""
    try:
        wecom.validate_webhook_url(url)
    except ValidationError as error:
        raise DeliveryError(f"no valid webhook for {address}", retryable=False) from error
    return url


class WeComChannel(ChannelBackend):
    name = "wecom"
    for_groups = True

    def send(self, message: Message) -> str:
        url = webhook_url(message.address)
        content = wecom.notice_markdown(
            title=message.subject, body=message.text, url=site_url(message.link) if message.link else ""
        )
        try:
            wecom.send_markdown(webhook_url=url, content=content)
        except wecom.WebhookError as error:  # its text shows the webhook masked, never the key
            raise DeliveryError(str(error), retryable=error.retryable) from error
        return ""

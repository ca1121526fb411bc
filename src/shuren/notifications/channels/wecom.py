"""WeCom group robots (企业微信群机器人): a building's or a grid's stairwell group gets the message as
markdown through the group's webhook.

A message's address is an opaque key ("building:12"); SHUREN_WECOM_WEBHOOK_RESOLVER names a function
``(address) -> webhook URL | None`` that the app holding the groups provides, so the webhook's
secret key is never stored on the message nor logged. Only URLs starting with one of
SHUREN_WECOM_WEBHOOK_PREFIXES are called. Nothing personal belongs in a group message: the callers
send masked names only.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string

from ..models import Message
from .base import ChannelBackend, DeliveryError, site_url

DEFAULT_PREFIXES = ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",)
# The robot's limits: 4096 bytes of markdown; 20 messages a minute per robot (errcode 45009).
MAX_BYTES = 4096
RETRYABLE_CODES = {-1, 45009, 45033}
# Markdown's marks are escaped; angle brackets (WeCom's <font> tags) become their full-width forms.
_MARKDOWN = str.maketrans({ch: f"\\{ch}" for ch in "\\`*_[]()#"} | {"<": "＜", ">": "＞"})


def escape_markdown(text: str) -> str:
    """Text shown literally in a WeCom markdown message (no links, no formatting, no HTML)."""
    return text.translate(_MARKDOWN)


def markdown_of(message: Message) -> str:
    body = f"**{escape_markdown(message.subject)}**\n{escape_markdown(message.text)}"
    if message.link:
        body += f"\n[{escape_markdown(site_url(message.link))}]({site_url(message.link)})"
    encoded = body.encode()
    return encoded[:MAX_BYTES].decode(errors="ignore")


def webhook_url(address: str) -> str:
    resolver_path = getattr(settings, "SHUREN_WECOM_WEBHOOK_RESOLVER", "")
    if not resolver_path:
        raise DeliveryError("no WeCom webhook resolver configured", retryable=False)
    resolver: Callable[[str], str | None] = import_string(resolver_path)
    url = resolver(address) or ""
    prefixes = tuple(getattr(settings, "SHUREN_WECOM_WEBHOOK_PREFIXES", DEFAULT_PREFIXES))
    if not url.startswith(prefixes):
        raise DeliveryError(f"no valid webhook for {address}", retryable=False)
    return url


class WeComChannel(ChannelBackend):
    name = "wecom"
    for_groups = True
    timeout = 10.0

    def send(self, message: Message) -> str:
        url = webhook_url(message.address)
        payload = json.dumps({"msgtype": "markdown", "markdown": {"content": markdown_of(message)}}).encode()
        request = urllib.request.Request(  # noqa: S310 - the prefix check above allows https (and a test's http)
            url, data=payload, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            retryable = error.code >= 500 or error.code == 429
            raise DeliveryError(f"WeCom answered HTTP {error.code}", retryable=retryable) from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise DeliveryError(f"WeCom unreachable: {type(error).__name__}", retryable=True) from error
        code = int(answer.get("errcode", -1))
        if code != 0:
            raise DeliveryError(f"WeCom errcode {code}", retryable=code in RETRYABLE_CODES)
        return ""

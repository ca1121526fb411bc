"""WeChat subscribe messages (订阅消息) for residents who linked WeChat, sent by the client in
``shuren.notifications.wechat`` (the stable access token, ``subscribeMessage.send``).

A user is reached when SHUREN_WECHAT_OPENID_RESOLVER ``(user) -> openid | ""`` gives an openid; the
default, ``linked_openid``, reads the ``WeChatLink`` the mini program's login made. Each kind sent
this way has its subscribe template in SHUREN_WECHAT_TEMPLATES; the channel is offered only for
those kinds. A template entry is either the template id (keywords ``thing1`` = the subject,
``time2`` = when the message was created) or::

    {"template": "TEMPLATE_ID", "page": "pages/appeal/detail",
     "fields": {"thing1": "subject", "thing3": "text", "time2": "created", "character_string4": "param:ref"}}

A field's source is ``subject``, ``text``, ``created`` (the local time, 2026年12月9日 09:00),
``param:NAME`` (the message's ``params[NAME]``) or ``=literal``. The client cuts each value to its
keyword's limit. ``page`` is the mini program page the message opens (the message's link is a page
of the site, not of the mini program); the message's ``params["page_query"]``, when set, is added.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from .. import wechat
from ..models import Message
from .base import ChannelBackend, DeliveryError

DEFAULT_FIELDS = {"thing1": "subject", "time2": "created"}


def linked_openid(user: Any) -> str:
    """The openid of the WeChat ``user`` linked in the mini program, or ""."""
    from ..models import WeChatLink

    if user is None or user.pk is None:
        return ""
    link = WeChatLink.objects.filter(user_id=user.pk).only("openid").first()
    return link.openid if link is not None else ""


def template_for(kind: str) -> dict[str, Any] | None:
    """The subscribe template of ``kind`` as ``{"template", "fields", "page"}``, or None."""
    entry = getattr(settings, "SHUREN_WECHAT_TEMPLATES", {}).get(kind)
    if not entry:
        return None
    if isinstance(entry, str):
        return {"template": entry, "fields": dict(DEFAULT_FIELDS), "page": ""}
    if not isinstance(entry, dict) or not entry.get("template"):
        raise ImproperlyConfigured(f"SHUREN_WECHAT_TEMPLATES[{kind!r}] needs a template id")
    return {
        "template": str(entry["template"]),
        "fields": dict(entry.get("fields") or DEFAULT_FIELDS),
        "page": str(entry.get("page") or ""),
    }


def field_value(source: str, message: Message) -> str:
    if source == "subject":
        return message.subject
    if source == "text":
        return message.text
    if source == "created":
        return f"{timezone.localtime(message.created_at):%Y年%-m月%-d日 %H:%M}"
    if source.startswith("param:"):
        return str((message.params or {}).get(source[len("param:") :], ""))
    if source.startswith("="):
        return source[1:]
    raise ImproperlyConfigured(f"unknown WeChat field source {source!r}")


class WeChatChannel(ChannelBackend):
    name = "wechat"

    def address_of(self, user: Any) -> str:
        resolver = getattr(settings, "SHUREN_WECHAT_OPENID_RESOLVER", "")
        return str(import_string(resolver)(user) or "") if resolver and user is not None else ""

    def offers(self, kind: str) -> bool:
        return template_for(kind) is not None

    def send(self, message: Message) -> str:
        openid = self.address_of(message.recipient)
        if not openid:
            raise DeliveryError("the recipient has not linked WeChat", retryable=False)
        try:
            template = template_for(message.kind)
        except ImproperlyConfigured as error:
            raise DeliveryError(str(error), retryable=False) from error
        if template is None:
            raise DeliveryError(f"no WeChat template for {message.kind}", retryable=False)
        try:
            data = {keyword: field_value(source, message) for keyword, source in template["fields"].items()}
        except ImproperlyConfigured as error:
            raise DeliveryError(str(error), retryable=False) from error
        page = template["page"]
        query = str((message.params or {}).get("page_query", ""))
        if page and query:
            page = f"{page}?{query}"
        try:
            wechat.send(openid=openid, template_id=template["template"], data=data, page=page)
        except wechat.WechatError as error:  # its text shows the openid masked, never a secret
            raise DeliveryError(str(error), retryable=error.retryable) from error
        except ImproperlyConfigured as error:  # no AppID or AppSecret
            raise DeliveryError(str(error), retryable=False) from error
        return f"wechat-{message.pk}"

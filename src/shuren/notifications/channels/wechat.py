"""WeChat subscribe messages (订阅消息) for residents who linked WeChat.

Two functions complete it, named in settings by the app that links WeChat accounts:
SHUREN_WECHAT_OPENID_RESOLVER ``(user) -> openid | ""`` and SHUREN_WECHAT_PROVIDER, a factory of an
object with ``send(*, openid, template_id, data, page) -> str`` raising ``DeliveryError``. Each kind
sent this way has its subscribe template in SHUREN_WECHAT_TEMPLATES. Without them nobody is
reachable on WeChat and no message is created for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from ..models import Message
from .base import ChannelBackend, DeliveryError

# A subscribe message's "thing" value holds at most 20 characters.
THING_LIMIT = 20


class WeChatChannel(ChannelBackend):
    name = "wechat"

    def address_of(self, user: Any) -> str:
        resolver = getattr(settings, "SHUREN_WECHAT_OPENID_RESOLVER", "")
        return str(import_string(resolver)(user) or "") if resolver and user is not None else ""

    def send(self, message: Message) -> str:
        openid = self.address_of(message.recipient)
        if not openid:
            raise DeliveryError("the recipient has not linked WeChat", retryable=False)
        template_id = getattr(settings, "SHUREN_WECHAT_TEMPLATES", {}).get(message.kind)
        provider_path = getattr(settings, "SHUREN_WECHAT_PROVIDER", "")
        if not template_id or not provider_path:
            raise DeliveryError(f"no WeChat template or provider for {message.kind}", retryable=False)
        text = " ".join(message.subject.split())
        data = {"thing1": {"value": text[:THING_LIMIT]}, **{k: {"value": str(v)} for k, v in message.params.items()}}
        try:
            return str(
                import_string(provider_path)().send(
                    openid=openid, template_id=template_id, data=data, page=message.link
                )
            )
        except DeliveryError:
            raise
        except Exception as error:
            raise DeliveryError(f"{type(error).__name__}: {error}", retryable=True) from error

"""SMS through a provider (Aliyun SMS, Tencent Cloud SMS: ``shuren.notifications.sms``).

Chinese providers send only registered templates: each kind of message that may go by SMS has its
template code in SHUREN_SMS_TEMPLATES (``{"appeals.resolved": "SMS_123456789"}``), whose variables
are filled from the message's ``params`` (by default ``subject`` and ``link``). The registered
template itself carries how to stop it (e.g. "拒收请回复R"). Quiet hours hold SMS (the worker).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ..models import Message
from .base import ChannelBackend, DeliveryError, site_url

# A template variable of the Chinese providers is short; longer values are refused.
PARAM_LIMIT = 35


def _clean(value: object) -> str:
    """A template parameter: one line, no control characters, within the providers' limit."""
    text = "".join(ch for ch in str(value) if ch.isprintable())
    return " ".join(text.split())[:PARAM_LIMIT]


def sms_params(message: Message) -> dict[str, str]:
    params = message.params or {
        "subject": message.subject,
        **({"link": site_url(message.link)} if message.link else {}),
    }
    return {str(key): _clean(value) for key, value in params.items()}


class SmsChannel(ChannelBackend):
    name = "sms"

    def address_of(self, user: Any) -> str:
        return str(getattr(user, "phone", "") or "")

    def send(self, message: Message) -> str:
        phone = self.address_of(message.recipient)
        if not phone:
            raise DeliveryError("the recipient has no mobile number", retryable=False)
        templates: dict[str, str] = getattr(settings, "SHUREN_SMS_TEMPLATES", {})
        template_code = templates.get(message.kind)
        if not template_code:
            raise DeliveryError(f"no SMS template for {message.kind}", retryable=False)
        from shuren.notifications.sms import get_provider  # written separately; imported when used

        try:
            return get_provider().send(
                phone=phone,
                template_code=template_code,
                params=sms_params(message),
                sign_name=str(getattr(settings, "SHUREN_SMS_SIGN_NAME", "")),
            )
        except DeliveryError:
            raise
        except Exception as error:  # network and the unforeseen: try again later
            raise DeliveryError(f"{type(error).__name__}: {error}", retryable=True) from error

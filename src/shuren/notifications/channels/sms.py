"""SMS through a provider (Aliyun SMS, Tencent Cloud SMS: ``shuren.notifications.sms``).

Chinese providers send only registered templates: each kind of message that may go by SMS has its
template code in SHUREN_SMS_TEMPLATES (``{"appeals.resolved": "SMS_123456789"}``), whose variables
are filled from the message's ``params``: by default ``subject``, ``link`` (the message's page, or the
site) and ``stop`` (where to stop these messages: the site's short address of the preferences page,
``example.org/notifications/stop/``). Every notification template ends with how to stop it: the
``stop`` variable ("退订：${stop}") or a reply code the provider handles ("回复TD退订"). A caller
passing its own ``params`` adds ``stop`` itself when its template has it (``stop_param()``).
Quiet hours, rate limits and the community's budget hold SMS (the worker).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from ..models import Message
from .base import ChannelBackend, DeliveryError, site_url

# A template variable of the Chinese providers is short; longer values are refused.
PARAM_LIMIT = 35


# Addresses are never cut (a cut address leads nowhere): keep SHUREN_SITE_URL's host short.
UNCUT = frozenset({"link", "stop"})


def _clean(key: str, value: object) -> str:
    """A template parameter: one line, no control characters, within the providers' limit."""
    text = " ".join("".join(ch for ch in str(value) if ch.isprintable()).split())
    return text if key in UNCUT else text[:PARAM_LIMIT]


def _bare(url: str) -> str:
    """An address as an SMS shows it: without ``https://`` (phones link it all the same)."""
    return url.split("://", 1)[-1]


def stop_param() -> str:
    """Where a recipient stops these messages, short: ``example.org/notifications/stop/``."""
    return _bare(site_url(reverse("notifications:stop")))


def sms_params(message: Message) -> dict[str, str]:
    params = message.params or {
        "subject": message.subject,
        "link": _bare(site_url(message.link or "/")),
        "stop": stop_param(),
    }
    return {str(key): _clean(str(key), value) for key, value in params.items()}


class SmsChannel(ChannelBackend):
    name = "sms"

    def address_of(self, user: Any) -> str:
        return str(getattr(user, "phone", "") or "")

    def offers(self, kind: str) -> bool:
        """A Chinese SMS is a registered template: a kind goes by SMS only once its template's code
        is in SHUREN_SMS_TEMPLATES (the console provider of development prints any kind)."""
        if getattr(settings, "SHUREN_SMS_TEMPLATES", {}).get(kind):
            return True
        return bool(getattr(settings, "SHUREN_SMS_PROVIDER", "") == "console")

    def send(self, message: Message) -> str:
        phone = self.address_of(message.recipient)
        if not phone:
            raise DeliveryError("the recipient has no mobile number", retryable=False)
        if not self.offers(message.kind):
            raise DeliveryError(f"no SMS template for {message.kind}", retryable=False)
        from shuren.notifications.sms import SmsError, get_provider, template_code  # imported when used

        try:
            return get_provider().send(
                phone=phone,
                template_code=template_code(message.kind),
                params=sms_params(message),
                sign_name=str(getattr(settings, "SHUREN_SMS_SIGN_NAME", "")),
            )
        except DeliveryError:
            raise
        except SmsError as error:  # the provider's verdict: a refused template or number is final
            raise DeliveryError(str(error), retryable=error.retryable) from error
        except Exception as error:  # network and the unforeseen: try again later
            raise DeliveryError(f"{type(error).__name__}: {error}", retryable=True) from error

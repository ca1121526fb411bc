"""E-mail through Django's e-mail backends (EMAIL_BACKEND): plain text, with the link of the message
and, in every e-mail, the page where the recipient stops it."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Message
from .base import ChannelBackend, DeliveryError, preferences_url, site_url


def _footer() -> str:
    return _("You receive this e-mail because of your notification settings. To stop it: %(url)s") % {
        "url": preferences_url()
    }


def _block(message: Message) -> str:
    parts = [message.text.strip()]
    if message.link:
        parts.append(site_url(message.link))
    return "\n\n".join(parts)


class EmailChannel(ChannelBackend):
    name = "email"

    def address_of(self, user: Any) -> str:
        return str(getattr(user, "email", "") or "")

    def _deliver(self, to: str, subject: str, body: str, message_id: int) -> str:
        message_header = make_msgid(domain=str(DNS_NAME))
        mail = EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            to=[to],
            headers={
                "Message-ID": message_header,
                "X-Shuren-Message": str(message_id),
                "List-Unsubscribe": f"<{preferences_url()}>",
            },
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(f"recipient refused: {error.recipients}", retryable=False) from error
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}", retryable=True) from error
        return message_header

    def send(self, message: Message) -> str:
        to = self.address_of(message.recipient)
        if not to:
            raise DeliveryError("the recipient has no e-mail address", retryable=False)
        with translation.override(settings.LANGUAGE_CODE):
            body = f"{_block(message)}\n\n-- \n{_footer()}\n"
        return self._deliver(to, message.subject, body, message.pk)

    def send_digest(self, messages: list[Message]) -> str:
        first = messages[0]
        to = self.address_of(first.recipient)
        if not to:
            raise DeliveryError("the recipient has no e-mail address", retryable=False)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your notifications of the day (%(count)d)") % {"count": len(messages)}
            blocks = [f"{m.subject}\n{'-' * 20}\n{_block(m)}" for m in messages]
            body = "\n\n\n".join(blocks) + f"\n\n-- \n{_footer()}\n"
        return self._deliver(to, subject, body, first.pk)

"""What every SMS provider offers: one ``send`` per message and one error type saying whether to retry.

Providers send through templates registered with them in advance (a Chinese SMS cannot carry free
text): the caller names the template and fills its variables, and signs with a registered signature
(签名, shown as 【熟人】 at the head of the message).
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from django.core.exceptions import ValidationError

from shuren.core.logging import redact
from shuren.core.masking import mask_phone
from shuren.core.validators import normalize_phone

# Longest provider message kept in an error: enough to diagnose, never a whole response body.
MESSAGE_LIMIT = 200


class SmsProvider(Protocol):
    """A way to send one templated SMS to one mobile number."""

    name: str

    def send(self, *, phone: str, template_code: str, params: dict[str, str], sign_name: str) -> str:
        """Send the message and return the provider's id for it (Aliyun BizId, Tencent SerialNo).

        ``phone`` is a mainland mobile number in any form people type (normalised to E.164 here);
        ``params`` fills the template's variables. Raises ``SmsError`` when the message was not
        accepted; ``SmsError.retryable`` says whether sending it again later may succeed."""
        ...


class SmsError(Exception):
    """A message the provider did not accept, or could not be asked to accept.

    ``code`` is the provider's own error code (``isv.BUSINESS_LIMIT_CONTROL``,
    ``LimitExceeded.PhoneNumberDailyLimit``…) or one of ours for failures before an answer
    (``Timeout``, ``ConnectionError``, ``HTTP503``, ``InvalidPhoneNumber``). ``retryable`` is true when
    the same message may go through later (throttling, the provider down or slow, a clock that
    drifted, a balance to top up) and false when it never will as it stands (a template, signature,
    number or credential the provider refuses). ``may_have_been_sent`` is true when the request left
    and no answer came back (a read timeout): neither provider deduplicates, so a retry may deliver
    the message twice. The text names the provider, the masked number and the code; it never holds a
    secret, a full number or a template's values, so it is safe to log and to keep with a delivery."""

    def __init__(
        self,
        *,
        provider: str,
        code: str,
        retryable: bool,
        phone: str = "",
        detail: str = "",
        may_have_been_sent: bool = False,
    ) -> None:
        self.provider = provider
        self.code = code
        self.retryable = retryable
        self.masked_phone = mask_phone(phone) if phone else ""
        self.detail = safe_detail(detail)
        self.may_have_been_sent = may_have_been_sent
        super().__init__(self._text())

    def _text(self) -> str:
        target = f" to {self.masked_phone}" if self.masked_phone else ""
        detail = f": {self.detail}" if self.detail else ""
        kind = "retryable" if self.retryable else "permanent"
        return f"{self.provider} SMS{target} failed ({kind}) {self.code}{detail}"


def safe_detail(text: str) -> str:
    """A provider's message fit for a log line: one line, numbers masked, cut short."""
    one_line = " ".join(str(text or "").split())
    return redact(one_line)[:MESSAGE_LIMIT]


def e164_mobile(phone: str, *, provider: str) -> str:
    """The mainland mobile number in E.164 (``+8613912345678``), or a permanent ``SmsError``."""
    try:
        return normalize_phone(phone)
    except ValidationError:
        raise SmsError(provider=provider, code="InvalidPhoneNumber", retryable=False, phone=phone) from None


def template_values(params: dict[str, str]) -> dict[str, str]:
    """The template's variables as strings: both providers refuse numbers or nested values."""
    return {str(key): str(value) for key, value in params.items()}


def parse_json(body: bytes) -> dict[str, Any]:
    """A provider's JSON answer as a dict; anything else (an HTML error page, a list) as ``{}``."""
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}

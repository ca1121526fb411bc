"""Sending one markdown message through a WeCom group robot's webhook."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError

from ..transport import TransportFailure, post_json
from .markdown import CONTENT_LIMIT_BYTES
from .validators import masked_webhook, validate_webhook_url, webhook_key

logger = logging.getLogger(__name__)

# Documented errcodes worth trying again later: the robot's limit of 20 messages a minute, and
# "system busy". Every other errcode (93000 invalid webhook key, 40058 bad content…) is permanent.
RETRYABLE_ERRCODES = frozenset({45009, -1})
# Longest part of WeCom's errmsg kept in an error.
DETAIL_LIMIT = 200


class WebhookError(Exception):
    """A message the robot did not take. ``code`` is WeCom's errcode (``45009``, ``93000``…) or ours
    for failures without one (``Timeout``, ``ConnectionError``, ``HTTP502``, ``InvalidResponse``,
    ``InvalidWebhookUrl``, ``EmptyContent``, ``ContentTooLong``); ``retryable`` says whether the same
    message may go through later. ``may_have_been_sent`` is true when the request left and no answer
    came back (a second try may post it twice). The text names the masked webhook and the code,
    never the key, so it is safe to log and to keep with a delivery."""

    def __init__(
        self,
        *,
        code: str,
        retryable: bool,
        webhook_url: str = "",
        detail: str = "",
        may_have_been_sent: bool = False,
    ) -> None:
        self.code = code
        self.retryable = retryable
        self.webhook = masked_webhook(webhook_url) if webhook_url else ""
        self.detail = safe_detail(detail, key=webhook_key(webhook_url) if webhook_url else "")
        self.may_have_been_sent = may_have_been_sent
        kind = "retryable" if retryable else "permanent"
        target = f" {self.webhook}" if self.webhook else ""
        detail_text = f": {self.detail}" if self.detail else ""
        super().__init__(f"WeCom robot{target} failed ({kind}) {code}{detail_text}")


def safe_detail(text: str, *, key: str = "") -> str:
    """WeCom's errmsg fit for a log line: one line, the key (should it be echoed) masked, cut short."""
    one_line = " ".join(str(text or "").split())
    if key:
        one_line = one_line.replace(key, "****")
    return one_line[:DETAIL_LIMIT]


def send_markdown(*, webhook_url: str, content: str) -> None:
    """Post ``content`` (WeCom markdown, at most 4096 bytes of UTF-8: build it with
    ``notice_markdown``) to the robot's group. Raises ``WebhookError``."""
    try:
        validate_webhook_url(webhook_url)
    except ValidationError:
        raise WebhookError(code="InvalidWebhookUrl", retryable=False, webhook_url=webhook_url) from None
    if not content.strip():
        raise WebhookError(code="EmptyContent", retryable=False, webhook_url=webhook_url)
    if len(content.encode("utf-8")) > CONTENT_LIMIT_BYTES:
        raise WebhookError(code="ContentTooLong", retryable=False, webhook_url=webhook_url)
    document = {"msgtype": "markdown", "markdown": {"content": content}}
    try:
        answer = post_json(webhook_url.strip(), document, timeout=settings.SHUREN_WECOM_TIMEOUT)
    except TransportFailure as failure:
        error = WebhookError(
            code=failure.code,
            retryable=True,
            webhook_url=webhook_url,
            detail=failure.detail,
            may_have_been_sent=failure.may_have_been_sent,
        )
        logger.warning("%s", error)
        raise error from None
    result = answer.json()
    errcode = result.get("errcode")
    if answer.status >= 500 or (answer.status != 200 and not isinstance(errcode, int)):
        error = WebhookError(code=f"HTTP{answer.status}", retryable=answer.status >= 500, webhook_url=webhook_url)
    elif not isinstance(errcode, int):
        # A 200 without WeCom's answer (a proxy's page): whether the message went is unknown.
        error = WebhookError(code="InvalidResponse", retryable=True, webhook_url=webhook_url, may_have_been_sent=True)
    elif errcode == 0:
        logger.info("WeCom robot %s: message sent", masked_webhook(webhook_url))
        return
    else:
        error = WebhookError(
            code=str(errcode),
            retryable=errcode in RETRYABLE_ERRCODES,
            webhook_url=webhook_url,
            detail=str(result.get("errmsg", "")),
        )
    logger.warning("%s", error)
    raise error

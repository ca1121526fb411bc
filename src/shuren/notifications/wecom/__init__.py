"""Notices to a WeCom (企业微信) group through the group's robot: the stairwell, building or grid
group gets the notice as one markdown message.

    from shuren.notifications import wecom

    content = wecom.notice_markdown(title=notice.title, body=notice.body, url=full_notice_url)
    wecom.send_markdown(webhook_url=group.webhook_url, content=content)

``notice_markdown`` removes personal data (``group_safe``), makes the staff's text inert
(``escape_markdown``) and keeps within WeCom's 4096 bytes. ``send_markdown`` raises
``WebhookError``; its ``retryable`` says whether to try again later. Show or log a webhook only as
``masked_webhook(url)``; staff paste it in a ``WebhookUrlField``.
"""

from __future__ import annotations

from .client import WebhookError, send_markdown
from .markdown import CONTENT_LIMIT_BYTES, escape_markdown, fit_bytes, group_safe, notice_markdown
from .validators import WebhookUrlField, masked_webhook, validate_webhook_url

__all__ = [
    "CONTENT_LIMIT_BYTES",
    "WebhookError",
    "WebhookUrlField",
    "escape_markdown",
    "fit_bytes",
    "group_safe",
    "masked_webhook",
    "notice_markdown",
    "send_markdown",
    "validate_webhook_url",
]

"""The outbox's own settings checks: the links of e-mails, text messages and group messages are
absolute, so production must name its public address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[Error]:
    parts = urlsplit(str(getattr(settings, "SHUREN_SITE_URL", "")))
    if parts.scheme != "https" or not parts.hostname or parts.hostname in ("localhost", "127.0.0.1"):
        return [
            Error(
                "SHUREN_SITE_URL must be the site's public https:// address: messages link to it.",
                hint="Set SHUREN_SITE_URL, e.g. https://shuren.example.org",
                id="shuren.E045",
            )
        ]
    return []

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


@register()
def check_outbox_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    """SHUREN_WECHAT_TEMPLATES entries and SHUREN_NOTIFY_LIMITS pairs must be usable: a malformed one
    would fail every message of its kind or channel at delivery."""
    errors = []
    for kind, entry in dict(getattr(settings, "SHUREN_WECHAT_TEMPLATES", {}) or {}).items():
        ok = isinstance(entry, str) and bool(entry.strip())
        if isinstance(entry, dict):
            fields = entry.get("fields", {})
            ok = (
                bool(entry.get("template"))
                and isinstance(fields, dict)
                and all(
                    isinstance(source, str)
                    and (source in ("subject", "text", "created") or source.startswith(("param:", "=")))
                    for source in fields.values()
                )
            )
        if not ok:
            errors.append(
                Error(
                    f"SHUREN_WECHAT_TEMPLATES[{kind!r}] is not a template id nor "
                    '{"template": id, "fields": {keyword: source}, "page": page}.',
                    hint="A field's source is subject, text, created, param:NAME or =literal.",
                    id="shuren.E046",
                )
            )
    for channel, pair in dict(getattr(settings, "SHUREN_NOTIFY_LIMITS", {}) or {}).items():
        if not (isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(n, int) and n >= 0 for n in pair)):
            errors.append(
                Error(
                    f"SHUREN_NOTIFY_LIMITS[{channel!r}] must be (per hour, per day), two whole numbers.",
                    id="shuren.E047",
                )
            )
    return errors

"""The webhook address of a WeCom group robot: checked strictly, and never shown or logged whole.

A robot's address is ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY``; whoever has the
key can post to the group, so the key is a secret like a password. ``validate_webhook_url`` is the
validator of the form field where staff paste it (``WebhookUrlField``); ``masked_webhook`` is the
form to show or log (``…?key=693a****5aaa``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEBHOOK_PATH = "/cgi-bin/webhook/send"
# Robot keys are UUIDs; allow any run of letters, digits and hyphens of a sensible length.
KEY_PATTERN = re.compile(r"[0-9A-Za-z-]{8,64}")
# Longest address accepted (a real one is 90 characters).
MAX_LENGTH = 300


def webhook_base() -> tuple[str, str]:
    """The scheme and host (with port) robots live at: WeCom's, or a local server in tests."""
    parts = urlsplit(settings.SHUREN_WECOM_WEBHOOK_BASE)
    return parts.scheme, parts.netloc


def webhook_key(url: str) -> str:
    """The ``key`` parameter of ``url`` ("" when there is none or more than one)."""
    values = parse_qs(urlsplit(url).query, keep_blank_values=True).get("key", [])
    return values[0] if len(values) == 1 else ""


def validate_webhook_url(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a group robot's webhook address at WeCom."""
    value = (value or "").strip()
    scheme, host = webhook_base()
    if len(value) > MAX_LENGTH or any(ch.isspace() for ch in value):
        raise ValidationError(_("Paste the robot's webhook address as WeCom shows it, whole."), code="wecom_url")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise ValidationError(
            _("Paste the robot's webhook address as WeCom shows it, whole."), code="wecom_url"
        ) from None
    if parts.scheme != scheme:
        raise ValidationError(
            _("The webhook address must start with %(scheme)s://."), code="wecom_scheme", params={"scheme": scheme}
        )
    # The whole network location must be WeCom's: no user name, no other port, no look-alike host.
    if parts.netloc.lower() != host.lower():
        raise ValidationError(
            _("The webhook address must be on %(host)s, WeCom's server."), code="wecom_host", params={"host": host}
        )
    if parts.path != WEBHOOK_PATH or parts.fragment:
        raise ValidationError(
            _("This is not a group robot's webhook address (it ends in %(path)s?key=…)."),
            code="wecom_path",
            params={"path": WEBHOOK_PATH},
        )
    query = parse_qs(parts.query, keep_blank_values=True)
    keys = query.get("key", [])
    if len(keys) != 1 or not KEY_PATTERN.fullmatch(keys[0]) or set(query) != {"key"}:
        raise ValidationError(
            _("The webhook address has no valid robot key (…?key= followed by the key)."), code="wecom_key"
        )


def masked_webhook(url: str) -> str:
    """``url`` fit to show or log: the key cut to its first and last four characters, and nothing of
    an address that is not a webhook's but its scheme and host (never a user name or a password)."""
    parts = urlsplit((url or "").strip())
    try:
        host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname
    except ValueError:
        host = None
    if not host:
        return "(no address)"
    path = parts.path if parts.path == WEBHOOK_PATH else "/…"
    key = webhook_key(url)
    masked = f"{key[:4]}****{key[-4:]}" if len(key) >= 12 else "****"
    return f"{parts.scheme}://{host}{path}?key={masked}" if key or parts.query else f"{parts.scheme}://{host}{path}"


class WebhookUrlField(forms.CharField):
    """The form field where staff paste a robot's webhook address (stripped and checked)."""

    default_validators = [validate_webhook_url]

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("label", _("WeCom group robot webhook"))
        kwargs.setdefault(
            "help_text",
            _(
                "In the WeCom group: group settings, group robots, the robot, then copy its webhook address "
                "(https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…). Keep it secret: anyone who has it "
                "can post to the group."
            ),
        )
        super().__init__(**kwargs)  # type: ignore[arg-type]

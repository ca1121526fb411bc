"""System checks of the WeCom robot settings, registered when this module is imported (the
notifications app imports it when Django starts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

WECOM_BASE = "https://qyapi.weixin.qq.com"


@register(Tags.security)
def check_wecom_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    parts = urlsplit(str(settings.SHUREN_WECOM_WEBHOOK_BASE))
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.path.strip("/") or parts.query:
        errors.append(
            Error(
                "SHUREN_WECOM_WEBHOOK_BASE must be a scheme and a host only, such as https://qyapi.weixin.qq.com.",
                id="shuren.E050",
            )
        )
    timeout = settings.SHUREN_WECOM_TIMEOUT
    if not isinstance(timeout, int | float) or not 0 < timeout <= 60:
        errors.append(Error("SHUREN_WECOM_TIMEOUT must be a number of seconds between 1 and 60.", id="shuren.E051"))
    return errors


@register(Tags.security, deploy=True)
def check_wecom_for_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    if str(settings.SHUREN_WECOM_WEBHOOK_BASE).rstrip("/") != WECOM_BASE:
        return [
            Error(
                "SHUREN_WECOM_WEBHOOK_BASE is not WeCom's server: group robot webhooks would be accepted, and "
                "notices sent, elsewhere.",
                hint=f"Remove the SHUREN_WECOM_WEBHOOK_BASE setting (it defaults to {WECOM_BASE}).",
                id="shuren.E052",
            )
        ]
    return []

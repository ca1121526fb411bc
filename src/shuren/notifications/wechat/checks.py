"""System checks of the WeChat settings, registered when this module is imported (the notifications
app imports it when Django starts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

STATES = ("formal", "trial", "developer")


@register(Tags.security)
def check_wechat_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if bool(settings.SHUREN_WECHAT_APP_ID) != bool(settings.SHUREN_WECHAT_APP_SECRET):
        errors.append(
            Error(
                "WeChat subscribe messages need both SHUREN_WECHAT_APP_ID and SHUREN_WECHAT_APP_SECRET (or neither).",
                id="shuren.E053",
            )
        )
    if settings.SHUREN_WECHAT_MINIPROGRAM_STATE not in STATES:
        errors.append(Error(f"SHUREN_WECHAT_MINIPROGRAM_STATE must be one of {', '.join(STATES)}.", id="shuren.E054"))
    parts = urlsplit(str(settings.SHUREN_WECHAT_API_BASE))
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query:
        errors.append(Error("SHUREN_WECHAT_API_BASE must be an http(s) URL with a host.", id="shuren.E055"))
    timeout = settings.SHUREN_WECHAT_TIMEOUT
    if not isinstance(timeout, int | float) or not 0 < timeout <= 60:
        errors.append(Error("SHUREN_WECHAT_TIMEOUT must be a number of seconds between 1 and 60.", id="shuren.E056"))
    return errors


@register(Tags.security, deploy=True)
def check_wechat_for_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if urlsplit(str(settings.SHUREN_WECHAT_API_BASE)).scheme != "https":
        errors.append(
            Error(
                "SHUREN_WECHAT_API_BASE must be an https:// URL: the AppSecret and access tokens travel to it.",
                id="shuren.E057",
            )
        )
    if settings.SHUREN_WECHAT_APP_ID and settings.SHUREN_WECHAT_MINIPROGRAM_STATE != "formal":
        errors.append(
            Error(
                "SHUREN_WECHAT_MINIPROGRAM_STATE is not 'formal': residents' messages would open a trial or "
                "development version of the mini program.",
                id="shuren.E058",
            )
        )
    return errors

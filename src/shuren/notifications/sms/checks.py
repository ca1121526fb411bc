"""System checks of the SMS settings. ``check_sms_settings`` runs always; ``check_sms_for_production``
under ``check --deploy``. The notifications app registers them by importing this module when Django
starts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

from . import PROVIDERS, missing_settings


@register(Tags.security)
def check_sms_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SHUREN_SMS_PROVIDER not in PROVIDERS:
        errors.append(Error(f"SHUREN_SMS_PROVIDER must be one of {', '.join(PROVIDERS)}.", id="shuren.E041"))
    templates = settings.SHUREN_SMS_TEMPLATES
    if not isinstance(templates, dict) or not all(
        isinstance(kind, str) and isinstance(code, str) for kind, code in templates.items()
    ):
        errors.append(
            Error(
                "SHUREN_SMS_TEMPLATES must map kinds of message to template codes (a JSON object of strings).",
                id="shuren.E044",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_sms_for_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    provider = settings.SHUREN_SMS_PROVIDER
    if provider == "console":
        return [
            Error(
                "SHUREN_SMS_PROVIDER is 'console': text messages are printed on the server's output, never sent, "
                "and their codes could be read there.",
                hint="Set SHUREN_SMS_PROVIDER to aliyun or tencent, with its credentials.",
                id="shuren.E040",
            )
        ]
    errors = []
    missing = missing_settings(provider)
    if missing:
        errors.append(Error(f"The {provider} SMS provider needs {', '.join(missing)}.", id="shuren.E042"))
    endpoint_setting = {"aliyun": "SHUREN_SMS_ALIYUN_ENDPOINT", "tencent": "SHUREN_SMS_TENCENT_ENDPOINT"}.get(provider)
    if endpoint_setting and urlsplit(getattr(settings, endpoint_setting)).scheme != "https":
        errors.append(Error(f"{endpoint_setting} must be an https:// URL.", id="shuren.E043"))
    return errors

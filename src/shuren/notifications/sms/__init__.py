"""Text messages through the providers Chinese sites use: Aliyun SMS and Tencent Cloud SMS, and a
console provider for development. Which one, and its credentials, come from settings
(``SHUREN_SMS_*``, secrets from the environment only).

    from shuren.notifications import sms

    provider = sms.get_provider()
    message_id = provider.send(
        phone="13912345678",
        template_code=sms.template_code("signup_code"),
        params={"code": "482913"},
        sign_name=settings.SHUREN_SMS_SIGN_NAME,
    )

``send`` raises ``SmsError``; its ``retryable`` says whether to try again later.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .aliyun import AliyunSms
from .base import SmsError, SmsProvider
from .console import ConsoleSms
from .tencent import TencentSms

__all__ = ["PROVIDERS", "REQUIRED_SETTINGS", "SmsError", "SmsProvider", "get_provider", "template_code"]

PROVIDERS = ("console", "aliyun", "tencent")

# What each real provider cannot send without (the sign name is registered with the provider too).
REQUIRED_SETTINGS = {
    "aliyun": (
        "SHUREN_SMS_ALIYUN_ACCESS_KEY_ID",
        "SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET",
        "SHUREN_SMS_SIGN_NAME",
    ),
    "tencent": (
        "SHUREN_SMS_TENCENT_SECRET_ID",
        "SHUREN_SMS_TENCENT_SECRET_KEY",
        "SHUREN_SMS_TENCENT_SDK_APP_ID",
        "SHUREN_SMS_SIGN_NAME",
    ),
}


def missing_settings(provider: str) -> list[str]:
    return [name for name in REQUIRED_SETTINGS.get(provider, ()) if not getattr(settings, name, "")]


def get_provider() -> SmsProvider:
    """The provider ``SHUREN_SMS_PROVIDER`` names, configured from settings (built on each call, so
    that a change of settings takes effect at once; building one costs nothing)."""
    name = settings.SHUREN_SMS_PROVIDER
    if name not in PROVIDERS:
        raise ImproperlyConfigured(f"SHUREN_SMS_PROVIDER must be one of {', '.join(PROVIDERS)}.")
    missing = missing_settings(name)
    if missing:
        raise ImproperlyConfigured(f"The {name} SMS provider needs {', '.join(missing)}.")
    timeout = float(settings.SHUREN_SMS_TIMEOUT_SECONDS)
    if name == "aliyun":
        return AliyunSms(
            access_key_id=settings.SHUREN_SMS_ALIYUN_ACCESS_KEY_ID,
            access_key_secret=settings.SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=settings.SHUREN_SMS_ALIYUN_ENDPOINT,
            timeout=timeout,
        )
    if name == "tencent":
        return TencentSms(
            secret_id=settings.SHUREN_SMS_TENCENT_SECRET_ID,
            secret_key=settings.SHUREN_SMS_TENCENT_SECRET_KEY,
            sdk_app_id=settings.SHUREN_SMS_TENCENT_SDK_APP_ID,
            region=settings.SHUREN_SMS_TENCENT_REGION,
            endpoint=settings.SHUREN_SMS_TENCENT_ENDPOINT,
            timeout=timeout,
        )
    return ConsoleSms()


def template_code(kind: str) -> str:
    """The code of the template registered with the provider for a kind of message
    (``SHUREN_SMS_TEMPLATES``). The console provider needs none: it prints the kind itself."""
    code = settings.SHUREN_SMS_TEMPLATES.get(kind)
    if code:
        return str(code)
    if settings.SHUREN_SMS_PROVIDER == "console":
        return kind
    raise SmsError(
        provider=settings.SHUREN_SMS_PROVIDER,
        code="TemplateNotConfigured",
        retryable=False,
        detail=f"no template in SHUREN_SMS_TEMPLATES for {kind!r}",
    )

"""The mini program's access token: fetched with the AppID and AppSecret, kept in Django's cache
until shortly before it expires, fetched again when WeChat says it is no longer valid.

The token comes from ``getStableAccessToken`` (POST /cgi-bin/stable_token), in its normal mode: while
a token is valid, every call returns the same one, so several workers fetching at once all get the
same token and none invalidates another's (the older ``/cgi-bin/token`` issued a new token on each
call and voided the previous one after five minutes). The forced mode, limited to 20 calls a day,
is never used.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from shuren.notifications.transport import TransportFailure, post_json

from .errors import RETRYABLE_ERRCODES, WechatError

logger = logging.getLogger(__name__)

# Give the token back to WeChat this long before it expires (WeChat itself renews a stable token
# five minutes before the end, and a message in flight must not carry a token about to lapse).
EXPIRY_MARGIN_SECONDS = 300


def cache_key() -> str:
    return f"shuren:wechat:access_token:{settings.SHUREN_WECHAT_APP_ID}"


def cache_seconds(expires_in: int) -> int:
    """How long to keep a token WeChat says is valid for ``expires_in`` seconds."""
    if expires_in > 2 * EXPIRY_MARGIN_SECONDS:
        return expires_in - EXPIRY_MARGIN_SECONDS
    return max(0, expires_in // 2)


def configured() -> bool:
    return bool(settings.SHUREN_WECHAT_APP_ID and settings.SHUREN_WECHAT_APP_SECRET)


def api_url(path: str) -> str:
    return settings.SHUREN_WECHAT_API_BASE.rstrip("/") + path


def access_token() -> str:
    """A valid access token, from the cache or fetched. Raises ``WechatError``."""
    token = cache.get(cache_key())
    if isinstance(token, str) and token:
        return token
    return fetch_access_token()


def forget_access_token(token: str) -> None:
    """Drop ``token`` from the cache (WeChat said it is invalid or expired), unless another worker
    has already put a newer one there."""
    if cache.get(cache_key()) == token:
        cache.delete(cache_key())


def fetch_access_token() -> str:
    """Ask WeChat for the current stable token and cache it. Raises ``WechatError``."""
    if not configured():
        raise ImproperlyConfigured("WeChat subscribe messages need SHUREN_WECHAT_APP_ID and SHUREN_WECHAT_APP_SECRET.")
    document = {
        "grant_type": "client_credential",
        "appid": settings.SHUREN_WECHAT_APP_ID,
        "secret": settings.SHUREN_WECHAT_APP_SECRET,
        "force_refresh": False,
    }
    try:
        answer = post_json(api_url("/cgi-bin/stable_token"), document, timeout=settings.SHUREN_WECHAT_TIMEOUT)
    except TransportFailure as failure:
        error = WechatError(code=failure.code, retryable=True, step="token", detail=failure.detail)
        logger.warning("%s", error)
        raise error from None
    result = answer.json()
    token, expires_in, errcode = result.get("access_token"), result.get("expires_in"), result.get("errcode")
    if answer.status == 200 and isinstance(token, str) and token and isinstance(expires_in, int):
        seconds = cache_seconds(expires_in)
        if seconds:
            cache.set(cache_key(), token, timeout=seconds)
        logger.info("WeChat access token fetched for app %s (valid %s s)", settings.SHUREN_WECHAT_APP_ID, expires_in)
        return token
    if answer.status >= 500 or not isinstance(errcode, int):
        error = WechatError(
            code=f"HTTP{answer.status}", retryable=answer.status >= 500 or answer.status == 200, step="token"
        )
    else:
        # 40013 invalid AppID, 40125 invalid AppSecret, 40164 server address not whitelisted…
        error = WechatError(
            code=str(errcode),
            retryable=errcode in RETRYABLE_ERRCODES,
            step="token",
            detail=str(result.get("errmsg", "")),
        )
    logger.warning("%s", error)
    raise error

"""The mini program's login (``code2session``): the code ``wx.login`` gives the mini program is
exchanged, once, for the user's openid in this mini program.

``GET /sns/jscode2session?appid=…&secret=…&js_code=…&grant_type=authorization_code`` answers
``{"openid": "…", "session_key": "…", "unionid": "…"}`` or ``{"errcode": 40029, "errmsg": "invalid
code"}``. The session key is not kept: Shuren only needs the openid, to send subscribe messages.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from shuren.notifications.transport import TransportFailure, get

from .errors import RETRYABLE_ERRCODES, WechatError
from .token import api_url, configured

logger = logging.getLogger(__name__)

SESSION_PATH = "/sns/jscode2session"
# A wx.login code: letters, digits and a few marks, short; anything else is refused before calling.
_CODE = re.compile(r"^[0-9A-Za-z_\-]{8,128}$")
# 40029 invalid code, 40163 code already used, 40226 a user WeChat blocks for risk.
BAD_CODE_ERRCODES = frozenset({40029, 40163, 40226})


def code_to_openid(js_code: str) -> str:
    """The openid of the user whose mini program obtained ``js_code`` (valid five minutes, once).
    Raises ``WechatError`` (``step`` ``login``; ``code`` ``InvalidCode`` for a malformed code)."""
    if not configured():
        raise ImproperlyConfigured("WeChat login needs SHUREN_WECHAT_APP_ID and SHUREN_WECHAT_APP_SECRET.")
    if not _CODE.match(js_code or ""):
        raise WechatError(code="InvalidCode", retryable=False, step="login")
    query = urlencode(
        {
            "appid": settings.SHUREN_WECHAT_APP_ID,
            "secret": settings.SHUREN_WECHAT_APP_SECRET,
            "js_code": js_code,
            "grant_type": "authorization_code",
        }
    )
    try:
        answer = get(f"{api_url(SESSION_PATH)}?{query}", timeout=settings.SHUREN_WECHAT_TIMEOUT)
    except TransportFailure as failure:
        error = WechatError(code=failure.code, retryable=True, step="login", detail=failure.detail)
        logger.warning("%s", error)
        raise error from None
    result = answer.json()
    openid, errcode = result.get("openid"), result.get("errcode")
    if answer.status == 200 and isinstance(openid, str) and openid and not errcode:
        return openid
    if answer.status != 200 or not isinstance(errcode, int):
        error = WechatError(code=f"HTTP{answer.status}", retryable=answer.status >= 500, step="login")
    else:
        error = WechatError(
            code=str(errcode),
            retryable=errcode in RETRYABLE_ERRCODES,
            step="login",
            detail=str(result.get("errmsg", "")),
        )
    logger.warning("%s", error)
    raise error

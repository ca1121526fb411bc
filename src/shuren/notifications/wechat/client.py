"""Sending one subscribe message (``subscribeMessage.send``) to one mini program user."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings

from shuren.notifications.transport import TransportFailure, post_json

from .errors import RETRYABLE_ERRCODES, TOKEN_ERRCODES, WechatError, mask_openid
from .token import access_token, api_url, fetch_access_token, forget_access_token
from .values import fit_value

logger = logging.getLogger(__name__)

SEND_PATH = "/cgi-bin/message/subscribe/send"


def message_document(*, openid: str, template_id: str, data: dict[str, str], page: str = "") -> dict[str, object]:
    """The request body WeChat documents: ``data`` as ``{"thing1": {"value": "…"}}``, each value cut to
    its keyword's limit. An empty value (WeChat refuses it with 47003) is a permanent ``WechatError``."""
    values = {}
    for keyword, value in data.items():
        fitted = fit_value(keyword, value)
        if not fitted:
            raise WechatError(code="EmptyValue", retryable=False, openid=openid, detail=f"{keyword} is empty")
        values[keyword] = {"value": fitted}
    document: dict[str, object] = {
        "touser": openid,
        "template_id": template_id,
        "data": values,
        "miniprogram_state": settings.SHUREN_WECHAT_MINIPROGRAM_STATE,
        "lang": "zh_CN",
    }
    if page:
        document["page"] = page
    return document


def send(*, openid: str, template_id: str, data: dict[str, str], page: str = "") -> None:
    """Send the subscribe message; ``page`` is the mini program page it opens (``pages/notice?id=7``).

    The user must have accepted this template in the mini program (one acceptance, one message).
    An access token WeChat no longer takes is fetched again once. Raises ``WechatError``."""
    document = message_document(openid=openid, template_id=template_id, data=data, page=page)
    token = access_token()
    errcode = _post(token, document, openid)
    if errcode in TOKEN_ERRCODES:
        forget_access_token(token)
        logger.info("WeChat access token refused (%s): fetching it again", errcode)
        errcode = _post(fetch_access_token(), document, openid)
        if errcode in TOKEN_ERRCODES:
            # A token just fetched refused: WeChat's side (or a changed secret); try later.
            error = WechatError(code=str(errcode), retryable=True, openid=openid, detail="a fresh token was refused")
            logger.warning("%s", error)
            raise error


def _post(token: str, document: dict[str, object], openid: str) -> int:
    """Post once; 0 or a token errcode come back, any other outcome raises ``WechatError``."""
    url = f"{api_url(SEND_PATH)}?{urlencode({'access_token': token})}"
    try:
        answer = post_json(url, document, timeout=settings.SHUREN_WECHAT_TIMEOUT)
    except TransportFailure as failure:
        error = WechatError(
            code=failure.code,
            retryable=True,
            openid=openid,
            detail=failure.detail,
            may_have_been_sent=failure.may_have_been_sent,
        )
        logger.warning("%s", error)
        raise error from None
    result = answer.json()
    errcode = result.get("errcode")
    if answer.status == 200 and errcode == 0:
        logger.info("WeChat subscribe message sent to %s", mask_openid(openid))
        return 0
    if answer.status == 200 and errcode in TOKEN_ERRCODES:
        return int(errcode)
    if answer.status != 200 or not isinstance(errcode, int):
        error = WechatError(
            code=f"HTTP{answer.status}",
            retryable=answer.status >= 500 or answer.status == 200,
            openid=openid,
            may_have_been_sent=answer.status == 200,
        )
    else:
        # 43101 not subscribed or refused, 47003 a value refused, 40003 bad openid, 40037 bad template,
        # 41030 a page the released mini program does not have: none will change by trying again.
        error = WechatError(
            code=str(errcode),
            retryable=errcode in RETRYABLE_ERRCODES,
            openid=openid,
            detail=str(result.get("errmsg", "")),
        )
    logger.warning("%s", error)
    raise error

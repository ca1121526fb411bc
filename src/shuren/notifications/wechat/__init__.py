"""WeChat mini program subscribe messages (微信订阅消息): a resident who accepted a kind of message
in the mini program gets one, in WeChat's service notifications, that opens the mini program.

    from shuren.notifications import wechat

    wechat.send(
        openid=resident_openid,
        template_id=settings_template_id,
        data={"thing1": notice.title, "time2": "2026年12月9日 09:00"},
        page="pages/notice/detail?id=7",
    )

Values are cut to their keyword's limit (``thing`` 20 characters…). ``send`` raises
``WechatError``; its ``retryable`` says whether to try again later. Settings: ``SHUREN_WECHAT_*``.
"""

from __future__ import annotations

from .client import message_document, send
from .errors import WechatError, mask_openid
from .session import code_to_openid
from .token import access_token, configured
from .values import fit_value

__all__ = [
    "WechatError",
    "access_token",
    "code_to_openid",
    "configured",
    "fit_value",
    "mask_openid",
    "message_document",
    "send",
]

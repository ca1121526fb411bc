"""The one error of WeChat subscribe messages, saying whether to try again."""

from __future__ import annotations

from django.conf import settings

# Documented errcodes worth trying again later: "system busy" and a frequency limit.
RETRYABLE_ERRCODES = frozenset({-1, 45009, 45011})
# WeChat's errcodes for an access token it no longer takes: invalid (40001, 40014) or expired (42001).
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
DETAIL_LIMIT = 200


def mask_openid(openid: str) -> str:
    return f"{openid[:4]}****{openid[-4:]}" if len(openid) >= 12 else "****"


class WechatError(Exception):
    """A subscribe message WeChat did not take, or an access token it did not give.

    ``code`` is WeChat's errcode (``43101`` the user has not subscribed or refused, ``47003`` a value
    WeChat refuses, ``45009`` a limit…) or ours (``Timeout``, ``ConnectionError``, ``HTTP502``,
    ``EmptyValue``); ``step`` is ``token`` or ``send``. ``retryable`` says whether the same message may
    go through later; ``may_have_been_sent`` that the request left and no answer came back. The text
    never holds the AppSecret, the access token or a template's values, and the openid only masked."""

    def __init__(
        self,
        *,
        code: str,
        retryable: bool,
        step: str = "send",
        openid: str = "",
        detail: str = "",
        may_have_been_sent: bool = False,
    ) -> None:
        self.code = code
        self.retryable = retryable
        self.step = step
        self.masked_openid = mask_openid(openid) if openid else ""
        self.detail = safe_detail(detail)
        self.may_have_been_sent = may_have_been_sent
        kind = "retryable" if retryable else "permanent"
        target = f" to {self.masked_openid}" if self.masked_openid else ""
        detail_text = f": {self.detail}" if self.detail else ""
        super().__init__(f"WeChat {step}{target} failed ({kind}) {code}{detail_text}")


def safe_detail(text: str) -> str:
    """WeChat's errmsg fit for a log line: one line, the secret (should it be echoed) hidden, short."""
    one_line = " ".join(str(text or "").split())
    secret = settings.SHUREN_WECHAT_APP_SECRET
    if secret:
        one_line = one_line.replace(secret, "****")
    return one_line[:DETAIL_LIMIT]

"""One HTTPS request to a provider, with a timeout, turned into a status and a body or an ``SmsError``."""

from __future__ import annotations

from urllib.parse import urlsplit

from .. import transport
from ..transport import Answer
from .base import SmsError

__all__ = ["Answer", "check_endpoint", "host_of", "post"]


def check_endpoint(url: str) -> str:
    """The endpoint without a trailing slash; only http(s) URLs with a host are accepted."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError("an SMS endpoint must be an http(s) URL with a host")
    return url.rstrip("/")


def host_of(url: str) -> str:
    """The Host header urllib sends for ``url`` (with the port when the URL names one)."""
    return urlsplit(url).netloc


def post(
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None,
    timeout: float,
    provider: str,
    phone: str,
) -> Answer:
    """POST and return the answer, whatever its status; a failure to get one is a retryable ``SmsError``
    (``may_have_been_sent`` when the request had left: the provider may have sent the message)."""
    try:
        return transport.post(check_endpoint(url), headers=headers, body=body, timeout=timeout)
    except transport.TransportFailure as failure:
        raise SmsError(
            provider=provider,
            code=failure.code,
            retryable=True,
            phone=phone,
            detail=failure.detail,
            may_have_been_sent=failure.may_have_been_sent,
        ) from failure

"""One HTTPS request to a provider, with a timeout, turned into a status and a body or an ``SmsError``."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from .base import SmsError

# No provider answer is larger; a longer body is cut rather than held in memory.
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A signed request is never replayed to another address: a redirect is an answer like any other."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


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
    """POST and return the answer, whatever its status; a failure to get one is a retryable ``SmsError``."""
    request = urllib.request.Request(check_endpoint(url), data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked)
    try:
        try:
            with _opener.open(request, timeout=timeout) as response:
                return Answer(response.status, response.read(MAX_BODY_BYTES))
        except urllib.error.HTTPError as error:
            # An answer with an error status (the providers explain their refusals in its body).
            with error:
                return Answer(error.code, error.read(MAX_BODY_BYTES))
    except TimeoutError as error:
        # The request left; the provider may have sent the message before the answer was lost.
        raise SmsError(
            provider=provider, code="Timeout", retryable=True, phone=phone, may_have_been_sent=True
        ) from error
    except urllib.error.URLError as error:
        # Raised while connecting or sending: the provider never had the request.
        if isinstance(error.reason, TimeoutError):
            raise SmsError(provider=provider, code="Timeout", retryable=True, phone=phone) from error
        raise SmsError(
            provider=provider, code="ConnectionError", retryable=True, phone=phone, detail=type(error.reason).__name__
        ) from error
    except (OSError, http.client.HTTPException) as error:
        # urllib wraps failures to connect and send in URLError (above); these came while waiting for
        # the answer (the connection reset or closed), after the provider had the request.
        raise SmsError(
            provider=provider,
            code="ConnectionError",
            retryable=True,
            phone=phone,
            detail=type(error).__name__,
            may_have_been_sent=True,
        ) from error

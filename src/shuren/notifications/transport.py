"""One POST (or GET) to a provider (the SMS services, WeCom's robots, WeChat), with a timeout and no
redirects, turned into an answer whatever its status, or a ``TransportFailure`` when none came back.

The URLs posted to carry a secret (a robot's key, an access token): nothing here puts a URL in an
exception, a log line or a message, and a redirect is never followed (the request, secret and all,
is not replayed to another address).
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# No provider's answer is larger; a longer body is cut rather than held in memory.
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as a JSON object; anything else (an HTML error page, a list) as ``{}``."""
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class TransportFailure(Exception):
    """No answer came back. ``code`` is ``Timeout`` or ``ConnectionError``; ``may_have_been_sent`` is
    true when the request had left (a read timeout, a connection lost while waiting)."""

    def __init__(self, code: str, *, may_have_been_sent: bool, detail: str = "") -> None:
        self.code = code
        self.may_have_been_sent = may_have_been_sent
        self.detail = detail
        super().__init__(f"{code} {detail}".strip())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, *, headers: dict[str, str], body: bytes | None, timeout: float) -> Answer:
    """POST ``body`` and return the answer, whatever its status (providers explain their refusals in
    it); ``TransportFailure`` when no answer came back."""
    return _call("POST", url, headers=headers, body=body, timeout=timeout)


def get(url: str, *, timeout: float) -> Answer:
    """GET ``url`` (its query holds the parameters) and return the answer, whatever its status;
    ``TransportFailure`` when no answer came back."""
    return _call("GET", url, headers={"Accept": "application/json"}, body=None, timeout=timeout)


def _call(method: str, url: str, *, headers: dict[str, str], body: bytes | None, timeout: float) -> Answer:
    if urlsplit(url).scheme not in ("https", "http"):
        raise ValueError("only http(s) URLs are called")
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310 (scheme checked above)
    try:
        try:
            with _opener.open(request, timeout=timeout) as response:
                return Answer(response.status, response.read(MAX_BODY_BYTES))
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.read(MAX_BODY_BYTES))
    except TimeoutError as error:
        raise TransportFailure("Timeout", may_have_been_sent=True) from error
    except urllib.error.URLError as error:
        # Raised while connecting or sending: the server never had the request.
        if isinstance(error.reason, TimeoutError):
            raise TransportFailure("Timeout", may_have_been_sent=False) from error
        raise TransportFailure(
            "ConnectionError", may_have_been_sent=False, detail=type(error.reason).__name__
        ) from error
    except (OSError, http.client.HTTPException) as error:
        # The connection was lost while waiting for the answer, after the server had the request.
        raise TransportFailure("ConnectionError", may_have_been_sent=True, detail=type(error).__name__) from error


def post_json(url: str, document: dict[str, Any], *, timeout: float) -> Answer:
    """POST ``document`` as UTF-8 JSON and return the answer, whatever its status."""
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return post(url, headers={"Content-Type": "application/json; charset=utf-8"}, body=body, timeout=timeout)

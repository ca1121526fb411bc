"""A local stand-in for the WeChat API a mini program's server calls, strict as the real one.

``/cgi-bin/stable_token`` (getStableAccessToken) checks the POST JSON body (grant_type, AppID,
AppSecret) and, in normal mode, returns the current token while it is valid and a new one after;
``/cgi-bin/message/subscribe/send`` checks the ``access_token`` parameter (missing, unknown,
expired), the body (touser, a registered template, each of its keywords as ``{"value": "…"}``
within its kind's limit, a page the released mini program has) and that the user accepted the
template, one acceptance being used by one message. Answers are WeChat's JSON (``errcode``,
``errmsg`` with a ``rid``). A test may queue what the next request meets instead (a limit, "system
busy", a server error, a dropped connection or no answer), or expire the current token.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections import Counter, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

APP_ID = "wx5f3c0a9e1b2d4c6e"
APP_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9-NEVER-IN-LOGS"
OPENID = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
TEMPLATE_ID = "Wn8kq7xVdY1cJ0oZpQ3rS5tU7vW9xY1zA2bC4dE6fG8"
# The template's keywords, as the mini program's console shows them.
KEYWORDS = ("thing1", "time2", "thing3", "character_string4", "phrase5", "name6")
PAGES = {"pages/notice/detail", "pages/index/index"}

_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_ASCII_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")


def value_ok(keyword: str, value: str) -> bool:
    """WeChat's "参数值内容限制", written from the documentation for the kinds the template has."""
    kind = keyword.rstrip("0123456789")
    if kind == "thing":
        return len(value) <= 20
    if kind == "character_string":
        return len(value) <= 32 and bool(_ASCII_PRINTABLE.match(value))
    if kind == "phrase":
        return len(value) <= 5 and bool(_CJK.match(value))
    if kind == "name":
        return len(value) <= 10 if re.search(r"[\u3400-\u9fff]", value) else len(value) <= 20
    if kind == "time":
        return bool(re.search(r"\d{1,2}:\d{2}", value))
    return True


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    document: dict[str, Any]


class WechatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), WechatHandler)
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.delivered: list[dict[str, Any]] = []
        self.script: deque[str] = deque()
        self.release = threading.Event()
        self.token = ""
        self.issued: list[str] = []
        self.expired: set[str] = set()
        self.token_calls = 0
        # Acceptances of each (openid, template) the users gave in the mini program.
        self.acceptances: Counter[tuple[str, str]] = Counter()
        self.expires_in = 7200
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def accept(self, openid: str = OPENID, template_id: str = TEMPLATE_ID, times: int = 1) -> None:
        """The user taps "allow" in the mini program's subscription dialog."""
        self.acceptances[(openid, template_id)] += times

    def expire_token(self) -> None:
        """The current token lapses (or another holder of the AppSecret forced a new one)."""
        with self.lock:
            self.expired.add(self.token)
            self.token = ""

    def sends(self) -> list[Received]:
        return [r for r in self.received if r.path == "/cgi-bin/message/subscribe/send"]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)


class WechatHandler(BaseHTTPRequestHandler):
    server: WechatServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        pass

    def answer(self, document: dict[str, Any], status: int = 200) -> None:
        body = json.dumps(document, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; encoding=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, errcode: int, errmsg: str) -> None:
        self.answer({"errcode": errcode, "errmsg": f"{errmsg} rid: {secrets.token_hex(4)}-{secrets.token_hex(4)}"})

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.error(43002, "require POST method")

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        behaviour = self.server.script.popleft() if self.server.script else ""
        length = int(self.headers.get("Content-Length") or 0)
        if behaviour == "hang":
            self.server.release.wait(timeout=30)
            return
        raw = self.rfile.read(length) if length else b""
        if behaviour == "drop":
            self.close_connection = True
            return
        if behaviour == "http502":
            body = b"<html><body>502 Bad Gateway</body></html>"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            document = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.received.append(
            Received(parts.path, query, headers, document if isinstance(document, dict) else {})
        )
        if behaviour == "busy":
            return self.error(-1, "system error")
        if not isinstance(document, dict):
            return self.error(47001, "data format error")
        if parts.path == "/cgi-bin/stable_token":
            return self.stable_token(document)
        if parts.path == "/cgi-bin/message/subscribe/send":
            return self.subscribe_send(query, document, behaviour)
        return self.error(404, "Not Found")

    def stable_token(self, document: dict[str, Any]) -> None:
        self.server.token_calls += 1
        if document.get("grant_type") != "client_credential":
            return self.error(40002, "invalid grant_type")
        if document.get("appid") != APP_ID:
            return self.error(40013, "invalid appid")
        if document.get("secret") != APP_SECRET:
            return self.error(40125, "invalid appsecret")
        with self.server.lock:
            if document.get("force_refresh") is True or not self.server.token:
                if self.server.token:
                    self.server.expired.add(self.server.token)
                self.server.token = f"86_{secrets.token_urlsafe(48)}"
                self.server.issued.append(self.server.token)
            token = self.server.token
        return self.answer({"access_token": token, "expires_in": self.server.expires_in})

    def subscribe_send(self, query: dict[str, list[str]], document: dict[str, Any], behaviour: str) -> None:
        tokens = query.get("access_token", [])
        if not tokens or not tokens[0]:
            return self.error(41001, "access_token missing")
        if tokens[0] in self.server.expired:
            return self.error(42001, "access_token expired")
        if tokens[0] != self.server.token or behaviour == "invalid_token":
            return self.error(40001, "invalid credential, access_token is invalid or not latest")
        if behaviour == "throttle":
            return self.error(45009, "reach max api daily quota limit")
        openid = document.get("touser")
        if not isinstance(openid, str) or not re.fullmatch(r"o[0-9A-Za-z_-]{27}", openid):
            return self.error(40003, "invalid openid")
        template_id = document.get("template_id")
        if template_id != TEMPLATE_ID:
            return self.error(40037, "invalid template_id")
        data = document.get("data")
        if not isinstance(data, dict):
            return self.error(47003, "argument invalid! data is empty")
        for keyword in KEYWORDS:
            entry = data.get(keyword)
            value = entry.get("value") if isinstance(entry, dict) else None
            if not isinstance(value, str) or not value:
                return self.error(47003, f"argument invalid! data.{keyword}.value is empty")
            if not value_ok(keyword, value):
                return self.error(47003, f"argument invalid! data.{keyword}.value invalid")
        if document.get("miniprogram_state", "formal") not in ("developer", "trial", "formal"):
            return self.error(47003, "argument invalid! miniprogram_state invalid")
        page = document.get("page", "")
        if page and page.split("?", 1)[0] not in PAGES:
            return self.error(41030, "invalid page")
        with self.server.lock:
            if self.server.acceptances[(openid, template_id)] <= 0:
                return self.error(43101, "user refuse to accept the msg")
            self.server.acceptances[(openid, template_id)] -= 1
            self.server.delivered.append(document)
        return self.answer({"errcode": 0, "errmsg": "ok"})

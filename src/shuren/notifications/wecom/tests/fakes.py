"""A local stand-in for WeCom's group robot webhook, strict as the real one.

It checks what WeCom checks (a POST to /cgi-bin/webhook/send, a known ``key``, a JSON body with a
``msgtype`` it knows and the fields that type requires, markdown content of at most 4096 bytes of
UTF-8) and answers WeCom's own JSON (``{"errcode": 0, "errmsg": "ok"}`` or an error). A test may
queue what the next request meets instead: the robot's rate limit, a server error, a dropped
connection or no answer at all.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

ROBOT_KEY = "693a91f6-7b2c-4bc4-97a0-0ec2f1a95aaa"
MARKDOWN_LIMIT = 4096


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    document: dict[str, Any]


class WecomServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), WecomHandler)
        self.keys = {ROBOT_KEY}
        self.received: list[Received] = []
        self.delivered: list[str] = []  # the markdown content of every message the group got
        self.script: deque[str] = deque()
        self.release = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def webhook(self, key: str = ROBOT_KEY) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={key}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)


class WecomHandler(BaseHTTPRequestHandler):
    server: WecomServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        pass

    def answer(self, errcode: int, errmsg: str, status: int = 200) -> None:
        body = json.dumps({"errcode": errcode, "errmsg": errmsg}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def hint(self, errcode: int) -> str:
        return f", hint: [1733560000_{errcode}_test], more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        # The webhook takes only POST; WeCom answers a GET with an error, never a delivery.
        self.answer(43004, "require POST method" + self.hint(43004))

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
        self.server.received.append(
            Received(parts.path, query, {k.lower(): v for k, v in self.headers.items()}, document or {})
        )
        if parts.path != "/cgi-bin/webhook/send":
            return self.answer(404, "not found", status=404)
        keys = query.get("key", [])
        if len(keys) != 1 or keys[0] not in self.server.keys:
            return self.answer(93000, "invalid webhook url" + self.hint(93000))
        if behaviour == "throttle":
            return self.answer(45009, "api freq out of limit" + self.hint(45009))
        if behaviour == "busy":
            return self.answer(-1, "system busy" + self.hint(-1))
        if not isinstance(document, dict):
            return self.answer(40058, "invalid json" + self.hint(40058))
        msgtype = document.get("msgtype")
        if msgtype not in ("text", "markdown", "image", "news", "file", "voice", "template_card"):
            return self.answer(40008, "invalid message type" + self.hint(40008))
        if msgtype != "markdown":
            return self.answer(40008, "message type not supported by this fake" + self.hint(40008))
        markdown = document.get("markdown")
        content = markdown.get("content") if isinstance(markdown, dict) else None
        if not isinstance(content, str) or not content:
            return self.answer(44004, "empty content" + self.hint(44004))
        if len(content.encode("utf-8")) > MARKDOWN_LIMIT:
            return self.answer(40058, "markdown.content exceed max length 4096" + self.hint(40058))
        self.server.delivered.append(content)
        return self.answer(0, "ok")

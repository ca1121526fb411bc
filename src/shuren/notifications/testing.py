"""Helpers for tests that send messages, for this app's tests and every other app's.

**Channels that record** what they deliver (``RecordingChannel``, ``RecordingSms``, ``FlakyChannel``),
registered with ``override_settings(SHUREN_NOTIFICATION_CHANNELS={"sms":
"shuren.notifications.testing.RecordingSms"})``.

**A real SMTP server** on a local port: ``with smtp_server() as (port, inbox): ...`` (aiosmtpd); the
inbox can refuse the next attempts (``refuse_next``) or an address for good (``refuse_recipients``).

**Local stand-ins for the providers**, each a real HTTP server on 127.0.0.1 in its own thread,
checking every request as the real service does and answering in its own words:

=================  ==========================================================================
``AliyunServer``   Aliyun SMS ``SendSms``: the ACS3-HMAC-SHA256 signature recomputed here, the
                   key, the nonce, the timestamp, the signature name, the template's variables
``TencentServer``  Tencent Cloud SMS ``SendSms``: the TC3-HMAC-SHA256 signature recomputed here,
                   the credential's date and service, the SdkAppId, the template's values
``WecomServer``    a WeCom group robot's webhook: the ``key``, the JSON body, the markdown type,
                   its 4096-byte limit
``WechatServer``   WeChat's ``stable_token``, ``subscribe/send`` (access token, template, each
                   keyword's limit, page, the user's acceptances) and ``jscode2session``
=================  ==========================================================================

Every one of them shares one small API (``FakeProvider``)::

    with WecomServer() as wecom:                 # started; stopped at the end of the block
        settings.SHUREN_WECOM_WEBHOOK_BASE = wecom.url
        url = wecom.webhook()                    # a robot address it accepts
        ...
        wecom.received                           # every request it read (``Received``)
        wecom.accepted                           # those the provider took (sent, delivered)
        wecom.script.append("throttle")          # what the NEXT request meets, then normal again
        wecom.down()                             # an outage: 503 to everything
        wecom.down(refuse=True)                  # an outage: connection refused (port closed)
        wecom.up()                               # back, on the same port
        wecom.count(lambda r: r.document.get("markdown", {}).get("content"))  # Counter per key

Behaviours every fake knows in ``script``: ``"hang"`` (no answer until the test ends: the client
times out), ``"drop"`` (the connection closed without an answer), ``"http500"``/``"http502"`` (a
server error page); each fake adds its own (``"throttle"``, ``"busy"``…, listed on its class).
``Received`` has ``method``, ``path``, ``query`` (one decoded value per name), ``query_lists``,
``headers`` (lower-case names), ``body`` and ``document`` (the JSON body, ``{}`` if none).
The credentials each fake knows are the module's constants (``ALIYUN_KEY_ID``, ``ROBOT_KEY``,
``APP_ID``…).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import re
import secrets
import socket
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self

from .channels.base import ChannelBackend, DeliveryError
from .models import Message

# --- a real SMTP server (aiosmtpd) ---------------------------------------------------------------


@dataclass
class SmtpInbox:
    """What the server received, and how it should answer: ``refuse_next`` transient refusals
    (451) of the next MAIL commands, ``refuse_recipients`` addresses refused for good (550)."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse_next: int = 0
    refused_attempts: int = 0
    refuse_recipients: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _InboxHandler:
    """aiosmtpd's handler hooks: refusals as the inbox says, every accepted message parsed."""

    def __init__(self, box: SmtpInbox) -> None:
        self.box = box

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        with self.box.lock:
            if self.box.refuse_next > 0:
                self.box.refuse_next -= 1
                self.box.refused_attempts += 1
                return "451 4.3.0 Try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address in self.box.refuse_recipients:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.box.lock:
            self.box.messages.append(parsed)
            self.box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[int, SmtpInbox]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, in its own thread: yields its port and what it
    received."""
    from aiosmtpd.controller import Controller

    box = SmtpInbox()
    with socket.socket() as probe:  # a free port for the controller to bind
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_InboxHandler(box), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


# --- recording channels --------------------------------------------------------------------------


class RecordingChannel(ChannelBackend):
    """Reaches every user; records each delivery (class-level: a backend is made per use)."""

    name = "recording"
    sent: ClassVar[list[tuple[int, str]]] = []  # (message id, thread name)
    lock: ClassVar[threading.Lock] = threading.Lock()

    def address_of(self, user: Any) -> str:
        return "recorded"

    def send(self, message: Message) -> str:
        with self.lock:
            self.sent.append((message.pk, threading.current_thread().name))
        return f"rec-{message.pk}"

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.sent.clear()


class RecordingSms(RecordingChannel):
    """An SMS channel for tests: reaches users with a mobile number."""

    name = "sms"
    sent: ClassVar[list[tuple[int, str]]] = []

    def address_of(self, user: Any) -> str:
        return str(getattr(user, "phone", "") or "")


class FlakyChannel(RecordingChannel):
    """Fails ``failures`` times (retryably, or for good when ``permanent``), then delivers."""

    name = "flaky"
    sent: ClassVar[list[tuple[int, str]]] = []
    failures: ClassVar[int] = 0
    permanent: ClassVar[bool] = False
    calls: ClassVar[int] = 0

    def send(self, message: Message) -> str:
        with self.lock:
            type(self).calls += 1
            if type(self).failures > 0:
                type(self).failures -= 1
                raise DeliveryError(
                    "provider down: https://sms.example.com/send?key=SECRET", retryable=not self.permanent
                )
        return super().send(message)

    @classmethod
    def arm(cls, failures: int, *, permanent: bool = False) -> None:
        cls.reset()
        cls.failures, cls.permanent, cls.calls = failures, permanent, 0


# --- local stand-ins for the providers -----------------------------------------------------------


def percent_decode(text: str) -> str:
    """Percent-decoding byte by byte (no ``+`` for a space: the signed query never has one)."""
    out = bytearray()
    raw = text.encode("ascii", "replace")
    i = 0
    while i < len(raw):
        if raw[i : i + 1] == b"%" and i + 2 < len(raw) + 1 and re.fullmatch(rb"[0-9A-Fa-f]{2}", raw[i + 1 : i + 3]):
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "replace")


@dataclass
class Received:
    """One request as a fake provider read it."""

    method: str
    path: str
    query_lists: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    @property
    def query(self) -> dict[str, str]:
        """One value per parameter (the last one)."""
        return {name: values[-1] for name, values in self.query_lists.items()}

    @property
    def document(self) -> dict[str, Any]:
        """The JSON body, or ``{}`` when it is not a JSON object."""
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}


class FakeHandler(BaseHTTPRequestHandler):
    """Reads a request, plays the script or the outage, records it and asks the fake's ``respond``."""

    server: FakeProvider

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        pass

    def answer(
        self, status: int, document: dict[str, Any], content_type: str = "application/json; charset=UTF-8"
    ) -> None:
        body = json.dumps(document, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def html(self, status: int, text: str) -> None:
        body = f"<html><body>{text}</body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.handle_request()

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.handle_request()

    def handle_request(self) -> None:
        server = self.server
        with server.lock:
            behaviour = server.script.popleft() if server.script else ""
            outage = server.outage
        if behaviour == "hang":
            server.release.wait(timeout=30)
            return
        body = self.read_body()
        if behaviour == "drop":
            self.close_connection = True
            return
        if outage:
            with server.lock:
                server.refused += 1
            return self.html(503, "503 Service Temporarily Unavailable")
        if behaviour in ("http500", "http502"):
            return self.server_error(int(behaviour[4:]))
        path, _, raw_query = self.path.partition("?")
        query: dict[str, list[str]] = {}
        for pair in filter(None, raw_query.split("&")):
            name, _, value = pair.partition("=")
            query.setdefault(percent_decode(name), []).append(percent_decode(value))
        request = Received(
            method=self.command,
            path=path,
            query_lists=query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        with server.lock:
            server.received.append(request)
        self.respond(request, behaviour)

    def server_error(self, status: int) -> None:
        self.html(status, f"{status} Bad Gateway")

    def accept(self, request: Received) -> None:
        with self.server.lock:
            self.server.accepted.append(request)

    def respond(self, request: Received, behaviour: str) -> None:
        raise NotImplementedError


class FakeProvider(ThreadingHTTPServer):
    """A provider's stand-in: a real HTTP server on 127.0.0.1 (see the module's docstring)."""

    daemon_threads = True
    allow_reuse_address = True
    handler: ClassVar[type[FakeHandler]]

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), self.handler)
        self.lock = threading.RLock()
        self.received: list[Received] = []
        self.accepted: list[Received] = []
        self.script: deque[str] = deque()
        self.release = threading.Event()
        self.outage = False
        self.refused = 0  # requests answered 503 while down
        self._port = int(self.server_address[1])
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    base = url

    def _serve(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def __enter__(self) -> Self:
        self._serve()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        if not self._closed:
            self.shutdown()
            self.server_close()
            self._closed = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def down(self, *, refuse: bool = False) -> None:
        """An outage: every request is answered 503, or (``refuse``) the port is closed, so that a
        connection is refused."""
        if not refuse:
            self.outage = True
            return
        if not self._closed:
            self.shutdown()
            self.server_close()
            self._closed = True

    def up(self) -> None:
        """Back after ``down``, on the same port."""
        self.outage = False
        if self._closed:
            self.socket = socket.socket(self.address_family, self.socket_type)
            self.server_bind_to(self._port)
            self.server_activate()
            self._closed = False
            self._serve()

    def server_bind_to(self, port: int) -> None:
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.server_address = self.socket.getsockname()

    def count(self, key: Callable[[Received], Hashable], *, accepted_only: bool = True) -> Counter[Hashable]:
        """How many requests (taken ones by default) there were per ``key(request)``."""
        with self.lock:
            requests = list(self.accepted if accepted_only else self.received)
        return Counter(key(request) for request in requests)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- Aliyun SMS: V3 signature (ACS3-HMAC-SHA256), RPC style, SendSms 2017-05-25 --------------------

ALIYUN_KEY_ID = "LTAI5tTestKeyId0000"
ALIYUN_SECRET = "aliyun-test-secret-NEVER-IN-LOGS-7f3c"
SIGN_NAME = "熟人社区"
# Templates registered with the fake providers, with the variables each one has.
ALIYUN_TEMPLATES = {"SMS_482913001": ("code",), "SMS_482913002": ("community", "title")}


def rfc3986(text: str) -> str:
    """Byte by byte: A–Z a–z 0–9 - _ . ~ as they are, every other UTF-8 byte as %XX (capitals)."""
    unreserved = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    return "".join(chr(byte) if byte in unreserved else f"%{byte:02X}" for byte in text.encode("utf-8"))


def aliyun_signature(
    *, secret: str, method: str, path: str, query: dict[str, str], headers: dict[str, str], signed: list[str]
) -> str:
    """Step 1 to 3 of "V3版本请求体&签名机制": canonical request, string to sign, HMAC-SHA256."""
    canonical_query = "&".join(
        f"{rfc3986(name)}={rfc3986(value)}" for name, value in sorted(query.items(), key=lambda item: rfc3986(item[0]))
    )
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    canonical_request = (
        f"{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{';'.join(signed)}\n"
        f"{headers['x-acs-content-sha256']}"
    )
    string_to_sign = "ACS3-HMAC-SHA256\n" + sha256_hex(canonical_request.encode("utf-8"))
    return hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class AliyunHandler(FakeHandler):
    server: AliyunServer

    def server_error(self, status: int) -> None:
        self.aliyun_error(status, "InternalError", "The request processing has failed due to some unknown error.")

    def respond(self, request: Received, behaviour: str) -> None:  # noqa: C901, PLR0911, PLR0912 (the provider's checks, in its order)
        headers, query = request.headers, request.query
        authorization = headers.get("authorization", "")
        algorithm, _, fields_text = authorization.partition(" ")
        fields = dict(part.split("=", 1) for part in fields_text.split(",") if "=" in part)
        if algorithm != "ACS3-HMAC-SHA256" or not {"Credential", "SignedHeaders", "Signature"} <= fields.keys():
            return self.aliyun_error(
                400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."
            )
        if fields["Credential"] != ALIYUN_KEY_ID:
            return self.aliyun_error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        for required in (
            "host",
            "x-acs-action",
            "x-acs-version",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-content-sha256",
        ):
            if required not in headers:
                return self.aliyun_error(400, "MissingParameter", f"The header {required} is required.")
        # Every header that must be signed is signed (the documentation: all of them but Authorization).
        must_sign = sorted(name for name in headers if name in ("host", "content-type") or name.startswith("x-acs-"))
        signed = fields["SignedHeaders"].split(";")
        if signed != must_sign:
            return self.aliyun_error(
                400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."
            )
        if headers["x-acs-content-sha256"] != sha256_hex(request.body):
            return self.aliyun_error(400, "SignatureDoesNotMatch", "Specified content sha256 is not matched.")
        expected = aliyun_signature(
            secret=ALIYUN_SECRET, method=request.method, path=request.path, query=query, headers=headers, signed=signed
        )
        if not hmac.compare_digest(expected, fields["Signature"]):
            return self.aliyun_error(
                400, "SignatureDoesNotMatch", "Specified signature does not match our calculation."
            )
        signed_at = datetime.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs(time.time() - signed_at.timestamp()) > 15 * 60:
            return self.aliyun_error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        nonce = headers["x-acs-signature-nonce"]
        with self.server.lock:
            if nonce in self.server.seen_nonces:
                return self.aliyun_error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
            self.server.seen_nonces.add(nonce)
        if headers["x-acs-action"] != "SendSms":
            return self.aliyun_error(
                404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."
            )
        if headers["x-acs-version"] != "2017-05-25":
            return self.aliyun_error(400, "InvalidVersion", "Specified parameter Version is not valid.")
        for name in ("PhoneNumbers", "SignName", "TemplateCode"):
            if not query.get(name):
                return self.aliyun_error(400, f"Missing{name}", f"{name} is mandatory for this action.")

        if behaviour == "throttle":
            return self.dysms(200, "isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        numbers = query["PhoneNumbers"].split(",")
        if not all(len(number) == 11 and number.isdigit() and number.startswith("1") for number in numbers):
            return self.dysms(200, "isv.MOBILE_NUMBER_ILLEGAL", f"{query['PhoneNumbers']}invalid")
        if query["SignName"] != SIGN_NAME:
            return self.dysms(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
        variables = self.server.templates.get(query["TemplateCode"])
        if variables is None:
            return self.dysms(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
        try:
            values = json.loads(query.get("TemplateParam") or "{}")
        except ValueError:
            values = None
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            return self.dysms(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        if set(variables) - values.keys():
            return self.dysms(200, "isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量")
        self.accept(request)
        return self.dysms(200, "OK", "OK", BizId=f"{int(time.time() * 1000)}^{len(self.server.accepted)}")

    def aliyun_error(self, status: int, code: str, message: str) -> None:
        """The API gateway's refusal."""
        request_id = str(uuid.uuid4()).upper()
        self.answer(
            status,
            {
                "RequestId": request_id,
                "HostId": "dysmsapi.aliyuncs.com",
                "Code": code,
                "Message": message,
                "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=Dysmsapi&requestId={request_id}",
            },
            content_type="application/json;charset=utf-8",
        )

    def dysms(self, status: int, code: str, message: str, **extra: str) -> None:
        """The SMS service's own answer."""
        self.answer(
            status,
            {"RequestId": str(uuid.uuid4()).upper(), "Code": code, "Message": message, **extra},
            content_type="application/json;charset=utf-8",
        )


class AliyunServer(FakeProvider):
    """Aliyun's ``SendSms``. Script: ``"throttle"`` (isv.BUSINESS_LIMIT_CONTROL), ``"http500"``.
    ``templates``: template code → its variables (``ALIYUN_TEMPLATES``; add to it for a test).
    ``params(request)`` is the template's values of a request."""

    handler = AliyunHandler

    def __init__(self) -> None:
        super().__init__()
        self.seen_nonces: set[str] = set()
        self.templates: dict[str, tuple[str, ...]] = dict(ALIYUN_TEMPLATES)

    @staticmethod
    def params(request: Received) -> dict[str, str]:
        value = json.loads(request.query.get("TemplateParam") or "{}")
        return value if isinstance(value, dict) else {}


# --- Tencent Cloud SMS: TC3-HMAC-SHA256, SendSms 2021-01-11 ----------------------------------------

TENCENT_SECRET_ID = "AKIDtestsecretid000000000000000000000"
TENCENT_SECRET = "tencent-test-secret-NEVER-IN-LOGS-91ab"
TENCENT_APP_ID = "1400006666"
TENCENT_TEMPLATES = {"1110001": 1, "1110002": 2}


def tencent_canonical_request(
    *, method: str, query: str, headers: dict[str, str], signed: list[str], payload: bytes
) -> str:
    """Step 1 of "签名方法 v3": header names and values lower-cased and trimmed, in ASCII order."""
    canonical_headers = "".join(f"{name}:{headers[name].strip().lower()}\n" for name in signed)
    return f"{method}\n/\n{query}\n{canonical_headers}\n{';'.join(signed)}\n{sha256_hex(payload)}"


def tencent_signature(*, secret_key: str, timestamp: int, date: str, service: str, canonical_request: str) -> str:
    """Steps 2 and 3: the string to sign and the key derived from the date and the service."""
    string_to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n{sha256_hex(canonical_request.encode('utf-8'))}"
    )
    secret_date = hmac.new(("TC3" + secret_key).encode("utf-8"), date.encode("utf-8"), hashlib.sha256).digest()
    secret_service = hmac.new(secret_date, service.encode("utf-8"), hashlib.sha256).digest()
    secret_signing = hmac.new(secret_service, b"tc3_request", hashlib.sha256).digest()
    return hmac.new(secret_signing, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class TencentHandler(FakeHandler):
    server: TencentServer

    def server_error(self, status: int) -> None:
        self.html(502, "502 Bad Gateway")  # Tencent's gateway answers any failure behind it so

    def respond(self, request: Received, behaviour: str) -> None:  # noqa: C901, PLR0911, PLR0912 (the provider's checks, in its order)
        headers, payload = request.headers, request.body
        authorization = headers.get("authorization", "")
        algorithm, _, rest = authorization.partition(" ")
        fields = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
        credential = fields.get("Credential", "").split("/")
        if (
            algorithm != "TC3-HMAC-SHA256"
            or len(credential) != 4
            or not {"SignedHeaders", "Signature"} <= fields.keys()
        ):
            return self.error("AuthFailure.InvalidAuthorization", "Authorization in the request header is invalid.")
        secret_id, date, service, terminator = credential
        if secret_id != TENCENT_SECRET_ID:
            return self.error(
                "AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure your SecretId is correct."
            )
        if not headers.get("x-tc-timestamp", "").isdigit():
            return self.error("MissingParameter", "The request is missing a required parameter `Timestamp`.")
        timestamp = int(headers["x-tc-timestamp"])
        if abs(time.time() - timestamp) > 300:
            return self.error(
                "AuthFailure.SignatureExpire",
                "Signature expired. Timestamp and server time cannot differ by more than five minutes.",
            )
        signed = fields["SignedHeaders"].split(";")
        if (
            terminator != "tc3_request"
            or service != "sms"
            or date != datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
            or not {"content-type", "host"} <= set(signed)
            or signed != sorted(signed)
            or not all(name in headers for name in signed)
        ):
            return self.error(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
        canonical = tencent_canonical_request(
            method=request.method, query="", headers=headers, signed=signed, payload=payload
        )
        expected = tencent_signature(
            secret_key=TENCENT_SECRET, timestamp=timestamp, date=date, service=service, canonical_request=canonical
        )
        if not hmac.compare_digest(expected, fields["Signature"]):
            return self.error(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
        if headers.get("x-tc-action") != "SendSms":
            return self.error("InvalidAction", "The action requested does not exist.")
        if headers.get("x-tc-version") != "2021-01-11":
            return self.error("NoSuchVersion", "The requested version does not exist.")
        if not headers.get("x-tc-region"):
            return self.error("MissingParameter", "The request is missing a required parameter `Region`.")
        if headers.get("content-type") != "application/json; charset=utf-8":
            return self.error("InvalidParameter", "The Content-Type must be application/json.")
        if behaviour == "rate":
            return self.error(
                "RequestLimitExceeded",
                "Your current request times equals to `3001` in a second, "
                "which exceeds the frequency limit `3000` for a second.",
            )
        try:
            document = json.loads(payload)
        except ValueError:
            return self.error("FailedOperation.JsonParseFail", "Failed to parse the request body.")
        for name in ("PhoneNumberSet", "SmsSdkAppId", "TemplateId"):
            if not document.get(name):
                return self.error("MissingParameter", f"The request is missing a required parameter `{name}`.")
        if document["SmsSdkAppId"] != TENCENT_APP_ID:
            return self.error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId not exist.")
        values = document.get("TemplateParamSet", [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return self.error("InvalidParameter", "TemplateParamSet must be an array of strings.")
        statuses = []
        for number in document["PhoneNumberSet"]:
            status = {"SerialNo": "", "PhoneNumber": number, "Fee": 0, "SessionContext": "", "IsoCode": "CN"}
            if not (number.startswith("+861") and len(number) == 14 and number[1:].isdigit()):
                status.update(
                    Code="InvalidParameterValue.IncorrectPhoneNumber", Message="incorrect number format", IsoCode="DEF"
                )
            elif behaviour == "limit":
                status.update(
                    Code="LimitExceeded.PhoneNumberThirtySecondLimit",
                    Message="the number of sms messages sent from a single mobile number within 30 seconds "
                    "exceeds the upper limit",
                )
            elif document.get("SignName") != SIGN_NAME:
                status.update(
                    Code="FailedOperation.SignatureIncorrectOrUnapproved",
                    Message="signature format is incorrect or signature is not approved",
                )
            elif self.server.templates.get(document["TemplateId"]) != len(values):
                status.update(
                    Code="FailedOperation.TemplateIncorrectOrUnapproved",
                    Message="template is not approved or request content does not match the approved template content",
                )
            else:
                status.update(Code="Ok", Message="send success", Fee=1, SerialNo=f"2433:{uuid.uuid4().int % 10**28}")
            statuses.append(status)
        if all(status["Code"] == "Ok" for status in statuses):
            self.accept(request)
        return self.answer(200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}})

    def error(self, code: str, message: str) -> None:
        self.answer(200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}})


class TencentServer(FakeProvider):
    """Tencent Cloud's ``SendSms``. Script: ``"rate"`` (RequestLimitExceeded), ``"limit"`` (a number's
    LimitExceeded), ``"http502"``, ``"drop"``, ``"hang"``. ``templates``: template id → its number of
    values (``TENCENT_TEMPLATES``)."""

    handler = TencentHandler

    def __init__(self) -> None:
        super().__init__()
        self.templates: dict[str, int] = dict(TENCENT_TEMPLATES)


# --- WeCom group robot webhook --------------------------------------------------------------------

ROBOT_KEY = "693a91f6-7b2c-4bc4-97a0-0ec2f1a95aaa"
MARKDOWN_LIMIT = 4096


class WecomHandler(FakeHandler):
    server: WecomServer

    def wecom(self, errcode: int, errmsg: str, status: int = 200) -> None:
        hint = (
            ""
            if errcode == 0
            else (
                f", hint: [1733560000_{errcode}_test], more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}"
            )
        )
        self.answer(status, {"errcode": errcode, "errmsg": errmsg + hint})

    def respond(self, request: Received, behaviour: str) -> None:  # noqa: PLR0911 (WeCom's checks, in its order)
        if request.method != "POST":
            # The webhook takes only POST; WeCom answers a GET with an error, never a delivery.
            return self.wecom(43004, "require POST method")
        if request.path != "/cgi-bin/webhook/send":
            return self.wecom(404, "not found", status=404)
        keys = request.query_lists.get("key", [])
        if len(keys) != 1 or keys[0] not in self.server.keys:
            return self.wecom(93000, "invalid webhook url")
        if behaviour == "throttle":
            return self.wecom(45009, "api freq out of limit")
        if behaviour == "busy":
            return self.wecom(-1, "system busy")
        document = request.document
        if not document:
            return self.wecom(40058, "invalid json")
        msgtype = document.get("msgtype")
        if msgtype not in ("text", "markdown", "image", "news", "file", "voice", "template_card"):
            return self.wecom(40008, "invalid message type")
        if msgtype != "markdown":
            return self.wecom(40008, "message type not supported by this fake")
        markdown = document.get("markdown")
        content = markdown.get("content") if isinstance(markdown, dict) else None
        if not isinstance(content, str) or not content:
            return self.wecom(44004, "empty content")
        if len(content.encode("utf-8")) > MARKDOWN_LIMIT:
            return self.wecom(40058, "markdown.content exceed max length 4096")
        now = time.monotonic()
        with self.server.lock:
            recent = [t for t in self.server.sent_at[keys[0]] if now - t < 60]
            if self.server.per_minute and len(recent) >= self.server.per_minute:
                return self.wecom(45009, "api freq out of limit")
            self.server.sent_at[keys[0]] = [*recent, now]
            self.server.delivered.append(content)
            self.server.accepted.append(request)
        return self.wecom(0, "ok")


class WecomServer(FakeProvider):
    """A WeCom group robot. Script: ``"throttle"`` (45009), ``"busy"`` (-1), ``"http502"``, ``"drop"``,
    ``"hang"``. ``webhook(key=ROBOT_KEY)`` is a robot address; ``keys`` the robots that exist;
    ``delivered`` the markdown of every message a group got; ``per_minute`` (0: off) makes it refuse,
    as WeCom does, more than that many messages a minute to one robot."""

    handler = WecomHandler

    def __init__(self) -> None:
        super().__init__()
        self.keys = {ROBOT_KEY}
        self.delivered: list[str] = []
        self.per_minute = 0
        self.sent_at: dict[str, list[float]] = {key: [] for key in self.keys}

    def webhook(self, key: str = ROBOT_KEY) -> str:
        self.sent_at.setdefault(key, [])
        return f"{self.url}/cgi-bin/webhook/send?key={key}"


# --- WeChat mini program: stable_token, subscribe/send, jscode2session ----------------------------

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


class WechatHandler(FakeHandler):
    server: WechatServer

    def error(self, errcode: int, errmsg: str) -> None:
        self.answer(
            200,
            {"errcode": errcode, "errmsg": f"{errmsg} rid: {secrets.token_hex(4)}-{secrets.token_hex(4)}"},
            content_type="application/json; encoding=utf-8",
        )

    def respond(self, request: Received, behaviour: str) -> None:
        if behaviour == "busy":
            return self.error(-1, "system error")
        if request.path == "/sns/jscode2session":
            return self.jscode2session(request)
        if request.method != "POST":
            return self.error(43002, "require POST method")
        try:
            document = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            document = None
        if not isinstance(document, dict):
            return self.error(47001, "data format error")
        if request.path == "/cgi-bin/stable_token":
            return self.stable_token(document)
        if request.path == "/cgi-bin/message/subscribe/send":
            return self.subscribe_send(request, document, behaviour)
        return self.error(404, "Not Found")

    def jscode2session(self, request: Received) -> None:
        """``GET /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code``: a code from
        ``wx.login`` gives the user's openid, once, within five minutes."""
        if request.method != "GET":
            return self.error(43001, "require GET method")
        query = request.query
        if query.get("grant_type") != "authorization_code":
            return self.error(40002, "invalid grant_type")
        if query.get("appid") != APP_ID:
            return self.error(40013, "invalid appid")
        if query.get("secret") != APP_SECRET:
            return self.error(40125, "invalid appsecret")
        code = query.get("js_code", "")
        with self.server.lock:
            openid = self.server.codes.pop(code, None)
            if openid is None:
                used = code in self.server.used_codes
                return self.error(40163 if used else 40029, "code been used" if used else "invalid code")
            self.server.used_codes.add(code)
        self.accept(request)
        return self.answer(
            200, {"openid": openid, "session_key": secrets.token_urlsafe(16)}, "application/json; encoding=utf-8"
        )

    def stable_token(self, document: dict[str, Any]) -> None:
        with self.server.lock:
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
        return self.answer(
            200, {"access_token": token, "expires_in": self.server.expires_in}, "application/json; encoding=utf-8"
        )

    def subscribe_send(self, request: Received, document: dict[str, Any], behaviour: str) -> None:  # noqa: C901, PLR0911 (WeChat's checks, in its order)
        tokens = request.query_lists.get("access_token", [])
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
        keywords = self.server.templates.get(str(template_id))
        if keywords is None:
            return self.error(40037, "invalid template_id")
        data = document.get("data")
        if not isinstance(data, dict):
            return self.error(47003, "argument invalid! data is empty")
        for keyword in keywords:
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
            if self.server.acceptances[(openid, str(template_id))] <= 0:
                return self.error(43101, "user refuse to accept the msg")
            self.server.acceptances[(openid, str(template_id))] -= 1
            self.server.delivered.append(document)
            self.server.accepted.append(request)
        return self.answer(200, {"errcode": 0, "errmsg": "ok"}, "application/json; encoding=utf-8")


class WechatServer(FakeProvider):
    """WeChat's API for a mini program's server. Script: ``"busy"`` (-1), ``"throttle"`` (45009),
    ``"invalid_token"`` (40001), ``"http502"``, ``"drop"``, ``"hang"``. ``accept(openid, template_id,
    times)`` is the user allowing messages in the mini program; ``login(openid)`` a ``wx.login`` code
    for ``jscode2session``; ``expire_token()`` voids the current token; ``templates``: template id →
    its keywords (``TEMPLATE_ID`` with ``KEYWORDS``); ``delivered`` the bodies of the messages sent."""

    handler = WechatHandler

    def __init__(self) -> None:
        super().__init__()
        self.delivered: list[dict[str, Any]] = []
        self.token = ""
        self.issued: list[str] = []
        self.expired: set[str] = set()
        self.token_calls = 0
        # Acceptances of each (openid, template) the users gave in the mini program.
        self.acceptances: Counter[tuple[str, str]] = Counter()
        self.templates: dict[str, tuple[str, ...]] = {TEMPLATE_ID: KEYWORDS}
        self.codes: dict[str, str] = {}
        self.used_codes: set[str] = set()
        self.expires_in = 7200

    def accept(self, openid: str = OPENID, template_id: str = TEMPLATE_ID, times: int = 1) -> None:
        """The user taps "allow" in the mini program's subscription dialog."""
        with self.lock:
            self.acceptances[(openid, template_id)] += times

    def login(self, openid: str = OPENID) -> str:
        """The mini program's ``wx.login``: a one-time code that ``jscode2session`` turns into ``openid``."""
        code = secrets.token_hex(16)
        with self.lock:
            self.codes[code] = openid
        return code

    def expire_token(self) -> None:
        """The current token lapses (or another holder of the AppSecret forced a new one)."""
        with self.lock:
            self.expired.add(self.token)
            self.token = ""

    def sends(self) -> list[Received]:
        return [r for r in self.received if r.path == "/cgi-bin/message/subscribe/send"]

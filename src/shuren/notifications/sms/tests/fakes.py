"""Local stand-ins for Aliyun's and Tencent's SMS endpoints, strict as the real ones.

Each server checks a request the way its provider documents it: it recomputes the signature itself
(written here from the documentation, sharing no code with the clients under test), refuses a wrong
signature, an unknown key, a stale timestamp, a reused nonce or a missing parameter with the
provider's own error shape, checks the template, the signature name and the number against what is
"registered", and answers a message id. A test may queue what the next request meets instead
(throttling, a server error, no answer at all).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self

ALIYUN_KEY_ID = "LTAI5tTestKeyId0000"
ALIYUN_SECRET = "aliyun-test-secret-NEVER-IN-LOGS-7f3c"
TENCENT_SECRET_ID = "AKIDtestsecretid000000000000000000000"
TENCENT_SECRET = "tencent-test-secret-NEVER-IN-LOGS-91ab"
TENCENT_APP_ID = "1400006666"
SIGN_NAME = "熟人社区"
# Templates registered with the fake providers, with the variables each one has.
ALIYUN_TEMPLATES = {"SMS_482913001": ("code",), "SMS_482913002": ("community", "title")}
TENCENT_TEMPLATES = {"1110001": 1, "1110002": 2}


@dataclass
class Received:
    """One request as the fake provider read it."""

    headers: dict[str, str]
    query: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    handler: ClassVar[type[BaseHTTPRequestHandler]]

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), self.handler)
        self.received: list[Received] = []
        self.accepted: list[Received] = []
        self.script: deque[str] = deque()
        self.seen_nonces: set[str] = set()
        self.release = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)


class Handler(BaseHTTPRequestHandler):
    server: FakeServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        pass

    def answer(self, status: int, document: dict[str, Any]) -> None:
        body = json.dumps(document, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def scripted(self) -> str:
        try:
            return self.server.script.popleft()
        except IndexError:
            return ""

    def drop(self) -> None:
        """Read the request, then close the connection without an answer."""
        self.read_body()
        self.close_connection = True

    def hang(self) -> None:
        """Answer nothing until the test ends (the client's timeout gives up first)."""
        self.server.release.wait(timeout=30)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----------------------------------------------------------------------------------------------------
# Aliyun: V3 signature (ACS3-HMAC-SHA256), RPC style, SendSms 2017-05-25.


def rfc3986(text: str) -> str:
    """Byte by byte: A–Z a–z 0–9 - _ . ~ as they are, every other UTF-8 byte as %XX (capitals)."""
    unreserved = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    return "".join(chr(byte) if byte in unreserved else f"%{byte:02X}" for byte in text.encode("utf-8"))


def percent_decode(text: str) -> str:
    out = bytearray()
    i = 0
    raw = text.encode("ascii")
    while i < len(raw):
        if raw[i : i + 1] == b"%":
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8")


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


class AliyunHandler(Handler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        behaviour = self.scripted()
        if behaviour == "hang":
            return self.hang()
        if behaviour == "http500":
            return self.aliyun_error(
                500, "InternalError", "The request processing has failed due to some unknown error."
            )
        body = self.read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        path, _, raw_query = self.path.partition("?")
        query = {}
        for pair in filter(None, raw_query.split("&")):
            name, _, value = pair.partition("=")
            query[percent_decode(name)] = percent_decode(value)
        request = Received(headers=headers, query=query, body=body)
        self.server.received.append(request)

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
        if headers["x-acs-content-sha256"] != sha256_hex(body):
            return self.aliyun_error(400, "SignatureDoesNotMatch", "Specified content sha256 is not matched.")
        expected = aliyun_signature(
            secret=ALIYUN_SECRET, method=self.command, path=path, query=query, headers=headers, signed=signed
        )
        if not hmac.compare_digest(expected, fields["Signature"]):
            return self.aliyun_error(
                400, "SignatureDoesNotMatch", "Specified signature does not match our calculation."
            )
        signed_at = datetime.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs(time.time() - signed_at.timestamp()) > 15 * 60:
            return self.aliyun_error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        nonce = headers["x-acs-signature-nonce"]
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
        variables = ALIYUN_TEMPLATES.get(query["TemplateCode"])
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
        self.server.accepted.append(request)
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
        )

    def dysms(self, status: int, code: str, message: str, **extra: str) -> None:
        """The SMS service's own answer."""
        self.answer(status, {"RequestId": str(uuid.uuid4()).upper(), "Code": code, "Message": message, **extra})


class AliyunServer(FakeServer):
    handler = AliyunHandler


# ----------------------------------------------------------------------------------------------------
# Tencent Cloud: TC3-HMAC-SHA256, SendSms 2021-01-11.


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


class TencentHandler(Handler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        behaviour = self.scripted()
        if behaviour == "hang":
            return self.hang()
        if behaviour == "drop":
            return self.drop()
        if behaviour == "http500":
            body = b"<html><body>502 Bad Gateway</body></html>"
            self.send_response(502)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        payload = self.read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Received(headers=headers, body=payload)
        self.server.received.append(request)

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
            method=self.command, query="", headers=headers, signed=signed, payload=payload
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
            elif TENCENT_TEMPLATES.get(document["TemplateId"]) != len(values):
                status.update(
                    Code="FailedOperation.TemplateIncorrectOrUnapproved",
                    Message="template is not approved or request content does not match the approved template content",
                )
            else:
                status.update(Code="Ok", Message="send success", Fee=1, SerialNo=f"2433:{uuid.uuid4().int % 10**28}")
            statuses.append(status)
        if all(status["Code"] == "Ok" for status in statuses):
            self.server.accepted.append(request)
        return self.answer(200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}})

    def error(self, code: str, message: str) -> None:
        self.answer(200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}})


class TencentServer(FakeServer):
    handler = TencentHandler

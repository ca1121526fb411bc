"""Aliyun SMS (阿里云短信服务, Dysmsapi ``SendSms``, version 2017-05-25) signed with the V3 request
signature ``ACS3-HMAC-SHA256`` as Alibaba Cloud documents it ("V3版本请求体&签名机制").

The request is an RPC-style POST to ``/`` with the operation's parameters in the query string and an
empty body; the answer is JSON: ``{"Code": "OK", "BizId": …, "Message": …, "RequestId": …}`` on
success, another ``Code`` otherwise (HTTP 200 for the SMS service's own refusals, 4xx/5xx for the
gateway's: signature, timestamp, credentials, throttling).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from urllib.parse import quote

from shuren.core.masking import mask_phone

from .base import SmsError, e164_mobile, parse_json, template_values
from .transport import check_endpoint, host_of, post

logger = logging.getLogger("shuren.notifications.sms")

ENDPOINT = "https://dysmsapi.aliyuncs.com"
ACTION = "SendSms"
VERSION = "2017-05-25"
ALGORITHM = "ACS3-HMAC-SHA256"

# Worth sending again later: throttling (per minute, hour or day; per number or per account), the
# service or its gateway failing, a clock the gateway found out of its window, a nonce it had seen,
# an account out of credit. Everything else the service refuses (template, signature, number,
# parameters, credentials, permissions) stays refused until someone changes it.
RETRYABLE_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.DAY_LIMIT_CONTROL",
        "isv.MONTH_LIMIT_CONTROL",
        "isv.AMOUNT_NOT_ENOUGH",
        "isv.OUT_OF_SERVICE",
        "isp.SYSTEM_ERROR",
        "SignatureNonceUsed",
        "InvalidTimeStamp.Expired",
        "ServiceUnavailable",
        "InternalError",
    }
)
RETRYABLE_PREFIXES = ("Throttling",)


def is_retryable(code: str, status: int) -> bool:
    return status >= 500 or code in RETRYABLE_CODES or code.startswith(RETRYABLE_PREFIXES)


def percent_encode(value: str) -> str:
    """RFC 3986 encoding of UTF-8: letters, digits and ``-_.~`` stay, everything else is ``%XX``."""
    return quote(value, safe="-_.~")


def canonical_query(params: Mapping[str, str]) -> str:
    return "&".join(
        f"{percent_encode(name)}={percent_encode(params[name])}" for name in sorted(params, key=percent_encode)
    )


def acs3_authorization(
    *,
    access_key_id: str,
    access_key_secret: str,
    method: str,
    path: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
) -> str:
    """The ``Authorization`` header of a V3 request.

    ``headers`` are the request's headers other than Authorization; those the documentation has
    signed (``host``, ``content-type`` and every ``x-acs-*``) enter the canonical request, lower-cased
    and sorted, with their values trimmed."""
    signed = {
        name.lower(): value.strip()
        for name, value in headers.items()
        if name.lower() in ("host", "content-type") or name.lower().startswith("x-acs-")
    }
    signed_names = ";".join(sorted(signed))
    canonical_headers = "".join(f"{name}:{signed[name]}\n" for name in sorted(signed))
    canonical_request = "\n".join(
        [
            method.upper(),
            path,
            canonical_query(query),
            canonical_headers,
            signed_names,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    string_to_sign = f"{ALGORITHM}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"
    signature = hmac.new(access_key_secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_names},Signature={signature}"


def provider_number(e164: str) -> str:
    """Mainland numbers go to Dysmsapi as the 11 national digits, the form its documentation shows."""
    return e164.removeprefix("+86")


class AliyunSms:
    """Sends through Aliyun's ``SendSms``; one instance may be shared by threads."""

    name = "aliyun"

    def __init__(
        self,
        *,
        access_key_id: str,
        access_key_secret: str,
        endpoint: str = ENDPOINT,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.access_key_id = access_key_id
        self._secret = access_key_secret
        self.endpoint = check_endpoint(endpoint)
        self.timeout = timeout
        self._clock = clock
        self._nonce = nonce

    def __repr__(self) -> str:
        return f"AliyunSms(endpoint={self.endpoint!r})"

    def send(self, *, phone: str, template_code: str, params: dict[str, str], sign_name: str) -> str:
        number = e164_mobile(phone, provider=self.name)
        query = {
            "PhoneNumbers": provider_number(number),
            "SignName": sign_name,
            "TemplateCode": template_code,
        }
        if params:
            query["TemplateParam"] = json.dumps(template_values(params), ensure_ascii=False, separators=(",", ":"))
        query = {name: value for name, value in query.items() if value}
        body = b""
        headers = {
            "host": host_of(self.endpoint),
            "x-acs-action": ACTION,
            "x-acs-version": VERSION,
            "x-acs-date": datetime.fromtimestamp(self._clock(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "x-acs-signature-nonce": self._nonce(),
            "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
        }
        authorization = acs3_authorization(
            access_key_id=self.access_key_id,
            access_key_secret=self._secret,
            method="POST",
            path="/",
            query=query,
            headers=headers,
            body=body,
        )
        answer = post(
            f"{self.endpoint}/?{canonical_query(query)}",
            # No body and so no Content-Type: urllib would add one (unsigned) to an empty body.
            headers={**headers, "Authorization": authorization, "Accept": "application/json"},
            body=None,
            timeout=self.timeout,
            provider=self.name,
            phone=number,
        )
        result = parse_json(answer.body)
        code = str(result.get("Code") or "")
        if answer.status == 200 and code == "OK":
            message_id = str(result.get("BizId") or result.get("RequestId") or "")
            logger.info(
                "SMS sent by aliyun to %s with template %s: BizId %s", mask_phone(number), template_code, message_id
            )
            return message_id
        error = SmsError(
            provider=self.name,
            code=code or f"HTTP{answer.status}",
            retryable=is_retryable(code, answer.status),
            phone=number,
            detail=str(result.get("Message") or ""),
        )
        logger.warning("%s", error)
        raise error

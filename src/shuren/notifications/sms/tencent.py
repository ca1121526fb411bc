"""Tencent Cloud SMS (腾讯云短信, ``SendSms``, API version 2021-01-11) signed with ``TC3-HMAC-SHA256`` as
Tencent Cloud documents it ("签名方法 v3").

The request is a POST of JSON to ``/`` with the action, version, timestamp and region in ``X-TC-*``
headers. The answer is always ``{"Response": {…}}``: an ``Error`` (``Code``, ``Message``) when the
request itself was refused (signature, timestamp, parameters, request rate), otherwise a
``SendStatusSet`` with one status per number, whose ``Code`` is ``"Ok"`` when the message was taken.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from shuren.core.masking import mask_phone

from .base import SmsError, e164_mobile, parse_json, template_values
from .transport import check_endpoint, host_of, post

logger = logging.getLogger("shuren.notifications.sms")

ENDPOINT = "https://sms.tencentcloudapi.com"
SERVICE = "sms"
ACTION = "SendSms"
VERSION = "2021-01-11"
REGION = "ap-guangzhou"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"

# Worth sending again later: the request rate or a sending frequency limit (per number per 30 s,
# hour or day, per application per day), Tencent's own failures and time-outs, a clock Tencent
# found more than five minutes off, a package or account out of credit. The rest (signature or
# template not approved, a number refused, bad parameters or credentials) stays refused.
RETRYABLE_PREFIXES = ("LimitExceeded", "RequestLimitExceeded", "InternalError")
RETRYABLE_CODES = frozenset(
    {
        "AuthFailure.SignatureExpire",
        "FailedOperation.InsufficientBalanceInSmsPackage",
        "UnauthorizedOperation.SerivceSuspendDueToArrears",
        "ResourceUnavailable",
    }
)


def is_retryable(code: str, status: int = 200) -> bool:
    return status >= 500 or code in RETRYABLE_CODES or code.startswith(RETRYABLE_PREFIXES)


def tc3_authorization(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    timestamp: int,
    headers: Mapping[str, str],
    payload: bytes,
    method: str = "POST",
    query: str = "",
) -> str:
    """The ``Authorization`` header of a TC3-HMAC-SHA256 request; ``headers`` are the signed ones
    (at least ``content-type`` and ``host``), entered lower-cased, trimmed and sorted."""
    signed = {name.lower().strip(): value.lower().strip() for name, value in headers.items()}
    signed_names = ";".join(sorted(signed))
    canonical_headers = "".join(f"{name}:{signed[name]}\n" for name in sorted(signed))
    canonical_request = "\n".join(
        [method.upper(), "/", query, canonical_headers, signed_names, hashlib.sha256(payload).hexdigest()]
    )
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )

    def _hmac(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode(), hashlib.sha256).digest()

    signing_key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={signed_names}, Signature={signature}"


def ordered_values(params: Mapping[str, str]) -> list[str]:
    """Tencent's templates number their variables ({1}, {2}…): the values in that order — by the
    numbers when the keys are "1", "2"…, otherwise in the order the caller gave them."""
    values = template_values(dict(params))
    if values and all(key.isdecimal() for key in values):
        return [values[key] for key in sorted(values, key=int)]
    return list(values.values())


class TencentSms:
    """Sends through Tencent Cloud's ``SendSms``; one instance may be shared by threads."""

    name = "tencent"

    def __init__(
        self,
        *,
        secret_id: str,
        secret_key: str,
        sdk_app_id: str,
        region: str = REGION,
        endpoint: str = ENDPOINT,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret_id = secret_id
        self._secret = secret_key
        self.sdk_app_id = sdk_app_id
        self.region = region
        self.endpoint = check_endpoint(endpoint)
        self.timeout = timeout
        self._clock = clock

    def __repr__(self) -> str:
        return f"TencentSms(endpoint={self.endpoint!r}, region={self.region!r})"

    def send(self, *, phone: str, template_code: str, params: dict[str, str], sign_name: str) -> str:
        number = e164_mobile(phone, provider=self.name)
        request: dict[str, Any] = {
            "PhoneNumberSet": [number],
            "SmsSdkAppId": self.sdk_app_id,
            "TemplateId": template_code,
            "TemplateParamSet": ordered_values(params),
        }
        if sign_name:
            request["SignName"] = sign_name
        payload = json.dumps(request, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(self._clock())
        signed_headers = {"content-type": CONTENT_TYPE, "host": host_of(self.endpoint), "x-tc-action": ACTION}
        authorization = tc3_authorization(
            secret_id=self.secret_id,
            secret_key=self._secret,
            service=SERVICE,
            timestamp=timestamp,
            headers=signed_headers,
            payload=payload,
        )
        answer = post(
            self.endpoint + "/",
            headers={
                "Content-Type": CONTENT_TYPE,
                "Host": signed_headers["host"],
                "X-TC-Action": ACTION,
                "X-TC-Version": VERSION,
                "X-TC-Timestamp": str(timestamp),
                "X-TC-Region": self.region,
                "Authorization": authorization,
            },
            body=payload,
            timeout=self.timeout,
            provider=self.name,
            phone=number,
        )
        response = parse_json(answer.body).get("Response")
        response = response if isinstance(response, dict) else {}
        error = response.get("Error") if isinstance(response.get("Error"), dict) else None
        statuses = response.get("SendStatusSet")
        status = statuses[0] if isinstance(statuses, list) and statuses and isinstance(statuses[0], dict) else None
        if answer.status == 200 and error is None and status is not None and status.get("Code") == "Ok":
            message_id = str(status.get("SerialNo") or response.get("RequestId") or "")
            logger.info(
                "SMS sent by tencent to %s with template %s: SerialNo %s", mask_phone(number), template_code, message_id
            )
            return message_id
        failure = error or status or {}
        code = str(failure.get("Code") or f"HTTP{answer.status}")
        refused = SmsError(
            provider=self.name,
            code=code,
            retryable=is_retryable(code, answer.status),
            phone=number,
            detail=str(failure.get("Message") or ""),
        )
        logger.warning("%s", refused)
        raise refused

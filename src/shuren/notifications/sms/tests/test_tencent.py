"""Tencent Cloud SMS against a local server that checks requests as Tencent Cloud API 3.0 does."""

from __future__ import annotations

import json
import logging
import time

import pytest

from shuren.notifications.sms.base import SmsError
from shuren.notifications.sms.tencent import TencentSms, tc3_authorization
from shuren.notifications.testing import (
    SIGN_NAME,
    TENCENT_APP_ID,
    TENCENT_SECRET,
    TENCENT_SECRET_ID,
    TencentServer,
    sha256_hex,
    tencent_canonical_request,
    tencent_signature,
)

PHONE = "13912345678"


def client(server: TencentServer, **options) -> TencentSms:
    options = {
        "secret_id": TENCENT_SECRET_ID,
        "secret_key": TENCENT_SECRET,
        "sdk_app_id": TENCENT_APP_ID,
        "timeout": 5.0,
        **options,
    }
    return TencentSms(endpoint=server.url, **options)


def send(provider: TencentSms, **overrides) -> str:
    message = {"phone": PHONE, "template_code": "1110001", "params": {"code": "705218"}, "sign_name": SIGN_NAME}
    return provider.send(**{**message, **overrides})


# The worked example of "签名方法 v3" (DescribeInstances on CVM, the example key pair). Its timestamp is
# 00:44 on 26 February in Beijing but still the 25th in UTC, the date the credential must carry.
DOC_PAYLOAD = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
DOC_HEADERS = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}


def test_signing_reproduces_the_documented_example():
    authorization = tc3_authorization(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        timestamp=1551113065,
        headers=DOC_HEADERS,
        payload=DOC_PAYLOAD,
    )
    assert authorization == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


def test_the_test_servers_verifier_reproduces_the_documented_intermediate_values():
    assert sha256_hex(DOC_PAYLOAD) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    # The Chinese page signs X-TC-Action too, lower-cased: x-tc-action:describeinstances.
    headers = {**DOC_HEADERS, "x-tc-action": "DescribeInstances"}
    canonical = tencent_canonical_request(
        method="POST", query="", headers=headers, signed=sorted(headers), payload=DOC_PAYLOAD
    )
    assert sha256_hex(canonical.encode()) == "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
    canonical = tencent_canonical_request(
        method="POST", query="", headers=DOC_HEADERS, signed=sorted(DOC_HEADERS), payload=DOC_PAYLOAD
    )
    assert (
        tencent_signature(
            secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            timestamp=1551113065,
            date="2019-02-25",
            service="cvm",
            canonical_request=canonical,
        )
        == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


def test_a_good_send_returns_the_serial_number(tencent_server):
    serial_no = send(client(tencent_server))

    assert serial_no.startswith("2433:")
    (request,) = tencent_server.accepted
    assert request.headers["x-tc-action"] == "SendSms"
    assert request.headers["x-tc-version"] == "2021-01-11"
    assert request.headers["x-tc-region"] == "ap-guangzhou"
    document = json.loads(request.body)
    assert document["SmsSdkAppId"] == TENCENT_APP_ID
    assert document["SignName"] == SIGN_NAME
    assert document["TemplateId"] == "1110001"


def test_the_region_is_the_configured_one(tencent_server):
    send(client(tencent_server, region="ap-beijing"))

    assert tencent_server.accepted[0].headers["x-tc-region"] == "ap-beijing"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"code": "705218", "minutes": "5"}, ["705218", "5"]),
        ({"2": "5", "1": "705218"}, ["705218", "5"]),
    ],
)
def test_template_params_are_the_ordered_template_param_set(tencent_server, params, expected):
    send(client(tencent_server), template_code="1110002", params=params)

    assert json.loads(tencent_server.accepted[0].body)["TemplateParamSet"] == expected


@pytest.mark.parametrize("typed", ["13912345678", "+86 139 1234 5678", "0086 139-1234-5678"])
def test_the_number_is_sent_in_e164_with_its_plus(tencent_server, typed):
    send(client(tencent_server), phone=typed)

    assert json.loads(tencent_server.accepted[0].body)["PhoneNumberSet"] == ["+8613912345678"]


def test_a_number_that_is_not_a_mainland_mobile_is_refused_before_anything_is_sent(tencent_server):
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server), phone="1391234567")

    assert (caught.value.code, caught.value.retryable) == ("InvalidPhoneNumber", False)
    assert tencent_server.received == []


def test_a_wrong_secret_is_refused_for_good(tencent_server):
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server, secret_key="not-the-secret"))

    assert (caught.value.code, caught.value.retryable) == ("AuthFailure.SignatureFailure", False)
    assert tencent_server.accepted == []


def test_an_unknown_secret_id_is_refused_for_good(tencent_server):
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server, secret_id="AKIDsomeoneelse"))

    assert (caught.value.code, caught.value.retryable) == ("AuthFailure.SecretIdNotFound", False)


def test_a_stale_timestamp_is_refused_and_worth_retrying_once_the_clock_is_right(tencent_server):
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server, clock=lambda: time.time() - 6 * 60))

    assert (caught.value.code, caught.value.retryable) == ("AuthFailure.SignatureExpire", True)


def test_a_missing_parameter_is_refused_for_good(tencent_server):
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server, sdk_app_id=""))

    assert (caught.value.code, caught.value.retryable) == ("MissingParameter", False)


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"template_code": "9999999"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"sign_name": "别人的签名"}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"params": {}}, "FailedOperation.TemplateIncorrectOrUnapproved"),
    ],
)
def test_template_and_signature_refusals_are_permanent(tencent_server, overrides, code):
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server), **overrides)

    assert (caught.value.code, caught.value.retryable) == (code, False)


def test_a_number_over_its_sending_limit_is_retryable(tencent_server):
    tencent_server.script.append("limit")
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server))

    assert (caught.value.code, caught.value.retryable) == ("LimitExceeded.PhoneNumberThirtySecondLimit", True)


def test_the_request_rate_limit_is_retryable_and_the_next_try_goes_through(tencent_server):
    provider = client(tencent_server)
    tencent_server.script.append("rate")
    with pytest.raises(SmsError) as caught:
        send(provider)
    assert (caught.value.code, caught.value.retryable) == ("RequestLimitExceeded", True)

    assert send(provider)


def test_a_gateway_error_is_retryable(tencent_server):
    tencent_server.script.append("http500")
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server))

    assert (caught.value.code, caught.value.retryable) == ("HTTP502", True)


def test_a_provider_that_does_not_answer_in_time_is_retryable(tencent_server):
    tencent_server.script.append("hang")
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server, timeout=0.5))

    assert (caught.value.code, caught.value.retryable, caught.value.may_have_been_sent) == ("Timeout", True, True)


def test_a_connection_dropped_before_the_answer_is_retryable_and_may_have_sent(tencent_server):
    tencent_server.script.append("drop")
    with pytest.raises(SmsError) as caught:
        send(client(tencent_server))

    assert (caught.value.code, caught.value.retryable, caught.value.may_have_been_sent) == (
        "ConnectionError",
        True,
        True,
    )


def test_nothing_secret_reaches_the_error_text_or_the_logs(tencent_server, caplog):
    caplog.set_level(logging.DEBUG)
    provider = client(tencent_server)
    send(provider)
    tencent_server.script.append("limit")
    failures = []
    for attempt in (
        lambda: send(provider),
        lambda: send(client(tencent_server, secret_key=TENCENT_SECRET + "x")),
        lambda: send(provider, sign_name="别人的签名"),
    ):
        with pytest.raises(SmsError) as caught:
            attempt()
        failures.append(caught.value)

    for text in [str(error) for error in failures] + [caplog.text, repr(provider)]:
        assert TENCENT_SECRET not in text
        assert PHONE not in text
        assert "705218" not in text
    assert all("139****5678" in str(error) for error in failures)
    assert "LimitExceeded.PhoneNumberThirtySecondLimit" in caplog.text

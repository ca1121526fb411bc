"""Aliyun SMS against a local server that checks requests as Aliyun's gateway and SMS service do."""

from __future__ import annotations

import json
import logging
import socket
import time

import pytest

from shuren.notifications.sms.aliyun import AliyunSms, acs3_authorization
from shuren.notifications.sms.base import SmsError
from shuren.notifications.testing import ALIYUN_KEY_ID, ALIYUN_SECRET, SIGN_NAME, AliyunServer, aliyun_signature

PHONE = "13912345678"


def client(server: AliyunServer, **options) -> AliyunSms:
    options = {"access_key_id": ALIYUN_KEY_ID, "access_key_secret": ALIYUN_SECRET, "timeout": 5.0, **options}
    return AliyunSms(endpoint=server.url, **options)


def send(provider: AliyunSms, **overrides) -> str:
    message = {"phone": PHONE, "template_code": "SMS_482913001", "params": {"code": "705218"}, "sign_name": SIGN_NAME}
    return provider.send(**{**message, **overrides})


# The worked example of "V3版本请求体&签名机制" (RunInstances on ECS, fixed date and nonce).
DOC_HEADERS = {
    "host": "ecs.cn-shanghai.aliyuncs.com",
    "x-acs-action": "RunInstances",
    "x-acs-version": "2014-05-26",
    "x-acs-date": "2023-10-26T10:22:32Z",
    "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
    "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
}
DOC_QUERY = {"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"}
DOC_SIGNATURE = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"


def test_signing_reproduces_the_documented_example():
    authorization = acs3_authorization(
        access_key_id="YourAccessKeyId",
        access_key_secret="YourAccessKeySecret",
        method="POST",
        path="/",
        query=DOC_QUERY,
        headers=DOC_HEADERS,
        body=b"",
    )
    assert authorization == (
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,"
        "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        f"Signature={DOC_SIGNATURE}"
    )


def test_the_test_servers_verifier_reproduces_the_documented_example_too():
    assert (
        aliyun_signature(
            secret="YourAccessKeySecret",
            method="POST",
            path="/",
            query=DOC_QUERY,
            headers=DOC_HEADERS,
            signed=sorted(DOC_HEADERS),
        )
        == DOC_SIGNATURE
    )


def test_a_good_send_returns_the_biz_id(aliyun_server):
    biz_id = send(client(aliyun_server))

    assert biz_id and "^" in biz_id
    (request,) = aliyun_server.accepted
    assert request.headers["x-acs-action"] == "SendSms"
    assert request.headers["x-acs-version"] == "2017-05-25"
    assert request.query["SignName"] == SIGN_NAME
    assert request.query["TemplateCode"] == "SMS_482913001"


def test_template_params_travel_as_the_documented_json_string(aliyun_server):
    params = {"community": "大新社区", "title": "周六停水 8:00-12:00 & 清洗水箱"}
    send(client(aliyun_server), template_code="SMS_482913002", params=params)

    (request,) = aliyun_server.accepted
    assert json.loads(request.query["TemplateParam"]) == params


@pytest.mark.parametrize("typed", ["13912345678", "+86 139-1234-5678", "8613912345678", "１３９ １２３４ ５６７８"])
def test_the_number_is_normalised_and_sent_as_the_eleven_mainland_digits(aliyun_server, typed):
    send(client(aliyun_server), phone=typed)

    assert aliyun_server.accepted[0].query["PhoneNumbers"] == PHONE


def test_a_number_that_is_not_a_mainland_mobile_is_refused_before_anything_is_sent(aliyun_server):
    for number in ("12345", "02088886666", "+14155550100"):
        with pytest.raises(SmsError) as caught:
            send(client(aliyun_server), phone=number)
        assert caught.value.code == "InvalidPhoneNumber" and not caught.value.retryable
    assert aliyun_server.received == []


def test_a_wrong_secret_is_refused_for_good(aliyun_server):
    with pytest.raises(SmsError) as caught:
        send(client(aliyun_server, access_key_secret="not-the-secret"))

    assert caught.value.code == "SignatureDoesNotMatch"
    assert not caught.value.retryable
    assert aliyun_server.accepted == []


def test_an_unknown_key_is_refused_for_good(aliyun_server):
    with pytest.raises(SmsError) as caught:
        send(client(aliyun_server, access_key_id="LTAI5tSomeoneElse"))

    assert (caught.value.code, caught.value.retryable) == ("InvalidAccessKeyId.NotFound", False)


def test_a_stale_timestamp_is_refused_and_worth_retrying_once_the_clock_is_right(aliyun_server):
    twenty_minutes_slow = client(aliyun_server, clock=lambda: time.time() - 20 * 60)
    with pytest.raises(SmsError) as caught:
        send(twenty_minutes_slow)

    assert (caught.value.code, caught.value.retryable) == ("InvalidTimeStamp.Expired", True)
    assert aliyun_server.accepted == []


def test_a_replayed_nonce_is_refused(aliyun_server):
    provider = client(aliyun_server, nonce=lambda: "always-the-same-nonce")
    send(provider)
    with pytest.raises(SmsError) as caught:
        send(provider)

    assert caught.value.code == "SignatureNonceUsed"
    assert len(aliyun_server.accepted) == 1


def test_a_missing_signature_name_is_refused_for_good(aliyun_server):
    with pytest.raises(SmsError) as caught:
        send(client(aliyun_server), sign_name="")

    assert (caught.value.code, caught.value.retryable) == ("MissingSignName", False)


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"template_code": "SMS_000000000"}, "isv.SMS_TEMPLATE_ILLEGAL"),
        ({"sign_name": "别人的签名"}, "isv.SMS_SIGNATURE_ILLEGAL"),
        ({"params": {}}, "isv.TEMPLATE_MISSING_PARAMETERS"),
    ],
)
def test_template_signature_and_parameter_refusals_are_permanent(aliyun_server, overrides, code):
    with pytest.raises(SmsError) as caught:
        send(client(aliyun_server), **overrides)

    assert (caught.value.code, caught.value.retryable) == (code, False)


def test_throttling_is_retryable_and_the_next_try_goes_through(aliyun_server):
    provider = client(aliyun_server)
    aliyun_server.script.append("throttle")
    with pytest.raises(SmsError) as caught:
        send(provider)
    assert (caught.value.code, caught.value.retryable) == ("isv.BUSINESS_LIMIT_CONTROL", True)

    assert send(provider)
    assert len(aliyun_server.accepted) == 1


def test_a_server_error_is_retryable(aliyun_server):
    aliyun_server.script.append("http500")
    with pytest.raises(SmsError) as caught:
        send(client(aliyun_server))

    assert caught.value.retryable
    assert caught.value.code == "InternalError"


def test_a_provider_that_does_not_answer_in_time_is_retryable_and_may_have_sent(aliyun_server):
    aliyun_server.script.append("hang")
    with pytest.raises(SmsError) as caught:
        send(client(aliyun_server, timeout=0.5))

    assert (caught.value.code, caught.value.retryable, caught.value.may_have_been_sent) == ("Timeout", True, True)


def test_a_provider_that_cannot_be_reached_is_retryable_and_nothing_was_sent():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    provider = AliyunSms(
        access_key_id=ALIYUN_KEY_ID, access_key_secret=ALIYUN_SECRET, endpoint=f"http://127.0.0.1:{closed_port}"
    )
    with pytest.raises(SmsError) as caught:
        send(provider)

    assert (caught.value.code, caught.value.retryable, caught.value.may_have_been_sent) == (
        "ConnectionError",
        True,
        False,
    )


def test_nothing_secret_reaches_the_error_text_or_the_logs(aliyun_server, caplog):
    caplog.set_level(logging.DEBUG)
    provider = client(aliyun_server)
    send(provider)
    aliyun_server.script.append("throttle")
    failures = []
    for attempt in (
        lambda: send(provider),
        lambda: send(client(aliyun_server, access_key_secret=ALIYUN_SECRET + "x")),
        lambda: send(provider, template_code="SMS_000000000"),
    ):
        with pytest.raises(SmsError) as caught:
            attempt()
        failures.append(caught.value)

    texts = [str(error) for error in failures] + [caplog.text, repr(provider)]
    for text in texts:
        assert ALIYUN_SECRET not in text
        assert PHONE not in text and "8613912345678" not in text
        assert "705218" not in text  # the template's values (here a sign-up code)
    assert all("139****5678" in str(error) for error in failures)
    assert "isv.BUSINESS_LIMIT_CONTROL" in caplog.text

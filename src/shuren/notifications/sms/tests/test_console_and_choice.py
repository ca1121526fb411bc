"""The development provider, the choice of provider by settings, and the checks of those settings."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from shuren.notifications import sms
from shuren.notifications.sms import console
from shuren.notifications.sms.aliyun import AliyunSms
from shuren.notifications.sms.base import SmsError, safe_detail
from shuren.notifications.sms.checks import check_sms_for_production, check_sms_settings
from shuren.notifications.sms.console import ConsoleSms, messages_to
from shuren.notifications.sms.tencent import TencentSms
from shuren.notifications.testing import (
    ALIYUN_KEY_ID,
    ALIYUN_SECRET,
    SIGN_NAME,
    TENCENT_APP_ID,
    TENCENT_SECRET,
    TENCENT_SECRET_ID,
)

ALIYUN_SETTINGS = {
    "SHUREN_SMS_PROVIDER": "aliyun",
    "SHUREN_SMS_SIGN_NAME": SIGN_NAME,
    "SHUREN_SMS_ALIYUN_ACCESS_KEY_ID": ALIYUN_KEY_ID,
    "SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET": ALIYUN_SECRET,
}
TENCENT_SETTINGS = {
    "SHUREN_SMS_PROVIDER": "tencent",
    "SHUREN_SMS_SIGN_NAME": SIGN_NAME,
    "SHUREN_SMS_TENCENT_SECRET_ID": TENCENT_SECRET_ID,
    "SHUREN_SMS_TENCENT_SECRET_KEY": TENCENT_SECRET,
    "SHUREN_SMS_TENCENT_SDK_APP_ID": TENCENT_APP_ID,
}


def configure(settings, values: dict[str, str]) -> None:
    for name, value in values.items():
        setattr(settings, name, value)


# --- the console provider ------------------------------------------------------------------------


def test_the_console_prints_the_whole_message_with_the_number_masked():
    out = io.StringIO()
    message_id = ConsoleSms(stream=out).send(
        phone="139 1234 5678", template_code="signup_code", params={"code": "705218"}, sign_name=SIGN_NAME
    )

    printed = out.getvalue()
    assert "705218" in printed and "signup_code" in printed and f"【{SIGN_NAME}】" in printed
    assert "139****5678" in printed and "13912345678" not in printed
    assert message_id in printed


def test_the_console_writes_to_standard_output_by_default(capsys):
    ConsoleSms().send(phone="13912345678", template_code="signup_code", params={"code": "705218"}, sign_name="")

    assert "705218" in capsys.readouterr().out


def test_a_test_in_the_same_process_reads_the_code_from_the_outbox():
    ConsoleSms(stream=io.StringIO()).send(
        phone="+8613700001234", template_code="signup_code", params={"code": "318204"}, sign_name=SIGN_NAME
    )

    latest = messages_to("137 0000 1234")[-1]
    assert latest.params == {"code": "318204"}
    assert latest.phone == "+8613700001234"
    assert all(message.phone != "+8613700001234" for message in messages_to("13912345678"))


def test_the_console_refuses_the_numbers_the_real_providers_refuse():
    out = io.StringIO()
    with pytest.raises(SmsError) as caught:
        ConsoleSms(stream=out).send(phone="020-8888-6666", template_code="x", params={}, sign_name="")

    assert (caught.value.code, caught.value.retryable) == ("InvalidPhoneNumber", False)
    assert out.getvalue() == ""


def test_the_outbox_keeps_only_the_latest_messages():
    provider = ConsoleSms(stream=io.StringIO())
    for n in range(console.OUTBOX_SIZE + 5):
        provider.send(phone="13912345678", template_code="t", params={"n": str(n)}, sign_name="")

    assert len(console.outbox) == console.OUTBOX_SIZE
    assert console.outbox[-1].params == {"n": str(console.OUTBOX_SIZE + 4)}


# --- the choice of provider --------------------------------------------------------------------


def test_development_uses_the_console_by_default():
    assert isinstance(sms.get_provider(), ConsoleSms)


def test_aliyun_is_built_from_settings(settings):
    configure(settings, ALIYUN_SETTINGS)
    settings.SHUREN_SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9/"
    settings.SHUREN_SMS_TIMEOUT_SECONDS = 2.5

    provider = sms.get_provider()

    assert isinstance(provider, AliyunSms)
    assert (provider.access_key_id, provider.endpoint, provider.timeout) == (ALIYUN_KEY_ID, "http://127.0.0.1:9", 2.5)


def test_tencent_is_built_from_settings(settings):
    configure(settings, TENCENT_SETTINGS)
    settings.SHUREN_SMS_TENCENT_REGION = "ap-nanjing"

    provider = sms.get_provider()

    assert isinstance(provider, TencentSms)
    assert (provider.sdk_app_id, provider.region) == (TENCENT_APP_ID, "ap-nanjing")


def test_a_provider_chosen_by_settings_sends_to_the_configured_endpoint(settings, aliyun_server, tencent_server):
    configure(settings, {**ALIYUN_SETTINGS, "SHUREN_SMS_ALIYUN_ENDPOINT": aliyun_server.url})
    sms.get_provider().send(
        phone="13912345678", template_code="SMS_482913001", params={"code": "705218"}, sign_name=SIGN_NAME
    )
    configure(settings, {**TENCENT_SETTINGS, "SHUREN_SMS_TENCENT_ENDPOINT": tencent_server.url})
    sms.get_provider().send(
        phone="13912345678", template_code="1110001", params={"code": "705218"}, sign_name=SIGN_NAME
    )

    assert len(aliyun_server.accepted) == len(tencent_server.accepted) == 1


def test_a_real_provider_without_its_secrets_names_what_is_missing_and_nothing_else(settings):
    configure(settings, {**ALIYUN_SETTINGS, "SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET": ""})

    with pytest.raises(ImproperlyConfigured) as caught:
        sms.get_provider()

    assert "SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET" in str(caught.value)
    assert ALIYUN_KEY_ID not in str(caught.value)


def test_an_unknown_provider_is_refused(settings):
    settings.SHUREN_SMS_PROVIDER = "twilio"

    with pytest.raises(ImproperlyConfigured):
        sms.get_provider()


def test_template_codes_come_from_settings_and_the_console_needs_none(settings):
    settings.SHUREN_SMS_TEMPLATES = {"signup_code": "SMS_482913001"}
    assert sms.template_code("signup_code") == "SMS_482913001"
    assert sms.template_code("appeal_resolved") == "appeal_resolved"

    configure(settings, ALIYUN_SETTINGS)
    with pytest.raises(SmsError) as caught:
        sms.template_code("appeal_resolved")
    assert (caught.value.code, caught.value.retryable) == ("TemplateNotConfigured", False)


# --- checks ----------------------------------------------------------------------------------


def ids(errors) -> set[str]:
    return {error.id for error in errors}


def test_the_deploy_check_refuses_the_console_in_production():
    assert ids(check_sms_for_production(None)) == {"shuren.E040"}


def test_the_deploy_check_passes_a_configured_provider(settings):
    configure(settings, ALIYUN_SETTINGS)
    assert check_sms_for_production(None) == []
    configure(settings, TENCENT_SETTINGS)
    assert check_sms_for_production(None) == []


def test_the_deploy_check_names_missing_secrets_and_plain_http(settings):
    configure(settings, {**TENCENT_SETTINGS, "SHUREN_SMS_TENCENT_SECRET_KEY": ""})
    settings.SHUREN_SMS_TENCENT_ENDPOINT = "http://sms.tencentcloudapi.com"

    errors = check_sms_for_production(None)

    assert ids(errors) == {"shuren.E042", "shuren.E043"}
    assert any("SHUREN_SMS_TENCENT_SECRET_KEY" in error.msg for error in errors)


def test_the_settings_check_refuses_an_unknown_provider_and_malformed_templates(settings):
    assert check_sms_settings(None) == []
    settings.SHUREN_SMS_PROVIDER = "twilio"
    settings.SHUREN_SMS_TEMPLATES = {"signup_code": 1234}

    assert ids(check_sms_settings(None)) == {"shuren.E041", "shuren.E044"}


# --- errors ------------------------------------------------------------------------------------


def test_an_error_reads_well_in_a_log_and_hides_the_number():
    error = SmsError(
        provider="aliyun",
        code="isv.MOBILE_NUMBER_ILLEGAL",
        retryable=False,
        phone="+8613912345678",
        detail="13912345678invalid\n(see console)",
    )

    assert str(error) == (
        "aliyun SMS to 139****5678 failed (permanent) isv.MOBILE_NUMBER_ILLEGAL: 139****5678invalid (see console)"
    )


def test_a_long_provider_message_is_cut_short():
    assert len(safe_detail("x" * 5000)) == 200


def test_a_refusal_is_logged_once_as_a_warning(settings, aliyun_server, caplog):
    configure(settings, {**ALIYUN_SETTINGS, "SHUREN_SMS_ALIYUN_ENDPOINT": aliyun_server.url})
    caplog.set_level(logging.INFO, logger="shuren.notifications.sms")
    aliyun_server.script.append("throttle")

    with pytest.raises(SmsError):
        sms.get_provider().send(
            phone="13912345678", template_code="SMS_482913001", params={"code": "705218"}, sign_name=SIGN_NAME
        )

    (record,) = caplog.records
    assert record.levelno == logging.WARNING and "isv.BUSINESS_LIMIT_CONTROL" in record.getMessage()

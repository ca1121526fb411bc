"""The webhook address staff paste: only a group robot's at WeCom, shown only masked."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from shuren.notifications.wecom import WebhookUrlField, masked_webhook, validate_webhook_url

KEY = "693a91f6-7b2c-4bc4-97a0-0ec2f1a95aaa"
GOOD = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"


class GroupForm(forms.Form):
    webhook = WebhookUrlField()


def test_a_robots_address_is_accepted_and_stripped() -> None:
    form = GroupForm(data={"webhook": f"  {GOOD}\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["webhook"] == GOOD


@pytest.mark.parametrize(
    ("url", "code"),
    [
        (GOOD.replace("https", "http", 1), "wecom_scheme"),
        (GOOD.replace("https", "ftp", 1), "wecom_scheme"),
        ("qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + KEY, "wecom_scheme"),
        (GOOD.replace("qyapi.weixin.qq.com", "qyapi.weixin.qq.com.evil.example"), "wecom_host"),
        (GOOD.replace("qyapi.weixin.qq.com", "evil.example"), "wecom_host"),
        (GOOD.replace("qyapi.weixin.qq.com", "user@qyapi.weixin.qq.com"), "wecom_host"),
        (GOOD.replace("qyapi.weixin.qq.com", "qyapi.weixin.qq.com:8443"), "wecom_host"),
        (GOOD.replace("/send", "/upload_media"), "wecom_path"),
        (GOOD + "#x", "wecom_path"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "wecom_key"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=", "wecom_key"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "wecom_key"),
        (f"{GOOD}&key={KEY}", "wecom_key"),
        (f"{GOOD}&debug=1", "wecom_key"),
        (GOOD.replace("key=", "key=%3Cscript%3E"), "wecom_key"),
        (GOOD.replace("?", " ?"), "wecom_url"),
    ],
)
def test_anything_else_is_refused_with_the_reason(url: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_webhook_url(url)
    assert caught.value.code == code


def test_the_reason_is_in_the_users_language() -> None:
    with translation.override("zh-hans"):
        form = GroupForm(data={"webhook": GOOD.replace("qyapi.weixin.qq.com", "evil.example")})
        assert not form.is_valid()
        assert form.errors["webhook"] == ["webhook 地址必须位于企业微信的服务器 qyapi.weixin.qq.com。"]


def test_a_local_host_is_accepted_only_when_settings_name_it(settings: Any) -> None:
    local = f"http://127.0.0.1:8025/cgi-bin/webhook/send?key={KEY}"
    with pytest.raises(ValidationError):
        validate_webhook_url(local)
    settings.SHUREN_WECOM_WEBHOOK_BASE = "http://127.0.0.1:8025"
    validate_webhook_url(local)
    with pytest.raises(ValidationError):
        validate_webhook_url(GOOD)


def test_masked_webhook_keeps_four_characters_at_each_end() -> None:
    assert masked_webhook(GOOD) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a****5aaa"
    assert masked_webhook(GOOD.replace(KEY, "short")) == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****"
    assert KEY not in masked_webhook(f"{GOOD}&other=1")
    assert masked_webhook("") == "(no address)"
    # Nothing else of an address that is not a webhook's: no password, no path that may hold a key.
    assert masked_webhook(f"https://robot:{KEY}@evil.example:8443/hooks/{KEY}") == "https://evil.example:8443/…"

"""Subscribe messages against a local WeChat API as strict as the real one."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from shuren.notifications.testing import APP_ID, APP_SECRET, OPENID, TEMPLATE_ID, WechatServer
from shuren.notifications.wechat import WechatError, configured
from shuren.notifications.wechat import send as wechat_send
from shuren.notifications.wechat.token import cache_key, cache_seconds

DATA = {
    "thing1": "3号楼停水通知",
    "time2": "2026年12月9日 09:00",
    "thing3": "3号楼全部住户",
    "character_string4": "TZ-2026-0187",
    "phrase5": "待执行",
    "name6": "社区居委会",
}


def send(**overrides: object) -> None:
    arguments: dict = {"openid": OPENID, "template_id": TEMPLATE_ID, "data": DATA, "page": "pages/notice/detail?id=7"}
    arguments.update(overrides)
    wechat_send(**arguments)


def test_a_message_reaches_a_user_who_accepted_it(wechat: WechatServer) -> None:
    wechat.accept()
    send()
    [token_request, send_request] = wechat.received
    assert token_request.path == "/cgi-bin/stable_token"
    assert token_request.document == {
        "grant_type": "client_credential",
        "appid": APP_ID,
        "secret": APP_SECRET,
        "force_refresh": False,
    }
    assert send_request.query_lists == {"access_token": [wechat.token]}
    assert send_request.headers["content-type"] == "application/json; charset=utf-8"
    [delivered] = wechat.delivered
    assert delivered == {
        "touser": OPENID,
        "template_id": TEMPLATE_ID,
        "page": "pages/notice/detail?id=7",
        "data": {keyword: {"value": value} for keyword, value in DATA.items()},
        "miniprogram_state": "formal",
        "lang": "zh_CN",
    }


def test_the_token_is_fetched_once_and_cached_until_shortly_before_it_expires(wechat: WechatServer) -> None:
    wechat.accept(times=3)
    for _ in range(3):
        send()
    assert wechat.token_calls == 1
    assert len(wechat.delivered) == 3
    assert cache.get(cache_key()) == wechat.token
    assert cache_seconds(7200) == 6900
    assert cache_seconds(400) == 200
    assert cache_seconds(0) == 0


def test_an_expired_token_is_fetched_again_once_and_the_message_goes(wechat: WechatServer) -> None:
    wechat.accept(times=2)
    send()
    first = wechat.token
    wechat.expire_token()
    send()
    assert wechat.token_calls == 2
    assert wechat.token != first
    assert cache.get(cache_key()) == wechat.token
    assert len(wechat.delivered) == 2
    assert [r.query["access_token"] for r in wechat.sends()] == [first, first, wechat.token]


def test_a_token_refused_twice_is_not_fetched_a_third_time(wechat: WechatServer) -> None:
    wechat.accept()
    send()
    wechat.accept()
    wechat.expire_token()
    wechat.script.extend(["", "", "invalid_token"])  # the expired send, the new token, then refused again
    with pytest.raises(WechatError) as caught:
        send()
    assert (caught.value.code, caught.value.retryable) == ("40001", True)
    assert wechat.token_calls == 2
    assert len(wechat.sends()) == 3
    assert len(wechat.delivered) == 1


def test_a_user_who_did_not_accept_is_permanent(wechat: WechatServer) -> None:
    with pytest.raises(WechatError) as caught:
        send()
    assert (caught.value.code, caught.value.retryable) == ("43101", False)
    # One acceptance, one message.
    wechat.accept()
    send()
    with pytest.raises(WechatError):
        send()


@pytest.mark.parametrize(("behaviour", "code"), [("throttle", "45009"), ("busy", "-1"), ("http502", "HTTP502")])
def test_limits_busy_and_server_errors_are_retryable(wechat: WechatServer, behaviour: str, code: str) -> None:
    wechat.accept()
    wechat.script.extend(["", behaviour])  # the token comes; the send meets the behaviour
    with pytest.raises(WechatError) as caught:
        send()
    assert (caught.value.code, caught.value.retryable) == (code, True)
    send()
    assert len(wechat.delivered) == 1


@pytest.mark.parametrize("behaviour", ["hang", "drop"])
def test_no_answer_is_retryable_and_may_have_been_sent(wechat: WechatServer, behaviour: str) -> None:
    wechat.accept()
    wechat.script.extend(["", behaviour])
    with pytest.raises(WechatError) as caught:
        send()
    assert caught.value.retryable
    assert caught.value.may_have_been_sent
    assert caught.value.code in ("Timeout", "ConnectionError")


def test_the_token_endpoint_busy_or_down_is_retryable(wechat: WechatServer) -> None:
    for behaviour in ("busy", "http502", "hang"):
        wechat.script.append(behaviour)
        with pytest.raises(WechatError) as caught:
            send()
        assert caught.value.retryable
        assert caught.value.step == "token"
    assert wechat.sends() == []


def test_a_wrong_secret_is_permanent_and_never_shown(
    wechat: WechatServer, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings.SHUREN_WECHAT_APP_SECRET = "wrong-secret-0123456789abcdef"
    with pytest.raises(WechatError) as caught:
        send()
    assert (caught.value.code, caught.value.retryable, caught.value.step) == ("40125", False, "token")
    assert "wrong-secret" not in str(caught.value) + caplog.text


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"template_id": "unknown"}, "40037"),
        ({"page": "pages/gone/gone"}, "41030"),
        ({"openid": "not-an-openid"}, "40003"),
        ({"data": {**DATA, "phrase5": "pending"}}, "47003"),
    ],
)
def test_requests_wechat_refuses_are_permanent(wechat: WechatServer, change: dict, code: str) -> None:
    wechat.accept()
    with pytest.raises(WechatError) as caught:
        send(**change)
    assert (caught.value.code, caught.value.retryable) == (code, False)


def test_an_empty_value_is_refused_before_sending(wechat: WechatServer) -> None:
    with pytest.raises(WechatError) as caught:
        send(data={**DATA, "thing3": "  "})
    assert (caught.value.code, caught.value.retryable) == ("EmptyValue", False)
    assert wechat.received == []


def test_long_values_are_cut_to_what_wechat_accepts(wechat: WechatServer) -> None:
    wechat.accept()
    long = {
        **DATA,
        "thing1": "关于3号楼二次供水设施清洗消毒期间暂停供水的通知",
        "character_string4": "TZ-" + "0123456789" * 4,
        "phrase5": "正在紧急抢修中",
        "name6": "幸福里社区居民委员会办公室",
    }
    send(data=long)
    [delivered] = wechat.delivered
    values = {keyword: entry["value"] for keyword, entry in delivered["data"].items()}
    assert values["thing1"] == "关于3号楼二次供水设施清洗消毒期间暂停…"
    assert len(values["thing1"]) == 20
    assert values["character_string4"] == ("TZ-" + "0123456789" * 4)[:32]
    assert values["phrase5"] == "正在紧急抢"
    assert values["name6"] == "幸福里社区居民委员会"


def test_nothing_secret_in_errors_or_logs(wechat: WechatServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wechat.accept(times=2)
    send()
    errors = []
    wechat.expire_token()
    send()
    for behaviour in ("throttle", "http502", "hang", "invalid_token"):
        wechat.script.append(behaviour)
        try:
            send()
        except WechatError as error:
            errors.append(error)
    assert len(errors) >= 3
    text = caplog.text + "".join(f"{e} {e!r} {e.detail}" for e in errors)
    assert APP_SECRET not in text
    for token in wechat.issued:
        assert token not in text
    assert OPENID not in text
    assert "o6_b****fL2M" in text
    assert "3号楼停水通知" not in text


def test_without_credentials_nothing_is_sent(wechat: WechatServer, settings: Any) -> None:
    settings.SHUREN_WECHAT_APP_SECRET = ""
    assert not configured()
    with pytest.raises(ImproperlyConfigured):
        send()
    assert wechat.received == []


def test_workers_fetching_the_token_at_once_all_get_the_same_one(wechat: WechatServer) -> None:
    wechat.accept(times=4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            send()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(wechat.delivered) == 4
    # However many fetched, the stable token stayed one token: no worker voided another's.
    assert len(wechat.issued) == 1
    assert {r.query["access_token"] for r in wechat.sends()} == {wechat.token}

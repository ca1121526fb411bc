"""Sending to a WeCom group robot, against a local webhook as strict as WeCom's."""

from __future__ import annotations

import logging

import pytest

from shuren.notifications.testing import ROBOT_KEY, WecomServer
from shuren.notifications.wecom import WebhookError, masked_webhook, notice_markdown, send_markdown


def test_a_notice_reaches_the_group_as_one_markdown_message(wecom: WecomServer) -> None:
    content = notice_markdown(title="停水通知", body="12月9日9:00至15:00停水。", url="https://sq.example.cn/n/7")
    send_markdown(webhook_url=wecom.webhook(), content=content)

    [request] = wecom.received
    assert request.path == "/cgi-bin/webhook/send"
    assert request.query_lists == {"key": [ROBOT_KEY]}
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.document == {"msgtype": "markdown", "markdown": {"content": content}}
    assert wecom.delivered == [content]


@pytest.mark.parametrize(("behaviour", "code"), [("throttle", "45009"), ("busy", "-1"), ("http502", "HTTP502")])
def test_throttling_and_server_errors_are_retryable(wecom: WecomServer, behaviour: str, code: str) -> None:
    wecom.script.append(behaviour)
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=wecom.webhook(), content="**停水通知**")
    assert caught.value.code == code
    assert caught.value.retryable
    assert not wecom.delivered
    # Once WeCom lets it through, the same message goes.
    send_markdown(webhook_url=wecom.webhook(), content="**停水通知**")
    assert wecom.delivered == ["**停水通知**"]


def test_no_answer_in_time_is_retryable_and_may_have_been_sent(wecom: WecomServer) -> None:
    wecom.script.append("hang")
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=wecom.webhook(), content="**停水通知**")
    assert (caught.value.code, caught.value.retryable, caught.value.may_have_been_sent) == ("Timeout", True, True)


def test_a_connection_dropped_after_the_request_is_retryable(wecom: WecomServer) -> None:
    wecom.script.append("drop")
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=wecom.webhook(), content="**停水通知**")
    assert caught.value.retryable
    assert caught.value.code == "ConnectionError"


def test_nobody_listening_is_retryable(wecom: WecomServer) -> None:
    url = wecom.webhook()
    wecom.__exit__()  # the server goes away; its address stays accepted
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=url, content="**停水通知**")
    assert (caught.value.code, caught.value.retryable, caught.value.may_have_been_sent) == (
        "ConnectionError",
        True,
        False,
    )


def test_a_removed_robot_is_permanent(wecom: WecomServer) -> None:
    removed = "0b7e12aa-1c4d-4f00-9e21-5d0c3e7f8a91"
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=wecom.webhook(removed), content="**停水通知**")
    assert caught.value.code == "93000"
    assert not caught.value.retryable
    assert removed not in str(caught.value)
    assert masked_webhook(wecom.webhook(removed)) in str(caught.value)


def test_content_over_wecoms_limit_is_refused_before_sending(wecom: WecomServer) -> None:
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=wecom.webhook(), content="通" * 1366)  # 4098 bytes
    assert (caught.value.code, caught.value.retryable) == ("ContentTooLong", False)
    assert wecom.received == []


@pytest.mark.parametrize(
    "url",
    [
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + ROBOT_KEY,  # WeCom's, not the one allowed here
        "http://127.0.0.1:9/cgi-bin/webhook/send?key=" + ROBOT_KEY,
        "",
    ],
)
def test_an_address_elsewhere_is_never_posted_to(wecom: WecomServer, url: str) -> None:
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=url, content="**停水通知**")
    assert (caught.value.code, caught.value.retryable) == ("InvalidWebhookUrl", False)
    assert ROBOT_KEY not in str(caught.value)


def test_the_key_is_in_no_error_and_no_log_line(wecom: WecomServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    send_markdown(webhook_url=wecom.webhook(), content="**一**")
    errors = []
    for behaviour in ("throttle", "http502", "hang", "drop"):
        wecom.script.append(behaviour)
        with pytest.raises(WebhookError) as caught:
            send_markdown(webhook_url=wecom.webhook(), content="**二**")
        errors.append(caught.value)
    with pytest.raises(WebhookError) as caught:
        send_markdown(webhook_url=wecom.webhook().replace(ROBOT_KEY, ROBOT_KEY[::-1]), content="**三**")
    errors.append(caught.value)

    assert len(caplog.records) == 6
    text = caplog.text + "".join(f"{e} {e.detail} {e.webhook} {e!r}" for e in errors)
    assert "693a****5aaa" in text
    assert ROBOT_KEY not in text
    assert ROBOT_KEY[::-1] not in text

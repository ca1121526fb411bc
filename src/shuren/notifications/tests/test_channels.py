"""The group and provider channels: WeCom's group robot against a local HTTP server that checks the
request as WeCom does; SMS through the provider interface (when the providers are installed)."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from shuren.notifications.models import Message, Status
from shuren.notifications.services import GroupAddress, deliver_due, notify

pytestmark = pytest.mark.django_db

WEBHOOKS: dict[str, str] = {}


def resolve(address: str) -> str | None:
    return WEBHOOKS.get(address)


@contextmanager
def wecom_robot(answers: list[tuple[int, dict[str, Any]]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A WeCom robot webhook: checks the key, the method, the JSON content type and the markdown
    message's shape, then answers with the next of ``answers``."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            status, body = answers.pop(0) if answers else (200, {"errcode": 0, "errmsg": "ok"})
            valid = (
                self.path == "/cgi-bin/webhook/send?key=693a91f6-0d4c-4b7e-9a55-2f0b7c8d5aaa"
                and self.headers.get("Content-Type", "").split(";")[0] == "application/json"
            )
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            valid = valid and payload.get("msgtype") == "markdown" and isinstance(payload["markdown"]["content"], str)
            valid = valid and len(payload["markdown"]["content"].encode()) <= 4096
            if not valid:
                status, body = 200, {"errcode": 93000, "errmsg": "invalid webhook url or request"}
            elif body.get("errcode") == 0:
                received.append(payload)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key="
    try:
        yield base, received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def group_notice(event: str = "notice:5") -> Message:
    notify(
        kind="tests.reminder",
        event_key=event,
        recipients=[GroupAddress(channel="wecom", address="building:12")],
        subject="停水通知 *紧急*",
        text="明日 8:00–12:00 停水。<a href='x'>[点此](http://evil)</a>",
        link="/notices/5/",
    )
    return Message.objects.get(event_key=event)


@pytest.fixture
def robot():
    with wecom_robot([]) as (base, received):
        WEBHOOKS["building:12"] = f"{base}693a91f6-0d4c-4b7e-9a55-2f0b7c8d5aaa"
        with override_settings(
            SHUREN_WECOM_WEBHOOK_RESOLVER=f"{__name__}.resolve",
            SHUREN_WECOM_WEBHOOK_BASE=base.split("/cgi-bin")[0],
            SHUREN_SITE_URL="https://shuren.example.org",
        ):
            yield received
        WEBHOOKS.clear()


def test_a_building_group_gets_the_notice_redacted_and_inert(robot):
    message = group_notice()
    assert deliver_due()["sent"] == 1
    [payload] = robot
    content = payload["markdown"]["content"]
    assert content.startswith("**停水通知 ") and "紧急" in content
    # The staff's markup arrives as text: no tag, no link of its own; only the notice's link is one.
    assert "<a" not in content and "](http://evil)" not in content
    assert "(https://shuren.example.org/notices/5/)" in content
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_a_rate_limited_robot_delays_the_notice_and_the_key_is_never_kept(robot):
    with wecom_robot([(200, {"errcode": 45009, "errmsg": "api freq out of limit"}), (502, {})]) as (base, received):
        WEBHOOKS["building:12"] = f"{base}693a91f6-0d4c-4b7e-9a55-2f0b7c8d5aaa"
        with override_settings(SHUREN_WECOM_WEBHOOK_BASE=base.split("/cgi-bin")[0]):
            message = group_notice()
            now = message.created_at
            for _attempt in range(2):
                assert deliver_due(now=now)["retrying"] == 1
                message.refresh_from_db()
                assert "693a91f6-0d4c-4b7e-9a55-2f0b7c8d5aaa" not in message.last_error
                now = message.next_attempt_at
            assert deliver_due(now=now)["sent"] == 1
    assert len(received) == 1


def test_a_webhook_outside_the_allowed_prefixes_is_never_called(robot):
    WEBHOOKS["building:12"] = "http://169.254.169.254/latest?key=693a91f6-0d4c-4b7e-9a55-2f0b7c8d5aaa"
    message = group_notice()
    assert deliver_due()["failed"] == 1
    message.refresh_from_db()
    assert "no valid webhook" in message.last_error and "693a91f6-0d4c-4b7e-9a55-2f0b7c8d5aaa" not in message.last_error
    assert robot == []


@pytest.mark.skipif(
    importlib.util.find_spec("shuren.notifications.sms") is None, reason="the SMS providers are not installed"
)
@override_settings(
    SHUREN_SMS_TEMPLATES={"tests.resolved": "SMS_0001"},
    SHUREN_SMS_SIGN_NAME="树人社区",
    SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.channels.sms.SmsChannel"},
)
def test_an_sms_goes_through_the_provider_with_its_template(resident, monkeypatch):
    from shuren.notifications import sms

    calls: list[dict[str, Any]] = []

    class Provider:
        def send(self, **kwargs: Any) -> str:
            calls.append(kwargs)
            return "biz-1"

    monkeypatch.setattr(sms, "get_provider", lambda: Provider())
    notify(
        kind="tests.resolved",
        event_key="e",
        recipients=[resident],
        subject="您的诉求已办结，请评价处理结果并留下宝贵意见，谢谢您的支持",
        text="t",
        channels=("sms",),
        urgent=True,
    )
    assert deliver_due()["sent"] == 1
    [call] = calls
    assert call["phone"] == "13800138000" and call["template_code"] == "SMS_0001" and call["sign_name"] == "树人社区"
    assert len(call["params"]["subject"]) <= 35
    assert Message.objects.get(channel="sms").provider_id == "biz-1"


@override_settings(SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.channels.console.ConsoleChannel"})
def test_the_development_backend_prints_the_message_instead_of_sending_it(resident, monkeypatch):
    import io

    from shuren.notifications.channels.console import ConsoleChannel

    out = io.StringIO()
    monkeypatch.setattr(ConsoleChannel, "stream", out)
    notify(
        kind="tests.resolved",
        event_key="otp",
        recipients=[resident],
        subject="验证码",
        text="您的验证码是 123456",
        channels=("sms",),
        urgent=True,
        params={"code": "123456"},
    )
    assert deliver_due()["sent"] == 1
    printed = out.getvalue()
    assert "-- sms #" in printed and "验证码" in printed and "{'code': '123456'}" in printed


@override_settings(
    SHUREN_SMS_PROVIDER="aliyun",
    SHUREN_SMS_TEMPLATES={"tests.resolved": "SMS_0001"},
    SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.channels.sms.SmsChannel"},
)
def test_a_kind_without_a_registered_sms_template_is_not_queued_for_sms(resident, verified_client):
    notify(kind="tests.reminder", event_key="r", recipients=[resident], subject="提醒", text="t", channels=("sms",))
    assert not Message.objects.filter(channel="sms").exists()
    html = verified_client(resident).get("/notifications/preferences/").content.decode()
    assert 'name="pref:tests.resolved:sms"' in html and 'name="pref:tests.reminder:sms"' not in html


@override_settings(
    SHUREN_SMS_TEMPLATES={"tests.resolved": "SMS_0001"},
    SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.channels.sms.SmsChannel"},
)
@pytest.mark.parametrize(("retryable", "status"), [(False, "failed"), (True, "pending")])
def test_the_providers_verdict_decides_whether_an_sms_is_tried_again(resident, monkeypatch, retryable, status):
    from shuren.notifications import sms

    class Provider:
        def send(self, **kwargs: Any) -> str:
            raise sms.SmsError(provider="aliyun", code="isv.SMS_TEMPLATE_ILLEGAL", retryable=retryable)

    monkeypatch.setattr(sms, "get_provider", lambda: Provider())
    notify(kind="tests.resolved", event_key="e", recipients=[resident], subject="s", text="t", urgent=True)
    deliver_due()
    message = Message.objects.get(channel="sms")
    assert message.status == status and "isv.SMS_TEMPLATE_ILLEGAL" in message.last_error

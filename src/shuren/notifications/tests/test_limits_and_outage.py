"""Rate limits per recipient and channel, WeCom's 20 a minute per group, the SMS budget of a
community, the stop address of every SMS, and an SMS provider that goes away and comes back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from shuren.notifications.models import Message, SmsBudget, Status
from shuren.notifications.services import GroupAddress, deliver_due, notify
from shuren.notifications.testing import (
    ALIYUN_KEY_ID,
    ALIYUN_SECRET,
    ROBOT_KEY,
    SIGN_NAME,
    AliyunServer,
    RecordingSms,
    WecomServer,
)

pytestmark = pytest.mark.django_db

RECORDING_SMS = override_settings(SHUREN_NOTIFICATION_CHANNELS={"sms": "shuren.notifications.testing.RecordingSms"})


def sms_to(user, n: int, *, urgent: bool = False, prefix: str = "e", community=None) -> None:
    for i in range(n):
        notify(
            kind="tests.resolved",
            event_key=f"{prefix}:{i}",
            recipients=[user],
            subject=f"消息{i}",
            text="正文",
            channels=("sms",),
            urgent=urgent,
            community=community,
        )


@RECORDING_SMS
@override_settings(SHUREN_NOTIFY_LIMITS={"sms": (2, 3)})
def test_over_the_hourly_limit_a_message_waits_and_is_never_dropped(resident):
    # Tomorrow at 18:00 in Shanghai: out of quiet hours, and later than the real clock, which the worker
    # takes as the time of a send when it is later than the time it is given.
    now = (timezone.now() + dt.timedelta(days=1)).replace(hour=10, minute=0)
    sms_to(resident, 3, urgent=True, prefix="u")  # urgent: quiet hours aside, due now
    Message.objects.update(urgent=False, next_attempt_at=now)
    counts = deliver_due(now=now)
    assert (counts["sent"], counts["held"]) == (2, 1)
    waiting = Message.objects.get(status=Status.PENDING)
    assert waiting.next_attempt_at >= now + dt.timedelta(minutes=59)
    assert waiting.attempts == 0 and "rate limit" in waiting.last_error
    assert deliver_due(now=now + dt.timedelta(minutes=30))["sent"] == 0
    assert deliver_due(now=now + dt.timedelta(hours=1, seconds=1))["sent"] == 1
    assert len(RecordingSms.sent) == 3


@RECORDING_SMS
@override_settings(SHUREN_NOTIFY_LIMITS={"sms": (1, 10)})
def test_urgent_messages_pass_the_recipients_limit_but_count(resident):
    sms_to(resident, 3, urgent=True)
    assert deliver_due()["sent"] == 3
    notify(kind="tests.resolved", event_key="later", recipients=[resident], subject="s", text="t", channels=("sms",))
    Message.objects.filter(event_key="later").update(next_attempt_at=timezone.now())
    assert deliver_due()["held"] == 1  # the urgent ones filled the hour


def test_a_wecom_group_gets_at_most_its_robots_rate_the_rest_wait_a_minute(settings):
    # All through the settings fixture: an override_settings decorator undone before the fixture's
    # changes would leave this test's resolver in place for the tests after it.
    settings.SHUREN_WECOM_PER_MINUTE = 3
    settings.SHUREN_WECOM_WEBHOOK_RESOLVER = "shuren.notifications.tests.test_limits_and_outage.robot"
    with WecomServer() as wecom:
        wecom.per_minute = 3  # WeCom itself refuses beyond, with 45009
        settings.SHUREN_WECOM_WEBHOOK_BASE = wecom.url
        ROBOTS["building:1"] = wecom.webhook()
        for i in range(5):
            notify(
                kind="tests.notice",
                event_key=f"n:{i}",
                recipients=[GroupAddress("wecom", "building:1")],
                subject=f"通知{i}",
                text="正文",
            )
        now = timezone.now()
        counts = deliver_due(now=now)
        assert (counts["sent"], counts["held"], counts["retrying"]) == (3, 2, 0)
        assert len(wecom.delivered) == 3
        wecom.sent_at[ROBOT_KEY].clear()  # the minute passes at WeCom too
        assert deliver_due(now=now + dt.timedelta(seconds=61))["sent"] == 2
        assert len(wecom.delivered) == 5


ROBOTS: dict[str, str] = {}


def robot(address: str) -> str | None:
    return ROBOTS.get(address)


@RECORDING_SMS
@override_settings(SHUREN_NOTIFY_LIMITS={})
def test_a_community_with_its_budget_spent_sends_no_more_sms_but_urgent_ones(daytime, resident, neighbour, tree):
    community = tree["com_a"]
    SmsBudget.objects.create(community=community, month=timezone.localdate().replace(day=1), messages=2)
    sms_to(resident, 2, urgent=True, prefix="a")  # urgent: due now
    sms_to(neighbour, 1, urgent=True, prefix="b")
    Message.objects.filter(event_key="b:0").update(urgent=False)
    assert set(Message.objects.values_list("community", flat=True)) == {community.pk}  # from the grants
    counts = deliver_due()
    assert (counts["sent"], counts["over_budget"]) == (2, 1)
    refused = Message.objects.get(event_key="b:0", channel="sms")
    assert refused.status == Status.CANCELLED and "budget" in refused.last_error
    sms_to(neighbour, 1, urgent=True, prefix="c")
    assert deliver_due()["sent"] == 1  # urgent: passes, and counts


@RECORDING_SMS
@override_settings(SHUREN_NOTIFY_LIMITS={})
def test_the_budget_page_shows_spend_to_the_administrator_and_to_staff_in_scope(
    resident, tree, user_for_role, verified_client
):
    SmsBudget.objects.create(community=tree["com_a"], month=timezone.localdate().replace(day=1), messages=5)
    SmsBudget.objects.create(community=tree["com_b"], month=timezone.localdate().replace(day=1), messages=9)
    sms_to(resident, 2, urgent=True)
    deliver_due()
    sms_to(resident, 1, prefix="w")  # waits
    admin = verified_client(user_for_role("system_admin")).get("/notifications/delivery/sms-budgets/")
    html = admin.content.decode()
    assert admin.status_code == 200
    assert f'data-community="{tree["com_a"].pk}"' in html and f'data-community="{tree["com_b"].pk}"' in html
    staff_client = verified_client(user_for_role("community_staff"))
    assert staff_client.get("/notifications/delivery/sms-budgets/").status_code in (403, 404)  # the administrator's
    staff = staff_client.get("/notifications/sms-spend/")
    html = staff.content.decode()
    assert f'data-community="{tree["com_a"].pk}"' in html and f'data-community="{tree["com_b"].pk}"' not in html
    assert '<td class="text-end" data-sent>2</td>' in html and '<td class="text-end" data-waiting>1</td>' in html
    resident_page = verified_client(resident).get("/notifications/sms-spend/")
    assert resident_page.status_code in (403, 404)


def test_the_administrator_sets_a_budget(tree, user_for_role, verified_client):
    client = verified_client(user_for_role("system_admin"))
    month = timezone.localdate().strftime("%Y-%m")
    answer = client.post(
        "/notifications/delivery/sms-budgets/", {"community": tree["com_a"].pk, "month": month, "messages": 300}
    )
    assert answer.status_code == 302
    assert SmsBudget.objects.get(community=tree["com_a"]).messages == 300


# --- the SMS provider down, then back ---------------------------------------------------------


ALIYUN = {
    "SHUREN_SMS_PROVIDER": "aliyun",
    "SHUREN_SMS_SIGN_NAME": SIGN_NAME,
    "SHUREN_SMS_ALIYUN_ACCESS_KEY_ID": ALIYUN_KEY_ID,
    "SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET": ALIYUN_SECRET,
    "SHUREN_SMS_TIMEOUT_SECONDS": 2,
    "SHUREN_SMS_TEMPLATES": {"tests.resolved": "SMS_482913003"},
    "SHUREN_NOTIFICATION_CHANNELS": {},
    "SHUREN_NOTIFY_LIMITS": {},
}


@pytest.fixture
def aliyun(settings):
    with AliyunServer() as server:
        server.templates["SMS_482913003"] = ("subject", "link", "stop")
        for name, value in ALIYUN.items():
            setattr(settings, name, value)
        settings.SHUREN_SMS_ALIYUN_ENDPOINT = server.url
        yield server


def test_every_sms_says_where_to_stop_it(resident, aliyun, settings):
    settings.SHUREN_SITE_URL = "https://shuren.example.org"
    sms_to(resident, 1, urgent=True)
    assert deliver_due()["sent"] == 1
    [request] = aliyun.accepted
    assert AliyunServer.params(request)["stop"] == "shuren.example.org/notifications/stop/"


def test_a_provider_down_for_a_while_delays_every_message_and_each_goes_once(resident, neighbour, aliyun):
    people = [resident, neighbour]
    for person in people:
        for i in range(3):
            notify(
                kind="tests.resolved",
                event_key=f"outage:{i}",
                recipients=[person],
                subject=f"通知{i}",
                text="t",
                channels=("sms",),
                urgent=True,
            )
    ids = set(Message.objects.filter(channel="sms").values_list("pk", flat=True))
    assert len(ids) == 6
    now = timezone.now()
    aliyun.down()  # 503
    assert deliver_due(now=now)["retrying"] == 6
    assert aliyun.refused == 6 and aliyun.accepted == []
    aliyun.down(refuse=True)  # connection refused
    later = max(Message.objects.values_list("next_attempt_at", flat=True))
    assert deliver_due(now=later)["retrying"] == 6
    assert set(Message.objects.values_list("attempts", flat=True)) == {2}
    aliyun.up()
    later = max(Message.objects.values_list("next_attempt_at", flat=True))
    assert deliver_due(now=later)["sent"] == 6
    assert deliver_due(now=later + dt.timedelta(hours=2))["sent"] == 0
    # Each message reached the provider exactly once: one accepted request per (number, text).
    per_message = aliyun.count(lambda r: (r.query["PhoneNumbers"], AliyunServer.params(r)["subject"]))
    assert len(per_message) == 6 and set(per_message.values()) == {1}
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}


def test_malformed_templates_and_limits_are_reported(settings):
    from shuren.notifications.checks import check_outbox_settings

    settings.SHUREN_WECHAT_TEMPLATES = {"a.b": "T1", "c.d": {"template": "T2", "fields": {"thing1": "title"}}}
    settings.SHUREN_NOTIFY_LIMITS = {"sms": (10, 30), "email": 5}
    assert [error.id for error in check_outbox_settings(None)] == ["shuren.E046", "shuren.E047"]

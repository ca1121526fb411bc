"""A redeemed reward's collection code reaches the resident through the outbox: in the inbox and by
SMS (which they may switch off), in Chinese, once, and not when the redemption is undone."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from shuren.notifications import kinds
from shuren.notifications.models import Message, Preference
from shuren.points import services
from shuren.points.testing import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(points_world):
    user = points_world.users["resident"]
    user.phone = "13800138003"
    user.save()
    give(points_world.people["resident"], 30)
    return user


def test_the_kind_is_registered_in_chinese():
    assert str(kinds.get("points.redemption_code").label) == "我兑换奖品的领取码"


def test_the_code_reaches_the_inbox_and_the_phone(points_world, resident):
    redemption = services.redeem_reward(actor=resident, reward=points_world.reward())
    rows = Message.objects.filter(kind="points.redemption_code", recipient=resident)
    assert sorted(rows.values_list("channel", flat=True)) == ["inapp", "sms"]
    sms = rows.get(channel="sms")
    assert sms.params == {"reward": "环保购物袋", "code": redemption.pickup_code, "place": "大新社区党群服务中心"}
    inbox = rows.get(channel="inapp")
    assert inbox.subject == f"环保购物袋的领取码：{redemption.pickup_code}"
    assert f"凭领取码{redemption.pickup_code}到大新社区党群服务中心领取" in inbox.text
    assert inbox.link == reverse("points_portal:redemption", args=[redemption.pk])
    assert inbox.event_key == f"redemption:{redemption.pk}:code"


def test_a_second_redemption_is_a_second_code_and_sms_can_be_switched_off(points_world, resident):
    Preference.objects.create(user=resident, kind="points.redemption_code", channel="sms", enabled=False)
    reward = points_world.reward()
    services.redeem_reward(actor=resident, reward=reward)
    services.redeem_reward(actor=resident, reward=reward)
    rows = Message.objects.filter(kind="points.redemption_code", recipient=resident)
    assert sorted(rows.values_list("channel", flat=True)) == ["inapp", "inapp"]


def test_a_redemption_rolled_back_sends_no_code(points_world, resident):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.redeem_reward(actor=resident, reward=points_world.reward())
        raise RuntimeError("rolled back")
    assert not Message.objects.filter(kind="points.redemption_code").exists()

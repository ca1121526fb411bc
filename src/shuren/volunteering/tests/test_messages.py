"""Volunteering tells volunteers through the outbox: their sign-up (a place or the waiting list),
their move up from the waiting list and the day-before reminder — in Chinese, once per event, on the
channels each chose, and never for a step that is undone."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from shuren.notifications import kinds
from shuren.notifications.models import Message, Preference
from shuren.volunteering import services
from shuren.volunteering.testing import tomorrow_at

pytestmark = pytest.mark.django_db


def told(kind: str, channel: str = "inapp") -> list[str]:
    rows = Message.objects.filter(kind=f"volunteering.{kind}", channel=channel)
    return sorted(rows.values_list("recipient__username", flat=True))


def test_the_kinds_are_registered_in_chinese():
    assert str(kinds.get("volunteering.promoted").label) == "我从志愿活动候补名单转为正式报名"


def test_a_sign_up_is_confirmed_with_a_place_or_the_waiting_list(vol_world):
    activity = vol_world.activity(capacity=1)
    first = vol_world.volunteer("v1", "林一")
    first.email = "v1@example.com"
    first.save()
    second = vol_world.volunteer("v2", "林二")
    services.sign_up(actor=first, activity=activity)
    services.sign_up(actor=second, activity=activity)
    services.sign_up(actor=first, activity=activity)  # signing up twice: one sign-up, one message
    assert told("signed_up") == ["v1", "v2"] and told("signed_up", "email") == ["v1"]
    place = Message.objects.get(kind="volunteering.signed_up", recipient=first, channel="inapp")
    assert place.subject == "报名成功：富丰新城人工湖清洁" and "富丰新城人工湖东门" in place.text
    assert place.link == reverse("volunteering_portal:activity", args=[activity.pk])
    waiting = Message.objects.get(kind="volunteering.signed_up", recipient=second)
    assert waiting.subject == "已进入候补名单：富丰新城人工湖清洁"


def test_a_cancellation_moves_the_first_on_the_waiting_list_up_and_tells_them(vol_world):
    activity = vol_world.activity(capacity=1)
    first, second = vol_world.volunteer("v1"), vol_world.volunteer("v2")
    second.phone = "13800138002"
    second.save()
    signup = services.sign_up(actor=first, activity=activity)
    services.sign_up(actor=second, activity=activity)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.cancel_signup(actor=first, signup=signup)
        raise RuntimeError("rolled back")
    assert told("promoted") == []
    services.cancel_signup(actor=first, signup=signup)
    assert told("promoted") == ["v2"] and told("promoted", "sms") == ["v2"]
    message = Message.objects.get(kind="volunteering.promoted", channel="sms")
    assert set(message.params) == {"title", "time", "place"}
    assert "有名额空出" in Message.objects.get(kind="volunteering.promoted", channel="inapp").text


def test_the_day_before_the_confirmed_volunteers_are_reminded_once(vol_world):
    tomorrow = vol_world.activity(capacity=1)
    later = vol_world.activity(starts_at=tomorrow_at(9, days=3), title="敬老院探访")
    first, second = vol_world.volunteer("v1"), vol_world.volunteer("v2")
    first.email = "v1@example.com"
    first.save()
    Preference.objects.create(user=first, kind="volunteering.reminder", channel="email", enabled=False)
    for activity in (tomorrow, later):
        services.sign_up(actor=first, activity=activity)
    services.sign_up(actor=second, activity=tomorrow)  # waiting list: not reminded
    for _run in range(2):
        call_command("volunteering", "remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = Message.objects.filter(kind="volunteering.reminder")
    assert sorted(reminders.values_list("recipient__username", "channel")) == [("v1", "inapp")]
    assert reminders.get().subject == "明日活动：富丰新城人工湖清洁"

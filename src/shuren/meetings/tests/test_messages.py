"""Meetings send through the outbox: each invitee hears of their invitation, the invitees are reminded
the day before, and the invitees and attendees hear when the minutes are published — in Chinese, once
per event, on the channels they chose, and never for a step that is undone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.meetings import services
from shuren.notifications import kinds
from shuren.notifications.models import Message, Preference

pytestmark = pytest.mark.django_db


def told(kind: str, meeting) -> list[tuple[str, str]]:
    rows = Message.objects.filter(kind=f"meetings.{kind}", event_key__startswith=f"meeting:{meeting.pk}:")
    return sorted(rows.values_list("recipient__username", "channel"))


@pytest.fixture
def world(meeting_world):
    leader = meeting_world.users["leader1"]
    leader.email = "hebo@example.com"
    leader.save()
    return meeting_world


def test_the_kinds_are_registered_in_chinese():
    assert str(kinds.get("meetings.reminder").label) == "我受邀参加的会议明天召开"
    assert {"meetings.invited", "meetings.minutes"} <= {k.code for k in kinds.all_kinds()}


def test_each_invitee_with_an_account_hears_of_the_invitation_once(world):
    staff = world.users["staff"]
    meeting = world.schedule()
    services.invite_by_role(actor=staff, meeting=meeting, role=Role.BUILDING_LEADER)
    assert told("invited", meeting) == [("mt_leader1", "email"), ("mt_leader1", "inapp"), ("mt_leader2", "inapp")]
    # Inviting the branch with its members adds 黄党员 (no account: nobody to tell) and nobody twice.
    services.invite_organization(actor=staff, meeting=meeting, organization=world.branch, members=True)
    services.invite_person(actor=staff, meeting=meeting, user=world.users["leader1"])
    assert told("invited", meeting) == [("mt_leader1", "email"), ("mt_leader1", "inapp"), ("mt_leader2", "inapp")]
    message = Message.objects.get(kind="meetings.invited", recipient=world.users["leader1"], channel="inapp")
    assert message.subject == "会议邀请：富丰新城联席会议"
    assert "富丰新城党群服务站" in message.text and "请回复是否参加" in message.text
    assert message.link == reverse("meetings_portal:detail", args=[meeting.pk])
    assert set(message.params) == {"title", "time", "place"}


def test_an_invitation_rolled_back_tells_nobody(world):
    meeting = world.schedule()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invite_person(actor=world.users["staff"], meeting=meeting, user=world.users["leader1"])
        raise RuntimeError("the page failed after the invitation")
    assert told("invited", meeting) == []


def test_the_day_before_the_invitees_but_those_who_declined_are_reminded_once(world):
    staff = world.users["staff"]
    starts = timezone.localtime() + dt.timedelta(days=1)
    meeting = world.schedule(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    later = world.schedule(days=5)
    for target in (meeting, later):
        services.invite_by_role(actor=staff, meeting=target, role=Role.BUILDING_LEADER)
    declined = meeting.invitations.get(user=world.users["leader2"])
    services.reply(actor=world.users["leader2"], invitation=declined, accept=False)
    Preference.objects.create(user=world.users["leader1"], kind="meetings.reminder", channel="email", enabled=False)

    call_command("meetings", "remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("meetings", "remind", stdout=open("/dev/null", "w"))  # noqa: SIM115  (a second run: nothing new)
    assert told("reminder", meeting) == [("mt_leader1", "inapp")]  # e-mail switched off; leader2 declined
    assert told("reminder", later) == []
    reminder = Message.objects.get(kind="meetings.reminder")
    assert reminder.subject == "明日会议：富丰新城联席会议" and "明天" in reminder.text


def test_published_minutes_reach_the_invitees(world):
    staff = world.users["staff"]
    meeting = world.schedule()
    services.invite_person(actor=staff, meeting=meeting, user=world.users["leader1"])
    meeting = services.set_checkin(actor=staff, meeting=meeting, version=meeting.version, open=True)
    meeting = services.end_meeting(actor=staff, meeting=meeting, version=meeting.version)
    services.save_minutes(actor=staff, meeting=meeting, text="一、议定充电桩位置")
    assert told("minutes", meeting) == []
    services.publish_meeting(actor=staff, meeting=meeting, version=meeting.version)
    assert told("minutes", meeting) == [("mt_leader1", "email"), ("mt_leader1", "inapp")]
    message = Message.objects.get(kind="meetings.minutes", channel="inapp")
    assert message.subject == "会议纪要已发布：富丰新城联席会议"

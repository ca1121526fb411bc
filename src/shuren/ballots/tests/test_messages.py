"""Owners' ballots send through the outbox to their electorate: voting opens, voting closes soon (to
those who have not voted on every matter), the result — in Chinese, once per event, on the channels
each owner chose, and never for a step that is undone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shuren.ballots import services
from shuren.ballots.models import Ballot
from shuren.notifications import kinds
from shuren.notifications.models import Message, Preference

from .conftest import draft_lift_ballot, open_lift_ballot

pytestmark = pytest.mark.django_db

# The owners of 1单元 with an account; 301 is still held by the developer, who votes for it (赵敏's
# registration there does not make her a voter), the tenant and the former owner do not vote.
ELECTORATE = ["liqiang", "wangfang", "zhangwei"]


def told(ballot, kind: str, channel: str = "inapp") -> list[str]:
    rows = Message.objects.filter(event_key__startswith=f"ballot:{ballot.pk}:", kind=f"ballots.{kind}", channel=channel)
    return sorted(rows.values_list("recipient__username", flat=True))


def voter_of(ballot, room):
    return ballot.voters.get(dwellings__dwelling__room=room)


def test_the_kinds_are_registered_in_chinese():
    assert str(kinds.get("ballots.opened").label) == "我有权参加的业主表决开始投票"


def test_opening_tells_every_owner_of_the_electorate_and_nobody_else(ballot_world):
    world = ballot_world
    world.users["wangfang"].email, world.users["wangfang"].phone = "wf@example.com", "13800138001"
    world.users["wangfang"].save()
    Preference.objects.create(user=world.users["wangfang"], kind="ballots.opened", channel="sms", enabled=False)
    ballot = open_lift_ballot(world)
    assert told(ballot, "opened") == ELECTORATE  # not the outsider
    assert told(ballot, "opened", "email") == ["wangfang"]
    assert told(ballot, "opened", "sms") == []  # switched off
    message = Message.objects.get(kind="ballots.opened", recipient=world.users["zhangwei"])
    assert message.subject == "业主表决：1单元加装电梯"
    assert "您作为业主可对1单元加装电梯进行表决" in message.text
    assert message.link == reverse("ballots_portal:ballot", args=[ballot.pk])
    assert set(message.params) == {"title", "closes"}


def test_an_opening_rolled_back_tells_nobody(ballot_world):
    ballot = draft_lift_ballot(ballot_world)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.open_ballot(actor=ballot_world.users["staff"], ballot=ballot, version=ballot.version)
        raise RuntimeError("the request failed after opening")
    assert not Message.objects.filter(kind__startswith="ballots.").exists()


def test_the_owners_who_have_not_voted_are_reminded_once_before_closing(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    matter = ballot.matters.get()
    services.cast_vote(actor=world.users["wangfang"], matter=matter, voter=voter_of(ballot, "101"), choice="agree")
    call_command("ballots", "remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert told(ballot, "closing") == []  # two weeks ahead: too early
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() + dt.timedelta(hours=5))
    for _run in range(2):
        call_command("ballots", "remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # 101 and 102 are one voter (王芳 and 李强 co-own 101, 李强 owns 102): 王芳's vote counts for both.
    assert told(ballot, "closing") == ["zhangwei"]
    assert "尚未对全部事项投票" in Message.objects.filter(kind="ballots.closing").first().text


def test_closing_publishes_the_result_to_the_electorate(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    ballot.refresh_from_db()
    services.close_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    assert told(ballot, "result") == ELECTORATE
    assert Message.objects.filter(kind="ballots.result").first().subject == "业主表决结果：1单元加装电梯"

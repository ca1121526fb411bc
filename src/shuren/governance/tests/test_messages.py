"""The governance list warns a claimant before their claim lapses and tells them when it lapsed,
through the outbox: in Chinese, once per lapse time, on the channels they chose."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shuren.governance import services
from shuren.governance.models import Claim
from shuren.notifications import kinds
from shuren.notifications.models import Message, Preference

pytestmark = pytest.mark.django_db


def told(kind: str) -> list[tuple[str, str]]:
    rows = Message.objects.filter(kind=f"governance.{kind}")
    return sorted(rows.values_list("recipient__username", "channel"))


@pytest.fixture
def member(gov_world):
    user = gov_world.users["party_member"]
    user.email = "zhang@example.com"
    user.save()
    return user


def test_the_kinds_are_registered_in_chinese():
    assert str(kinds.get("governance.lapsing").label) == "我认领的事项未报进展将失效"


def test_a_claimant_is_warned_once_per_lapse_time_and_again_after_progress(gov_world, member, capsys):
    item = gov_world.claimed()
    claim = item.claims.get()
    Claim.objects.filter(pk=claim.pk).update(lapses_at=timezone.now() + dt.timedelta(hours=30))
    call_command("governance", "lapse")
    assert "claimants warned: 1" in capsys.readouterr().out
    call_command("governance", "lapse")  # a second run tells nobody twice
    assert told("lapsing") == [("party_member", "email"), ("party_member", "inapp")]
    warning = Message.objects.get(kind="governance.lapsing", channel="inapp")
    assert warning.subject == "请报告进展：富丰新城电动车充电桩扩建"
    assert "前报告进展" in warning.text and warning.link == reverse("governance_portal:detail", args=[item.pk])
    assert set(warning.params) == {"title", "lapses"}
    # Progress moves the lapse time: the next warning is a new event.
    services.record_progress(actor=member, item=item, version=item.version, text="已联系物业")
    Claim.objects.filter(pk=claim.pk).update(lapses_at=timezone.now() + dt.timedelta(hours=20))
    services.warn_lapsing_claims()
    assert Message.objects.filter(kind="governance.lapsing", channel="inapp").count() == 2


def test_a_claim_that_lapses_tells_its_claimant_in_the_lapse_transaction(gov_world, member):
    Preference.objects.create(user=member, kind="governance.lapsed", channel="email", enabled=False)
    item = gov_world.claimed()
    later = timezone.now() + dt.timedelta(days=8)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.lapse_overdue_claims(later)
        raise RuntimeError("rolled back")
    assert told("lapsed") == []
    assert services.lapse_overdue_claims(later) == 1
    assert told("lapsed") == [("party_member", "inapp")]  # e-mail switched off
    lapsed = Message.objects.get(kind="governance.lapsed")
    assert lapsed.subject == "您的认领已失效：富丰新城电动车充电桩扩建"
    assert lapsed.event_key == f"claim:{item.claims.get().pk}:lapsed"

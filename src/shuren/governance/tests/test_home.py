"""The resident's home page warns a claimant whose claim lapses within two days unless they report
progress; a progress report moves the lapse time and the warning goes. Nobody else's claim shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.governance.models import Claim
from shuren.governance.selectors import LAPSE_WARNING, my_lapsing_claims
from shuren.governance.services import record_progress

pytestmark = pytest.mark.django_db


def test_a_claim_lapsing_within_two_days_waits_until_progress_is_reported(gov_world, client):
    world = gov_world
    item = world.claimed("party_member", title="1座楼道杂物清理")
    member = world.users["party_member"]
    claim = Claim.objects.get(item=item, status="active")
    # A week to go (the default lapse time): no warning yet.
    assert list(my_lapsing_claims(member)) == []
    assert list(my_lapsing_claims(member, at=claim.lapses_at - LAPSE_WARNING)) == [claim]
    assert list(my_lapsing_claims(member, at=claim.lapses_at)) == []  # lapsed: the lapse job's now

    Claim.objects.filter(pk=claim.pk).update(lapses_at=timezone.now() + dt.timedelta(hours=20))
    assert list(my_lapsing_claims(member)) == [claim]
    client.force_login(member)
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-claims"' in home and "1座楼道杂物清理" in home
    assert f'href="/my/governance/{item.pk}/"' in home

    record_progress(actor=member, item=item, version=item.version, text="已清走两车杂物")
    assert list(my_lapsing_claims(member)) == []
    assert 'data-testid="waiting-claims"' not in client.get("/me/").content.decode()


def test_only_the_claimants_own_claims_warn_them(gov_world):
    world = gov_world
    item = world.claimed("party_member")
    Claim.objects.filter(item=item).update(lapses_at=timezone.now() + dt.timedelta(hours=5))
    assert len(my_lapsing_claims(world.users["party_member"])) == 1
    for other in ("party_member2", "resident", "resident_b", "staff", "staff_b"):
        assert list(my_lapsing_claims(world.users[other])) == []

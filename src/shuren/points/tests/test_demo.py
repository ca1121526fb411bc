"""The demo's points: credits from the other demos, a catalogue from partner units, a collected and
a waiting redemption, points for the volunteer and the resident; re-running adds nothing."""

from __future__ import annotations

import pytest

from shuren.points.models import LedgerTransaction, Redemption, RedemptionStatus, Reward
from shuren.points.testing import assert_ledger_consistent
from shuren.synthetic.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_shows_points_rewards_and_redemptions_and_loads_once():
    load_demo()  # the story alone (the district around it: tests/test_demo.py)
    assert Reward.objects.filter(supplier__name="桂城供电服务中心").exists()
    assert Redemption.objects.filter(
        status=RedemptionStatus.PENDING, account__person__user__username="volunteer"
    ).exists()
    assert Redemption.objects.filter(status=RedemptionStatus.FULFILLED).exists()
    volunteer = Redemption.objects.filter(account__person__user__username="volunteer").first().account
    cheapest = Reward.objects.filter(community=volunteer.community).order_by("cost").first()
    assert volunteer.balance >= cheapest.cost
    assert LedgerTransaction.objects.filter(source_key__startswith="governance.verified:").exists()
    assert_ledger_consistent()
    counts = (LedgerTransaction.objects.count(), Redemption.objects.count(), Reward.objects.count())
    load_demo()
    assert (LedgerTransaction.objects.count(), Redemption.objects.count(), Reward.objects.count()) == counts

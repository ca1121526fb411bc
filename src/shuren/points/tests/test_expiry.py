"""Expiry is FIFO: spending consumes the earliest-expiring points first; what was spent never
expires; a day's expiry posts once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from shuren.points import services
from shuren.points.models import Account, AccountKind, LedgerTransaction, TransactionKind
from shuren.points.testing import assert_ledger_consistent, balance_of, give

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def spend(person, points):
    account = services.person_account(person)
    services.post(
        kind=TransactionKind.REDEMPTION,
        source_key=f"spend:{account.pk}:{points}:{account.balance}",
        lines=[services.Line(account, -points), services.Line(services.book(account.community, "redeemed"), points)],
        memo="兑换",
    )


def test_points_past_their_date_expire_to_the_expired_book(points_world):
    person = points_world.people["resident"]
    give(person, 30, expires_on=dt.date(2026, 2, 1))
    give(person, 20, expires_on=dt.date(2026, 6, 1))
    assert services.expire_points(TODAY) == {"accounts": 1, "points": 30}
    assert balance_of(person) == 20
    expired = Account.objects.get(community=points_world.tree["com_a"], kind=AccountKind.EXPIRED)
    assert expired.balance == 30
    account = services.person_account(person)
    assert LedgerTransaction.objects.filter(source_key=f"expiry:{account.pk}:{TODAY.isoformat()}").exists()
    assert_ledger_consistent()


def test_spending_consumes_the_earliest_expiring_points_first(points_world):
    person = points_world.people["resident"]
    give(person, 30, expires_on=dt.date(2026, 2, 1))
    give(person, 20, expires_on=dt.date(2026, 6, 1))
    spend(person, 25)  # 25 of the first 30
    assert services.expire_points(TODAY)["points"] == 5
    assert balance_of(person) == 20
    # The later lot expires in its turn; nothing expires twice.
    assert services.expire_points(dt.date(2026, 6, 2))["points"] == 20
    assert balance_of(person) == 0
    assert_ledger_consistent()


def test_points_spent_or_without_a_date_never_expire(points_world):
    person = points_world.people["resident"]
    give(person, 10, expires_on=dt.date(2026, 2, 1))
    give(person, 40)  # earned before the policy: no date
    spend(person, 10)
    assert services.expire_points(TODAY)["points"] == 0
    assert balance_of(person) == 40


def test_a_refund_gives_back_spending_before_expiry(points_world):
    person = points_world.people["resident"]
    give(person, 10, expires_on=dt.date(2026, 2, 1))
    reward = points_world.reward(cost=10)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=reward)
    services.cancel_redemption(actor=points_world.users["resident"], redemption=redemption)
    assert services.expire_points(TODAY)["points"] == 10
    assert balance_of(person) == 0


def test_running_twice_on_one_day_expires_once(points_world):
    person = points_world.people["resident"]
    give(person, 30, expires_on=dt.date(2026, 2, 1))
    call_command("points", "expire")  # today: nothing is due yet or all of it, either way once
    first = balance_of(person)
    call_command("points", "expire")
    assert balance_of(person) == first
    services.expire_points(TODAY)
    services.expire_points(TODAY)
    assert LedgerTransaction.objects.filter(kind=TransactionKind.EXPIRY).count() == 1
    assert_ledger_consistent()

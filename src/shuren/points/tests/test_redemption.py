"""Redeeming rewards: points leave at once, stock is never oversold, the per-person limit holds,
staff fulfil by collection code or cancel with a refund, residents cancel their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.points import selectors, services
from shuren.points.models import Account, AccountKind, RedemptionStatus, Reward, TransactionKind
from shuren.points.services import InsufficientPoints, LimitReached, NotOnOffer, OutOfStock
from shuren.points.testing import assert_ledger_consistent, balance_of, give

pytestmark = pytest.mark.django_db


def test_redeeming_debits_the_resident_and_pays_the_supplier(points_world):
    resident = points_world.people["resident"]
    give(resident, 25)
    reward = points_world.reward(cost=10, stock=3, supplier=points_world.partner)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=reward)
    assert redemption.status == RedemptionStatus.PENDING and len(redemption.pickup_code) == 6
    assert redemption.pickup_code.isdigit()
    assert balance_of(resident) == 15
    assert services.organization_account(points_world.partner).balance == 10
    assert Reward.objects.get(pk=reward.pk).stock == 2
    assert redemption.transaction.kind == TransactionKind.REDEMPTION
    assert_ledger_consistent()


def test_without_a_supplier_points_go_to_the_redeemed_book(points_world):
    give(points_world.people["resident"], 10)
    services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward(cost=10))
    assert Account.objects.get(community=points_world.tree["com_a"], kind=AccountKind.REDEEMED).balance == 10


def test_not_enough_points_no_stock_or_off_offer_redeem_nothing(points_world):
    user = points_world.users["resident"]
    give(points_world.people["resident"], 15)
    with pytest.raises(InsufficientPoints):
        services.redeem_reward(actor=user, reward=points_world.reward(cost=20))
    with pytest.raises(OutOfStock):
        services.redeem_reward(actor=user, reward=points_world.reward(stock=0))
    with pytest.raises(NotOnOffer):
        services.redeem_reward(actor=user, reward=points_world.reward(is_active=False))
    with pytest.raises(NotOnOffer):
        services.redeem_reward(actor=user, reward=points_world.reward(available_until=dt.date(2020, 1, 1)))
    assert balance_of(points_world.people["resident"]) == 15


def test_the_per_person_limit_holds(points_world):
    give(points_world.people["resident"], 100)
    reward = points_world.reward(per_person_limit=2)
    user = points_world.users["resident"]
    first = services.redeem_reward(actor=user, reward=reward)
    services.redeem_reward(actor=user, reward=reward)
    with pytest.raises(LimitReached):
        services.redeem_reward(actor=user, reward=reward)
    services.cancel_redemption(actor=user, redemption=first)  # a cancelled one no longer counts
    services.redeem_reward(actor=user, reward=reward)


def test_residents_redeem_only_in_their_own_community(points_world):
    give(points_world.people["resident_b"], 100)
    with pytest.raises(OutOfScope):
        services.redeem_reward(actor=points_world.users["resident_b"], reward=points_world.reward())
    with pytest.raises(NotPermitted):
        services.redeem_reward(actor=points_world.users["staff"], reward=points_world.reward())


def test_staff_fulfil_a_pending_redemption_once(points_world):
    give(points_world.people["resident"], 10)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    found = selectors.visible_redemptions(points_world.users["staff"], "points.manage").filter(
        pickup_code=redemption.pickup_code
    )
    assert list(found) == [redemption]
    services.fulfil_redemption(actor=points_world.users["staff"], redemption=redemption)
    assert redemption.status == RedemptionStatus.FULFILLED
    with pytest.raises(InvalidTransition):
        services.cancel_redemption(actor=points_world.users["staff"], redemption=redemption, reason="晚了")
    with pytest.raises(OutOfScope):
        services.fulfil_redemption(actor=points_world.users["staff_b"], redemption=redemption)


def test_staff_cancel_with_a_reason_refunds_and_restocks(points_world):
    resident = points_world.people["resident"]
    give(resident, 10)
    reward = points_world.reward(stock=1, supplier=points_world.partner)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=reward)
    with pytest.raises(ValidationError):
        services.cancel_redemption(actor=points_world.users["staff"], redemption=redemption, reason="")
    services.cancel_redemption(actor=points_world.users["staff"], redemption=redemption, reason="商品已下架")
    assert redemption.status == RedemptionStatus.CANCELLED and redemption.refund.kind == TransactionKind.REFUND
    assert redemption.refund.reverses == redemption.transaction
    assert balance_of(resident) == 10 and Reward.objects.get(pk=reward.pk).stock == 1
    assert services.organization_account(points_world.partner).balance == 0
    with pytest.raises(InvalidTransition):
        services.cancel_redemption(actor=points_world.users["staff"], redemption=redemption, reason="再次")
    assert balance_of(resident) == 10
    assert_ledger_consistent()


def test_a_resident_cancels_only_their_own_pending_redemption(points_world):
    give(points_world.people["resident"], 10)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    with pytest.raises((OutOfScope, NotPermitted)):
        services.cancel_redemption(actor=points_world.users["party_member"], redemption=redemption)
    services.cancel_redemption(actor=points_world.users["resident"], redemption=redemption)
    assert balance_of(points_world.people["resident"]) == 10


def test_editing_a_reward_after_a_redemption_needs_a_fresh_read(points_world):
    from shuren.core.errors import StaleVersion

    give(points_world.people["resident"], 10)
    reward = points_world.reward(stock=5)
    read_version = reward.version
    services.redeem_reward(actor=points_world.users["resident"], reward=reward)
    with pytest.raises(StaleVersion):
        services.edit_reward(actor=points_world.users["staff"], reward=reward, version=read_version, stock=5)
    fresh = Reward.objects.get(pk=reward.pk)
    services.edit_reward(actor=points_world.users["staff"], reward=fresh, version=fresh.version, stock=9)
    assert Reward.objects.get(pk=reward.pk).stock == 9


def test_the_overview_reconciles_with_the_ledger(points_world):
    give(points_world.people["resident"], 30)
    give(points_world.people["party_member"], 20)
    services.redeem_reward(
        actor=points_world.users["resident"], reward=points_world.reward(cost=10, supplier=points_world.partner)
    )
    services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward(cost=5, name="纸巾"))
    overview = selectors.overview(points_world.tree["com_a"])
    assert (overview.issued, overview.redeemed, overview.outstanding, overview.pending) == (50, 15, 35, 2)
    assert overview.reconciles

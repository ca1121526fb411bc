"""Test helpers of the points ledger (used by ``points/tests`` and the browser tests).

``points_world`` is the governance fixture world (community A's estate 富丰新城, staff, party
members, a volunteer, the resident 林小梅, the property manager, a resident of community B) plus a
system administrator, a partner unit that supplies rewards, and helpers to credit people and to
check the ledger's invariants.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db.models import Sum

from shuren.accounts.roles import Role
from shuren.governance.testing import GovernanceWorld
from shuren.orgs.models import Organization, OrganizationKind

from .models import Account, AccountKind, LedgerEntry, LedgerTransaction, Reward, TransactionKind

_keys = itertools.count(1)


def give(person: Any, points: int, *, on: dt.date | None = None, expires_on: dt.date | None = None) -> Any:
    """Credit ``points`` to ``person`` from their community's issued book (a test credit)."""
    from .services import Line, book, person_account, post

    account = person_account(person)
    txn, _created = post(
        kind=TransactionKind.CREDIT,
        source_key=f"test.credit:{next(_keys)}:{account.pk}",
        lines=[Line(account, points, expires_on), Line(book(account.community, AccountKind.ISSUED), -points)],
        memo="测试积分",
        occurred_on=on,
        scope=account.scope,
    )
    return txn


def balance_of(person: Any) -> int:
    account = Account.objects.filter(person=person).first()
    return account.balance if account else 0


def assert_ledger_consistent() -> None:
    """Every transaction sums to zero, the whole ledger sums to zero, no account but an issued
    book is below zero, and every stored balance is the sum of its entries (and the last
    balance_after)."""
    unbalanced = (
        LedgerEntry.objects.values("transaction")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("transaction", flat=True)
    )
    assert list(unbalanced) == []
    assert (LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] or 0) == 0
    assert not Account.objects.filter(balance__lt=0).exclude(kind=AccountKind.ISSUED).exists()
    for account in Account.objects.all():
        total = account.entries.aggregate(total=Sum("amount"))["total"] or 0
        assert account.balance == total, (account, account.balance, total)
        last = account.entries.order_by("-created_at", "-pk").first()
        if last is not None:
            assert last.balance_after == account.balance, account
    assert LedgerTransaction.objects.count() >= 0


class PointsWorld(GovernanceWorld):
    pass


@pytest.fixture
def points_world(gov_world: GovernanceWorld, make_user: Any) -> GovernanceWorld:
    world = gov_world
    world.users["sysadmin"] = make_user(Role.SYSTEM_ADMIN, None, username="pts_sysadmin")
    world.users["subdistrict"] = make_user(Role.SUBDISTRICT_STAFF, world.tree["sub_a"], username="pts_sub")
    world.partner = Organization.objects.create(  # type: ignore[attr-defined]  # the world grows per app
        kind=OrganizationKind.MEMBER_UNIT, name="大新超市", area=world.tree["com_a"]
    )

    def reward(**kwargs: Any) -> Reward:
        kwargs.setdefault("community", world.tree["com_a"])
        kwargs.setdefault("name", "环保购物袋")
        kwargs.setdefault("cost", 10)
        kwargs.setdefault("stock", 5)
        kwargs.setdefault("pickup", "大新社区党群服务中心")
        return Reward.objects.create(**kwargs)

    world.reward = reward  # type: ignore[attr-defined]  # the world grows per app
    return world

"""The ledger's invariants: balanced, append-only transactions; no negative balance; balances that
are the sum of their entries; one effect per source key; reversals at most once."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.points import services
from shuren.points.models import Account, AccountKind, LedgerEntry, LedgerTransaction, TransactionKind
from shuren.points.services import InsufficientPoints, Line, UnbalancedTransaction
from shuren.points.testing import assert_ledger_consistent, balance_of, give

pytestmark = pytest.mark.django_db


def test_a_credit_moves_points_from_the_issued_book_and_is_audited(points_world):
    person = points_world.people["resident"]
    txn = give(person, 30)
    issued = Account.objects.get(community=points_world.tree["com_a"], kind=AccountKind.ISSUED)
    assert balance_of(person) == 30 and issued.balance == -30
    assert sorted(txn.entries.values_list("amount", "balance_after")) == [(-30, -30), (30, 30)]
    assert AuditEvent.objects.filter(action="points.credit", object_id=str(txn.pk)).exists()
    assert_ledger_consistent()


def test_unbalanced_transactions_are_refused(points_world):
    account = services.person_account(points_world.people["resident"])
    with pytest.raises(UnbalancedTransaction):
        services.post(kind="credit", source_key="x:1", lines=[Line(account, 5)], memo="坏")
    assert not LedgerTransaction.objects.filter(source_key="x:1").exists()


def test_no_posting_drives_a_person_below_zero(points_world):
    person = points_world.people["resident"]
    give(person, 5)
    account = services.person_account(person)
    redeemed = services.book(account.community, AccountKind.REDEEMED)
    with pytest.raises(InsufficientPoints):
        services.post(kind="adjustment", source_key="x:2", lines=[Line(account, -6), Line(redeemed, 6)], memo="超")
    assert balance_of(person) == 5
    assert not LedgerTransaction.objects.filter(source_key="x:2").exists()
    assert_ledger_consistent()


def test_the_database_refuses_a_negative_balance_even_past_the_service(points_world):
    account = services.person_account(points_world.people["resident"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(balance=-1)


def test_the_same_source_key_posts_once(points_world):
    account = services.person_account(points_world.people["resident"])
    issued = services.book(account.community, AccountKind.ISSUED)
    lines = [Line(account, 7), Line(issued, -7)]
    first, created = services.post(kind="credit", source_key="once:1", lines=lines, memo="一次")
    again, created_again = services.post(kind="credit", source_key="once:1", lines=lines, memo="一次")
    assert (created, created_again) == (True, False) and first.pk == again.pk
    assert balance_of(points_world.people["resident"]) == 7
    assert LedgerEntry.objects.filter(transaction__source_key="once:1").count() == 2


@pytest.mark.parametrize("statement", ["UPDATE points_ledgerentry SET amount = 1", "DELETE FROM points_ledgerentry"])
def test_ledger_entries_are_append_only(points_world, statement):
    give(points_world.people["resident"], 3)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert LedgerEntry.objects.count() == 2


@pytest.mark.parametrize(
    "statement", ["UPDATE points_ledgertransaction SET memo = 'x'", "DELETE FROM points_ledgertransaction"]
)
def test_ledger_transactions_are_append_only(points_world, statement):
    give(points_world.people["resident"], 3)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert LedgerTransaction.objects.count() == 1


def test_staff_reverse_a_credit_once_with_mirror_entries(points_world):
    person = points_world.people["resident"]
    txn = give(person, 20)
    reversal = services.reverse_transaction(actor=points_world.users["staff"], txn=txn, reason="重复登记")
    assert reversal.kind == TransactionKind.REVERSAL and reversal.reverses == txn
    assert sorted(reversal.entries.values_list("amount", flat=True)) == [-20, 20]
    assert balance_of(person) == 0
    with pytest.raises(InvalidTransition):
        services.reverse_transaction(actor=points_world.users["staff"], txn=txn, reason="再来一次")
    assert_ledger_consistent()


def test_a_reversal_that_would_overdraw_is_refused(points_world):
    person = points_world.people["resident"]
    txn = give(person, 20)
    account = services.person_account(person)
    services.post(
        kind="redemption",
        source_key="spend:1",
        lines=[Line(account, -15), Line(services.book(account.community, AccountKind.REDEEMED), 15)],
        memo="兑换",
    )
    with pytest.raises(InsufficientPoints):
        services.reverse_transaction(actor=points_world.users["staff"], txn=txn, reason="错发")
    assert not LedgerTransaction.objects.filter(reverses=txn).exists()
    assert balance_of(person) == 5


def test_reversals_are_for_staff_of_the_community(points_world):
    txn = give(points_world.people["resident"], 20)
    with pytest.raises(OutOfScope):
        services.reverse_transaction(actor=points_world.users["staff_b"], txn=txn, reason="越权")
    with pytest.raises(NotPermitted):
        services.reverse_transaction(actor=points_world.users["subdistrict"], txn=txn, reason="越权")


def test_staff_adjust_points_up_and_down_with_a_reason(points_world):
    person = points_world.people["resident"]
    account = services.person_account(person)
    staff = points_world.users["staff"]
    services.adjust_points(actor=staff, account=account, points=12, reason="补录活动积分")
    services.adjust_points(actor=staff, account=account, points=-2, reason="多记")
    assert balance_of(person) == 10
    with pytest.raises(InsufficientPoints):
        services.adjust_points(actor=staff, account=account, points=-11, reason="超额")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.adjust_points(actor=staff, account=account, points=5, reason="  ")
    assert_ledger_consistent()


def test_accounts_open_in_the_holders_community(points_world):
    account = services.person_account(points_world.people["resident_b"])
    assert account.community == points_world.tree["com_b"] and account.scope == points_world.tree["com_b"].path
    org = services.organization_account(points_world.partner)
    assert org.kind == AccountKind.ORGANIZATION and org.community == points_world.tree["com_a"]
    assert services.person_account(points_world.people["resident_b"]).pk == account.pk

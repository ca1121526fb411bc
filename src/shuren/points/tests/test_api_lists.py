"""The big lists of the points API (statements, accounts) are built from values, without DRF's
per-field machinery: their rows must be exactly what the documented serializers give, and a page
costs the same number of queries however many rows it holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from shuren.points import selectors, services
from shuren.points.api.serializers import (
    PointsAccountSerializer,
    PointsEntrySerializer,
    account_items,
    entry_items,
)
from shuren.points.models import Account, LedgerEntry, TransactionKind
from shuren.points.testing import give

pytestmark = pytest.mark.django_db


def a_varied_ledger(world):
    """Every kind of transaction but expiry, entries with and without an expiry date, and accounts
    of a person, an organisation and the community's books."""
    resident, staff = world.users["resident"], world.users["staff"]
    give(world.people["resident"], 40, expires_on=dt.date.today() + dt.timedelta(days=365))
    give(world.people["party_member"], 5)
    services.cancel_redemption(
        actor=resident, redemption=services.redeem_reward(actor=resident, reward=world.reward()), reason="不要了"
    )
    services.redeem_reward(actor=resident, reward=world.reward(name="毛巾"))
    unit = services.organization_account(world.partner)
    adjusted = services.adjust_points(actor=staff, account=unit, points=12, reason="补录")
    services.reverse_transaction(actor=staff, txn=adjusted, reason="录错了")
    services.adjust_points(actor=staff, account=unit, points=3, reason="再补录")
    return unit


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_statement_rows_built_from_values_equal_the_documented_serializer(points_world, language):
    a_varied_ledger(points_world)
    entries = list(LedgerEntry.objects.select_related("transaction").order_by("-created_at", "-pk"))
    kinds = {entry.transaction.kind for entry in entries}
    assert kinds >= set(TransactionKind.values) - {TransactionKind.EXPIRY}
    assert {entry.expires_on is None for entry in entries} == {True, False}
    with translation.override(language):
        documented = PointsEntrySerializer(entries, many=True).data
        fast = entry_items(selectors.entry_rows_of([entry.pk for entry in entries]))
    assert [dict(row) for row in documented] == fast


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_account_rows_built_from_values_equal_the_documented_serializer(points_world, language):
    a_varied_ledger(points_world)
    accounts = list(Account.objects.select_related("person", "organization", "community").order_by("pk"))
    assert {account.kind for account in accounts} >= {"person", "organization", "issued", "redeemed"}
    with translation.override(language):
        documented = PointsAccountSerializer(accounts, many=True).data
        fast = account_items(selectors.account_rows_of([account.pk for account in accounts]))
    assert [dict(row) for row in documented] == fast


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()["results"]


@pytest.mark.parametrize("who", ["staff", "resident"])
def test_a_statement_page_costs_the_same_queries_for_one_entry_or_many(points_world, verified_client, who):
    client = verified_client(points_world.users[who])
    give(points_world.people["resident"], 5)
    account = services.person_account(points_world.people["resident"])
    if who == "staff":
        url = reverse("api:points-account-statement", args=[account.pk])
    else:
        url = reverse("api:points-my-statement")
    few, rows = queries_of(client, url)
    assert len(rows) == 1
    for _ in range(6):
        give(points_world.people["resident"], 5)
    services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    many, rows = queries_of(client, url)
    assert len(rows) == 8 and many == few


def test_the_account_list_costs_the_same_queries_for_one_account_or_many(points_world, verified_client):
    staff = verified_client(points_world.users["staff"])
    give(points_world.people["resident"], 5)
    url = reverse("api:points-account-list")
    few, rows = queries_of(staff, url)
    assert len(rows) == 1
    a_varied_ledger(points_world)
    many, rows = queries_of(staff, url)
    assert len(rows) >= 3 and {row["kind"] for row in rows} == {"person", "organization"}
    assert many == few

"""Points under real concurrency (PostgreSQL, real threads, one connection each): simultaneous
redemptions never overdraw an account nor oversell the stock, one Idempotency-Key replayed at once
has one effect, and one source event posted from many threads credits once."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client

from shuren.accounts.models import User
from shuren.accounts.roles import Role
from shuren.accounts.services import issue_api_token
from shuren.core.testing import run_at_once
from shuren.people.models import Person
from shuren.points import services
from shuren.points.models import AccountKind, LedgerEntry, LedgerTransaction, Redemption, Reward
from shuren.points.services import InsufficientPoints, LimitReached, OutOfStock
from shuren.points.testing import assert_ledger_consistent, balance_of, give

pytestmark = [pytest.mark.postgres_only, pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def redeem_job(username: str, reward_pk: int) -> Callable[[Callable[[], Any]], str]:
    def attempt(start: Callable[[], Any]) -> str:
        user = User.objects.get(username=username)
        reward = Reward.objects.get(pk=reward_pk)
        start()
        try:
            services.redeem_reward(actor=user, reward=reward)
        except InsufficientPoints:
            return "insufficient"
        except OutOfStock:
            return "out-of-stock"
        except LimitReached:
            return "limit"
        return "redeemed"

    return attempt


def test_forty_redemptions_against_a_hundred_points_give_exactly_ten(points_world):
    person = points_world.people["resident"]
    give(person, 100)
    reward = points_world.reward(cost=10, stock=40, supplier=points_world.partner)
    outcomes = run_at_once([redeem_job("resident", reward.pk) for _ in range(40)])
    assert outcomes.count("redeemed") == 10, outcomes
    assert set(outcomes) == {"redeemed", "insufficient"}
    reward.refresh_from_db()
    account = services.person_account(person)
    assert balance_of(person) == 0
    assert reward.stock == 30 == 40 - Redemption.objects.filter(reward=reward).count()
    spent = LedgerEntry.objects.filter(account=account, transaction__kind="redemption").aggregate(s=Sum("amount"))
    assert spent["s"] == -100
    assert services.organization_account(points_world.partner).balance == 100
    assert_ledger_consistent()


def test_many_residents_racing_for_the_last_items_never_oversell(points_world, make_user):
    reward = points_world.reward(cost=5, stock=5, per_person_limit=1)
    names = []
    for n in range(20):
        user = make_user(Role.RESIDENT, points_world.tree["grid_a1"], username=f"racer{n}")
        person = Person.objects.create(community=points_world.tree["com_a"], name=f"居民{n}", user=user)
        give(person, 10)
        names.append(user.username)
    outcomes = run_at_once([redeem_job(name, reward.pk) for name in names] + [redeem_job(names[0], reward.pk)])
    assert outcomes.count("redeemed") == 5, outcomes
    reward.refresh_from_db()
    assert reward.stock == 0 and Redemption.objects.filter(reward=reward).count() == 5
    assert Redemption.objects.filter(reward=reward, account__person__user__username=names[0]).count() <= 1
    assert_ledger_consistent()


def test_twenty_replays_of_one_idempotency_key_redeem_once(points_world):
    person = points_world.people["resident"]
    give(person, 100)
    reward = points_world.reward(cost=10, stock=40)
    token = issue_api_token(user=points_world.users["resident"], name="test")[1]
    url = f"/api/v1/points/rewards/{reward.pk}/redeem/"

    def replay(start: Callable[[], Any]) -> int:
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        start()
        response = client.post(url, data=json.dumps({}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="once")
        return response.status_code

    statuses = run_at_once([replay for _ in range(20)])
    assert 201 in statuses and set(statuses) <= {201, 409}, statuses
    assert Redemption.objects.count() == 1
    assert LedgerTransaction.objects.filter(kind="redemption").count() == 1
    assert balance_of(person) == 90
    assert Reward.objects.get(pk=reward.pk).stock == 39
    assert_ledger_consistent()


def test_one_source_key_posted_from_many_threads_credits_once(points_world):
    account = services.person_account(points_world.people["volunteer"])
    issued = services.book(account.community, AccountKind.ISSUED)

    def credit(start: Callable[[], Any]) -> bool:
        start()
        _txn, created = services.post(
            kind="credit",
            source_key="volunteering.record:424242",
            lines=[services.Line(account, 15), services.Line(issued, -15)],
            memo="志愿服务",
        )
        return created

    created = run_at_once([credit for _ in range(16)])
    assert created.count(True) == 1
    assert balance_of(points_world.people["volunteer"]) == 15
    assert LedgerTransaction.objects.filter(source_key="volunteering.record:424242").count() == 1
    assert_ledger_consistent()


def test_confirming_the_same_service_record_twice_credits_once(points_world):
    """The signal for one record delivered twice at the same moment (e.g. a retry and the sweep)."""
    import datetime as dt

    from django.utils import timezone

    from shuren.volunteering.models import ServiceRecord

    record = ServiceRecord.objects.create(
        person=points_world.people["volunteer"],
        served_on=dt.date(2025, 5, 10),
        minutes=120,
        confirmed_by=points_world.users["staff"],
        confirmed_at=timezone.now(),
        scope=points_world.tree["com_a"].path,
    )

    def deliver(start: Callable[[], Any]) -> None:
        fresh = ServiceRecord.objects.get(pk=record.pk)
        start()
        services.credit_service_record(fresh)

    run_at_once([deliver for _ in range(8)] + [lambda start: (start(), services.sweep())[1]])
    assert balance_of(points_world.people["volunteer"]) == 20
    assert LedgerTransaction.objects.filter(source_key=f"volunteering.record:{record.pk}").count() == 1
    assert_ledger_consistent()


def test_accounts_opened_at_the_same_moment_are_one_account(points_world):
    person_pk = points_world.people["party_member2"].pk

    def open_account(start: Callable[[], Any]) -> int:
        person = Person.objects.get(pk=person_pk)
        start()
        return services.person_account(person).pk

    assert len(set(run_at_once([open_account for _ in range(10)]))) == 1


def test_organisers_confirming_the_same_hours_at_once_credit_the_volunteer_once(vol_world):
    """End to end: six organisers confirm one sign-up's 90 minutes at the same moment; the volunteer
    gets one service record and one credit of 15 points (the seeded rule: 10 points an hour)."""
    from shuren.volunteering import services as volunteering
    from shuren.volunteering.models import Activity, ServiceRecord, SignUp

    activity = vol_world.activity()
    signup = volunteering.sign_up(actor=vol_world.volunteer("served"), activity=activity)
    Activity.objects.filter(pk=activity.pk).update(status="finished")

    def confirming(username: str) -> Callable[[Callable[[], Any]], int]:
        def job(start: Callable[[], Any]) -> int:
            user = User.objects.get(username=username)
            fresh = SignUp.objects.select_related("activity").get(pk=signup.pk)
            start()
            return volunteering.confirm_hours(actor=user, signup=fresh, minutes=90).pk

        return job

    records = run_at_once([confirming(name) for name in ("vol_staff", "vol_secretary") * 3])
    assert len(set(records)) == 1 == ServiceRecord.objects.filter(signup=signup).count()
    assert balance_of(vol_world.people["served"]) == 15
    assert LedgerTransaction.objects.filter(source_key=f"volunteering.record:{records[0]}").count() == 1
    assert_ledger_consistent()

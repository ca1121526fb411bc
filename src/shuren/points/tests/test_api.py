"""The points API: my account and statement, redeeming with an Idempotency-Key (a replay redeems
once), staff fulfilling and cancelling, adjustments and reversals, rules, rewards, leaderboard;
every mutating POST refuses a request without a key."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.points import services
from shuren.points.models import Redemption, RedemptionStatus, Reward, Rule
from shuren.points.testing import balance_of, give

pytestmark = pytest.mark.django_db


def post(client, url, data=None, key="k-1", **extra):
    return client.post(url, data or {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def test_my_account_and_statement(points_world, verified_client):
    give(points_world.people["resident"], 25)
    client = verified_client(points_world.users["resident"])
    me = client.get(reverse("api:points-me")).json()
    assert me["balance"] == 25 and me["kind"] == "person"
    rows = client.get(reverse("api:points-my-statement")).json()["results"]
    assert [(r["amount"], r["balance_after"], r["kind"]) for r in rows] == [(25, 25, "credit")]


def test_redeeming_needs_a_key_and_a_replay_redeems_once(points_world, verified_client):
    give(points_world.people["resident"], 30)
    reward = points_world.reward(cost=10)
    client = verified_client(points_world.users["resident"])
    url = reverse("api:points-reward-redeem", args=[reward.pk])
    assert client.post(url, {}, content_type="application/json").status_code == 400
    first = post(client, url, key="redeem-1")
    again = post(client, url, key="redeem-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert len(first.json()["pickup_code"]) == 6
    assert Redemption.objects.count() == 1 and balance_of(points_world.people["resident"]) == 20


def test_redeeming_without_points_is_a_409_problem(points_world, verified_client):
    reward = points_world.reward(cost=10)
    client = verified_client(points_world.users["resident"])
    response = post(client, reverse("api:points-reward-redeem", args=[reward.pk]))
    assert response.status_code == 409 and response.json()["type"].endswith("insufficient-points")


def test_residents_list_their_catalogue_and_cancel_their_own(points_world, verified_client):
    give(points_world.people["resident"], 10)
    reward = points_world.reward()
    points_world.reward(community=points_world.tree["com_b"], name="别处的奖品")
    client = verified_client(points_world.users["resident"])
    names = [r["name"] for r in client.get(reverse("api:points-reward-list")).json()]
    assert names == [reward.name]
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=reward)
    mine = client.get(reverse("api:points-redemption-list")).json()["results"]
    assert [r["id"] for r in mine] == [redemption.pk]
    cancelled = post(client, reverse("api:points-redemption-cancel", args=[redemption.pk]), {"reason": ""})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == RedemptionStatus.CANCELLED
    assert balance_of(points_world.people["resident"]) == 10


def test_staff_find_by_code_and_fulfil(points_world, verified_client):
    give(points_world.people["resident"], 10)
    redemption = services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward())
    client = verified_client(points_world.users["staff"])
    found = client.get(reverse("api:points-redemption-list"), {"code": redemption.pickup_code}).json()["results"]
    assert [r["id"] for r in found] == [redemption.pk]
    done = post(client, reverse("api:points-redemption-fulfil", args=[redemption.pk]))
    assert done.status_code == 200 and done.json()["status"] == RedemptionStatus.FULFILLED
    again = post(client, reverse("api:points-redemption-fulfil", args=[redemption.pk]), key="k-2")
    assert again.status_code == 409


def test_staff_create_and_update_rewards(points_world, verified_client):
    client = verified_client(points_world.users["staff"])
    created = post(
        client,
        reverse("api:points-reward-list"),
        {
            "community": points_world.tree["com_a"].pk,
            "name": "理发券",
            "cost": 30,
            "stock": 10,
            "supplier": points_world.partner.pk,
        },
    )
    assert created.status_code == 201, created.json()
    reward = Reward.objects.get(pk=created.json()["id"])
    url = reverse("api:points-reward-detail", args=[reward.pk])
    assert client.patch(url, {"stock": 12}, content_type="application/json").status_code == 428
    updated = client.patch(url, {"stock": 12}, content_type="application/json", HTTP_IF_MATCH=created["ETag"])
    assert updated.status_code == 200 and updated.json()["stock"] == 12
    stale = client.patch(url, {"stock": 1}, content_type="application/json", HTTP_IF_MATCH=created["ETag"])
    assert stale.status_code == 412
    assert verified_client(points_world.users["staff_b"]).get(url).status_code == 404


def test_adjustments_and_reversals(points_world, verified_client):
    account = services.person_account(points_world.people["resident"])
    client = verified_client(points_world.users["staff"])
    url = reverse("api:points-account-adjust", args=[account.pk])
    assert client.post(url, {"points": 5, "reason": "x"}, content_type="application/json").status_code == 400
    adjusted = post(client, url, {"points": 8, "reason": "补录"})
    assert adjusted.status_code == 201 and balance_of(points_world.people["resident"]) == 8
    reversal = post(
        client, reverse("api:points-transaction-reverse", args=[adjusted.json()["id"]]), {"reason": "错"}, key="k-2"
    )
    assert reversal.status_code == 201 and reversal.json()["reverses"] == adjusted.json()["id"]
    assert balance_of(points_world.people["resident"]) == 0
    statement = client.get(reverse("api:points-account-statement", args=[account.pk])).json()["results"]
    assert len(statement) == 2
    outsider = verified_client(points_world.users["staff_b"])
    assert post(outsider, url, {"points": 8, "reason": "越权"}, key="k-9").status_code == 404


def test_rules_are_read_by_all_and_written_by_the_administrator(points_world, verified_client):
    staff = verified_client(points_world.users["staff"])
    assert {r["event"] for r in staff.get(reverse("api:points-rules-in-force")).json()} >= {"service_hour"}
    assert staff.get(reverse("api:points-rule-list")).status_code == 403
    body = {
        "name": "大新会议积分",
        "event": "meeting_attendance",
        "community": points_world.tree["com_a"].pk,
        "points": 8,
        "valid_from": "2025-01-01",
    }
    assert post(staff, reverse("api:points-rule-list"), body).status_code == 403
    admin = verified_client(points_world.users["sysadmin"])
    created = post(admin, reverse("api:points-rule-list"), body, key="rule-1")
    assert created.status_code == 201
    url = reverse("api:points-rule-detail", args=[created.json()["id"]])
    changed = admin.put(url, {**body, "points": 9, "version": 1}, content_type="application/json")
    assert changed.status_code == 200 and Rule.objects.get(pk=created.json()["id"]).points == 9


def test_the_leaderboard_masks_names_for_residents(points_world, verified_client):
    give(points_world.people["party_member"], 30)
    give(points_world.people["resident"], 10)
    rows = verified_client(points_world.users["resident"]).get(reverse("api:points-leaderboard")).json()
    assert [(r["rank"], r["name"], r["is_me"]) for r in rows] == [(1, "张**", False), (2, "林**", True)]
    staff_rows = verified_client(points_world.users["staff"]).get(reverse("api:points-leaderboard")).json()
    assert staff_rows[0]["name"] == "张天宝"


def test_rules_in_force_show_only_the_callers_communities(points_world, verified_client):
    import datetime as dt

    Rule.objects.create(
        name="金旗峰会议积分",
        event="meeting_attendance",
        community=points_world.tree["com_b"],
        points=9,
        valid_from=dt.date(2025, 1, 1),
    )
    Rule.objects.create(
        name="大新会议积分",
        event="meeting_attendance",
        community=points_world.tree["com_a"],
        points=7,
        valid_from=dt.date(2025, 1, 1),
    )
    names = {
        r["name"]
        for r in verified_client(points_world.users["resident"]).get(reverse("api:points-rules-in-force")).json()
    }
    assert "大新会议积分" in names and "金旗峰会议积分" not in names


def test_a_supplier_of_another_community_answers_like_one_that_does_not_exist(points_world, verified_client):
    """A reward's supplier is an id in the body: one elsewhere is "no such organisation", exactly as
    a missing one, so staff learn nothing of other communities' organisations (nor their names)."""
    from shuren.orgs.models import Organization

    elsewhere = Organization.objects.create(
        kind=points_world.partner.kind,
        name="金旗峰物业服务中心",
        area=points_world.tree["com_b"],
    )
    client = verified_client(points_world.users["staff"])
    body = {"community": points_world.tree["com_a"].pk, "name": "理发券", "cost": 30, "stock": 10}
    answers = []
    for key, supplier in (("k-other", elsewhere.pk), ("k-none", elsewhere.pk + 1000)):
        response = post(client, reverse("api:points-reward-list"), {**body, "supplier": supplier}, key=key)
        assert response.status_code == 400
        assert "金旗峰" not in response.content.decode()
        answers.append(response.json()["errors"])
    assert answers[0] == answers[1]
    assert not Reward.objects.filter(name="理发券").exists()

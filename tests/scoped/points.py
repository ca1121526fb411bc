"""Scoping-matrix objects for the points routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.scoped_objects import Factory, World, _community


def _person(world: World, side: str) -> Any:
    from shuren.people.models import Person

    community = _community(world, side)
    person, _created = Person.objects.get_or_create(community=community, name=f"{community.name}积分居民")
    return person


def account(world: World, side: str) -> tuple[dict[str, Any], str]:
    """The points account of a resident of the side's community, with one credit on it."""
    from shuren.points.models import LedgerTransaction
    from shuren.points.testing import give

    person = _person(world, side)
    if not LedgerTransaction.objects.filter(scope=person.community.path, kind="credit").exists():
        give(person, 50)
    obj = person.points_account
    return {"pk": obj.pk}, obj.scope


def transaction(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.points.models import LedgerTransaction

    kwargs, scope = account(world, side)
    txn = LedgerTransaction.objects.filter(kind="credit", entries__account_id=kwargs["pk"]).first()
    return {"pk": txn.pk}, scope


def reward(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.points.models import Reward

    community = _community(world, side)
    obj, _created = Reward.objects.get_or_create(
        community=community, name=f"{community.name}环保袋", defaults={"cost": 5, "stock": 100}
    )
    return {"pk": obj.pk}, obj.scope


def redemption(world: World, side: str) -> tuple[dict[str, Any], str]:
    """A pending redemption of the side's reward by the side's resident."""
    from shuren.points.models import Redemption
    from shuren.points.services import Line, book, post

    reward_kwargs, scope = reward(world, side)
    account_kwargs, _scope = account(world, side)
    obj = Redemption.objects.filter(reward_id=reward_kwargs["pk"], status="pending").first()
    if obj is None:
        from shuren.points.models import Account, Reward

        holder = Account.objects.get(pk=account_kwargs["pk"])
        prize = Reward.objects.get(pk=reward_kwargs["pk"])
        txn, _created = post(
            kind="redemption",
            source_key=f"matrix.redemption:{side}:{prize.pk}",
            lines=[Line(holder, -5), Line(book(holder.community, "redeemed"), 5)],
            memo=prize.name,
            scope=holder.scope,
        )
        obj = Redemption.objects.create(
            reward=prize, account=holder, cost=5, transaction=txn, redeemed_by=world[f"member_{side}"], scope=scope
        )
    return {"pk": obj.pk}, obj.scope


def rule(world: World, side: str) -> tuple[dict[str, Any], str]:
    from shuren.points.models import Rule

    community = _community(world, side)
    obj, _created = Rule.objects.get_or_create(
        community=community,
        event="service_hour",
        name=f"{community.name}志愿服务积分",
        defaults={"points": 12, "valid_from": dt.date(2025, 1, 1)},
    )
    return {"pk": obj.pk}, community.path


def community(world: World, side: str) -> tuple[dict[str, Any], str]:
    obj = _community(world, side)
    return {"pk": obj.pk}, obj.path


ROUTES: dict[str, Factory] = {
    "points:account_detail": account,
    "points:account_export": account,
    "points:account_adjust": account,
    "points:transaction_reverse": transaction,
    "points:reward_edit": reward,
    "points:redemption_fulfil": redemption,
    "points:redemption_cancel": redemption,
    "points:rule_edit": rule,
    "points:rule_toggle": rule,
    "points:policy_edit": community,
    "points_portal:redeem": reward,
    "points_portal:redemption": redemption,
    "points_portal:redemption_cancel": redemption,
    "api:points-account-statement": account,
    "api:points-account-adjust": account,
    "api:points-transaction-reverse": transaction,
    "api:points-rule-detail": rule,
    "api:points-reward-detail": reward,
    "api:points-reward-redeem": reward,
    "api:points-redemption-fulfil": redemption,
    "api:points-redemption-cancel": redemption,
}


# --- ids in request bodies ------------------------------------------------------------------------
# Community A's staff member adds or edits a reward naming a community or a supplier of A (the
# control: accepted) or of B / Z (refused as not found, nothing written). Rules are configured by
# system-wide roles only, so they have no body-id case here.


def _body_cases(world: World) -> list[Any]:
    from django.urls import reverse

    from shuren.points.models import Reward
    from tests.scoped.governance import post_json
    from tests.scoped_objects import BodyCase, organization

    rewards = reverse("api:points-reward-list")

    def in_community(client: Any, side: str) -> Any:
        body = {"community": _community(world, side).pk, "name": "环保购物袋", "cost": 5, "stock": 10}
        return post_json(client, rewards, body)

    def from_supplier(client: Any, side: str) -> Any:
        body = {"community": _community(world, "a").pk, "name": "理发券", "cost": 20, "stock": 10}
        return post_json(client, rewards, {**body, "supplier": organization(world, side)[0]["pk"]})

    def edit_supplier(client: Any, side: str) -> Any:
        obj = Reward.objects.get(pk=reward(world, "a")[0]["pk"])
        body = {"name": obj.name, "cost": obj.cost, "stock": obj.stock, "version": obj.version}
        return client.patch(
            reverse("api:points-reward-detail", kwargs={"pk": obj.pk}),
            data={**body, "supplier": organization(world, side)[0]["pk"]},
            content_type="application/json",
        )

    return [
        BodyCase("points: reward of a community", in_community, Reward.objects.count),
        BodyCase("points: reward from a supplier", from_supplier, Reward.objects.count),
        BodyCase(
            "points: reward's supplier changed",
            edit_supplier,
            Reward.objects.filter(supplier__isnull=False, name__endswith="环保袋").count,
        ),
    ]


BODY_IDS = [_body_cases]

"""Several people claiming the same item at the same moment, in real threads on PostgreSQL: the
partial unique index (one active claim per item) lets exactly one through; the others are told who
holds it and leave no trace (no claim, no timeline row, no audit record)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.audit.models import AuditEvent
from shuren.core.errors import StaleVersion
from shuren.core.testing import run_at_once
from shuren.governance import services
from shuren.governance.models import Claim, ClaimStatus, GovernanceItem, ItemStatus, UpdateKind
from shuren.governance.services import AlreadyClaimed

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 6


def race(item_pk: int, attempts: list[tuple[str, dict[str, Any]]]) -> dict[str, str]:
    """Each (username, claim kwargs) in its own thread and connection: every thread reads the item
    (as each person's page did), then all claim at once. Returns username -> outcome."""

    def job(username: str, kwargs: dict[str, Any]) -> Callable[[Callable[[], Any]], str]:
        def attempt(start: Callable[[], Any]) -> str:
            user = User.objects.get(username=username)
            item = GovernanceItem.objects.select_related("area", "area__parent").get(pk=item_pk)
            start()
            try:
                services.claim_item(actor=user, item=item, version=item.version, **kwargs)
            except AlreadyClaimed as exc:
                return "already:" + str(exc.extra.get("holder", ""))
            except StaleVersion:
                return "stale"
            return "claimed"

        return attempt

    outcomes = run_at_once([job(username, kwargs) for username, kwargs in attempts])
    return dict(zip([username for username, _kwargs in attempts], outcomes, strict=True))


def test_two_people_cannot_hold_the_same_claim(gov_world):
    winners = set()
    for n in range(ROUNDS):
        item = gov_world.item(title=f"楼道杂物清理 {n}")
        outcomes = race(item.pk, [("party_member", {}), ("volunteer", {})])
        assert sorted(o.split(":")[0] for o in outcomes.values()) == ["already", "claimed"], outcomes
        winner = next(name for name, outcome in outcomes.items() if outcome == "claimed")
        loser = next(name for name in outcomes if name != winner)
        winners.add(winner)
        holder = {"party_member": "张**", "volunteer": "陈**"}[winner]
        assert outcomes[loser] == f"already:{holder}"
        [claim] = Claim.objects.filter(item=item)
        assert claim.status == ClaimStatus.ACTIVE and claim.person == gov_world.people[winner]
        item.refresh_from_db()
        assert (item.status, item.version) == (ItemStatus.CLAIMED, 2)
        assert item.updates.filter(kind=UpdateKind.CLAIMED).count() == 1
        assert AuditEvent.objects.filter(action="governance.claim", object_id=str(item.pk)).count() == 1
    assert winners <= {"party_member", "volunteer"}


def test_many_claimants_and_an_organisation_racing_leave_exactly_one_holder(gov_world):
    item = gov_world.item(title="泳池积水落叶清理")
    attempts = [
        ("party_member", {}),
        ("party_member2", {}),
        ("volunteer", {}),
        ("pm_member", {"organization": gov_world.property_manager}),
    ]
    outcomes = race(item.pk, attempts)
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["already", "already", "already", "claimed"]
    assert Claim.objects.filter(item=item).count() == 1
    assert Claim.objects.filter(item=item, status=ClaimStatus.ACTIVE).count() == 1

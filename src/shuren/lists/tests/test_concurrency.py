"""Two providers' clerks accepting two matches of the same resource at the same moment, in real
threads on PostgreSQL: the conditional UPDATE lets only as many through as the resource has left,
and what remains never goes below zero."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.core.testing import run_at_once
from shuren.lists import services
from shuren.lists.models import Match, MatchStatus, Resource
from shuren.lists.services import NotEnoughLeft

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


def _accept(match_pk: int) -> Callable[[Callable[[], Any]], str]:
    def attempt(start: Callable[[], Any]) -> str:
        user = User.objects.get(username="pm_contact")
        match = Match.objects.select_related("resource", "need").get(pk=match_pk)
        start()
        try:
            services.accept_match(actor=user, match=match)
        except NotEnoughLeft:
            return "too-little"
        return "accepted"

    return attempt


def test_two_accepts_at_once_never_take_a_resource_below_zero(lists_world):
    staff = lists_world.users["staff"]
    for round_ in range(ROUNDS):
        resource = lists_world.resource(title=f"仅剩一次{round_}", capacity=1)
        matches = [
            services.propose_match(actor=staff, need=lists_world.need(title=f"需求{round_}-{n}"), resource=resource)
            for n in range(2)
        ]
        outcomes = run_at_once([_accept(m.pk) for m in matches])
        assert sorted(outcomes) == ["accepted", "too-little"]
        resource.refresh_from_db()
        assert resource.remaining == 0
        statuses = sorted(Match.objects.filter(resource=resource).values_list("status", flat=True))
        assert statuses == sorted([MatchStatus.ACCEPTED, MatchStatus.PROPOSED])
    assert not Resource.objects.filter(remaining__lt=0).exists()

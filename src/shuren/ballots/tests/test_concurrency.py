"""One dwelling never votes twice, even when two people try at the same moment — in real threads,
each with its own connection, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.audit.models import AuditEvent
from shuren.ballots import services
from shuren.ballots.models import Ballot, BallotVote, Matter, Voter
from shuren.core.testing import run_at_once

from .conftest import open_lift_ballot

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 6


def race(attempts: list[tuple[str, Callable[[User], object]]]) -> dict[str, str]:
    """Run each (username, action) in its own thread; all act at once. Returns username -> outcome."""

    def job(username: str, action: Callable[[User], object]) -> Callable[[Callable[[], Any]], str]:
        def attempt(start: Callable[[], Any]) -> str:
            user = User.objects.get(username=username)
            start()
            try:
                action(user)
            except services.AlreadyVoted as exc:
                assert exc.detail  # says who voted and when
                return "refused"
            return "voted"

        return attempt

    outcomes = run_at_once([job(username, action) for username, action in attempts])
    return dict(zip([username for username, _action in attempts], outcomes, strict=True))


def fresh_matter(ballot: Ballot, n: int) -> Matter:
    # Matters are added to drafts only; for the rounds the same open ballot gets a new row directly.
    first = ballot.matters.first()
    assert first is not None
    return Matter.objects.create(ballot=ballot, position=n + 10, title=f"第{n}轮", rule=first.rule)


def test_two_co_owners_voting_at_once_record_one_vote(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    shared = Voter.objects.get(ballot=ballot, dwellings__dwelling__room="101")
    for n in range(ROUNDS):
        matter = fresh_matter(ballot, n)

        def agree(user, matter=matter):
            services.cast_vote(actor=user, matter=Matter.objects.get(pk=matter.pk), voter=shared, choice="agree")

        def oppose(user, matter=matter):
            services.cast_vote(actor=user, matter=Matter.objects.get(pk=matter.pk), voter=shared, choice="oppose")

        outcomes = race([("wangfang", agree), ("liqiang", oppose)])
        assert sorted(outcomes.values()) == ["refused", "voted"], outcomes
        [vote] = BallotVote.objects.filter(matter=matter)
        winner = next(name for name, outcome in outcomes.items() if outcome == "voted")
        assert vote.cast_by_person.user.username == winner
        assert vote.choice == ("agree" if winner == "wangfang" else "oppose")
    assert AuditEvent.objects.filter(action="ballots.vote", object_id=str(ballot.pk)).count() == ROUNDS


def test_an_online_vote_and_a_paper_ballot_for_the_same_owner_record_one_vote(ballot_world):
    world = ballot_world
    ballot = open_lift_ballot(world)
    owner = Voter.objects.get(ballot=ballot, dwellings__dwelling__room="201")
    for n in range(ROUNDS):
        matter = fresh_matter(ballot, n)

        def online(user, matter=matter):
            services.cast_vote(actor=user, matter=Matter.objects.get(pk=matter.pk), voter=owner, choice="agree")

        def paper(user, matter=matter, n=n):
            services.record_paper_vote(
                actor=user, matter=Matter.objects.get(pk=matter.pk), voter=owner, choice="oppose", paper_number=f"P{n}"
            )

        outcomes = race([("zhangwei", online), ("staff", paper)])
        assert sorted(outcomes.values()) == ["refused", "voted"], outcomes
        [vote] = BallotVote.objects.filter(matter=matter)
        assert vote.channel == ("online" if outcomes["zhangwei"] == "voted" else "paper")

"""Quorum and majority at their boundaries, for the rules seeded per kind of meeting."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.meetings.models import MeetingRule
from shuren.meetings.rules import decide, explain

pytestmark = pytest.mark.django_db


def _decide(kind: str, **figures: Any) -> Any:
    return decide(MeetingRule.objects.get(kind=kind), **figures)


def test_joint_meeting_needs_more_than_half_present_exactly_half_is_not_quorate() -> None:
    # joint: quorum > 1/2 (strict)
    half = _decide("joint", voting_present=5, voting_invited=10, votes_for=5, votes_against=0, votes_abstain=0)
    assert half.quorum_met is False and half.carried is False
    assert half.arithmetic["quorum"]["share"] == "1/2"
    more = _decide("joint", voting_present=6, voting_invited=10, votes_for=6, votes_against=0, votes_abstain=0)
    assert more.quorum_met is True and more.carried is True


def test_a_non_strict_quorum_is_met_by_exactly_the_share() -> None:
    # salon: quorum >= 1/2 ; council: quorum >= 2/3
    rule = MeetingRule.objects.get(kind="joint")
    rule.quorum_strict = False
    assert decide(rule, voting_present=5, voting_invited=10, votes_for=5, votes_against=0, votes_abstain=0).quorum_met
    exactly = _decide("council", voting_present=6, voting_invited=9, votes_for=4, votes_against=2, votes_abstain=0)
    assert exactly.quorum_met is True
    assert exactly.arithmetic["quorum"] == {
        "present": 6,
        "invited": 9,
        "share": "2/3",
        "required": "2/3",
        "strict": False,
        "met": True,
    }
    below = _decide("council", voting_present=5, voting_invited=8, votes_for=5, votes_against=0, votes_abstain=0)
    assert below.quorum_met is False  # 5/8 < 2/3


def test_exactly_half_of_those_present_for_does_not_carry_under_a_strict_majority() -> None:
    tie = _decide("hall", voting_present=6, voting_invited=9, votes_for=3, votes_against=3, votes_abstain=0)
    assert tie.quorum_met is True and tie.carried is False
    assert tie.arithmetic["majority"]["share"] == "1/2"
    assert _decide("hall", voting_present=6, voting_invited=9, votes_for=4, votes_against=2, votes_abstain=0).carried


def test_a_non_strict_majority_carries_with_exactly_the_share() -> None:
    rule = MeetingRule.objects.get(kind="stairwell")
    rule.majority_strict = False
    tie = decide(rule, voting_present=6, voting_invited=8, votes_for=3, votes_against=3, votes_abstain=0)
    assert tie.carried is True


def test_two_thirds_majority_boundary() -> None:
    rule = MeetingRule.objects.get(kind="council")
    rule.majority_numerator, rule.majority_denominator, rule.majority_strict = 2, 3, False
    assert decide(rule, voting_present=9, voting_invited=9, votes_for=6, votes_against=3, votes_abstain=0).carried
    assert not decide(rule, voting_present=9, voting_invited=9, votes_for=5, votes_against=4, votes_abstain=0).carried
    rule.majority_strict = True
    assert not decide(rule, voting_present=9, voting_invited=9, votes_for=6, votes_against=3, votes_abstain=0).carried
    assert decide(rule, voting_present=9, voting_invited=9, votes_for=7, votes_against=2, votes_abstain=0).carried


def test_majority_of_votes_cast_ignores_abstentions() -> None:
    rule = MeetingRule.objects.get(kind="grid_day")
    rule.majority_of_present = False
    # 4 for, 3 against, 3 abstain: 4/7 of the votes cast (> 1/2) but only 4/10 of those present.
    cast = decide(rule, voting_present=10, voting_invited=12, votes_for=4, votes_against=3, votes_abstain=3)
    assert cast.carried is True and cast.arithmetic["majority"]["share"] == "4/7"
    rule.majority_of_present = True
    present = decide(rule, voting_present=10, voting_invited=12, votes_for=4, votes_against=3, votes_abstain=3)
    assert present.carried is False and present.arithmetic["majority"]["share"] == "2/5"


def test_consensus_carries_only_when_quorate_and_the_arithmetic_reads_as_sentences() -> None:
    assert _decide(
        "joint", voting_present=3, voting_invited=4, votes_for=0, votes_against=0, votes_abstain=0, consensus=True
    ).carried
    outcome = _decide(
        "joint", voting_present=2, voting_invited=4, votes_for=0, votes_against=0, votes_abstain=0, consensus=True
    )
    assert outcome.carried is False
    lines = explain(outcome.arithmetic)
    assert "2" in lines[0] and "4" in lines[0]

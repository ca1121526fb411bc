"""The art. 278 double majority at each boundary, in exact arithmetic (no database)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from shuren.ballots.tally import describe, describe_all, tally


def rule(participation=(2, 3, False), approval=(1, 2, True), base="participating", code="r"):
    return SimpleNamespace(
        code=code,
        name=code,
        participation_numerator=participation[0],
        participation_denominator=participation[1],
        participation_strict=participation[2],
        pass_numerator=approval[0],
        pass_denominator=approval[1],
        pass_strict=approval[2],
        pass_base=base,
    )


ORDINARY = rule()
MAJOR = rule(approval=(3, 4, False))


def votes(*groups):
    """groups of (choice, count, area each)."""
    return [(choice, Decimal(area)) for choice, count, area in groups for _ in range(count)]


def checks(result):
    return {check["key"]: check["met"] for check in result["checks"]}


def test_exactly_two_thirds_participation_by_area_and_heads_is_enough():
    # 9 owners of 100 m² each; 6 take part (exactly 2/3 of heads and of area), all agree.
    result = tally(ORDINARY, total_area=Decimal("900.00"), total_owners=9, votes=votes(("agree", 6, "100.00")))
    assert checks(result)["participation_area"] and checks(result)["participation_owners"]
    assert result["participation_met"] and result["passed"]


def test_just_under_two_thirds_of_the_area_fails_participation():
    # 6 of 9 owners take part but hold 599.99 of 900.00 m²: headcount met, area one hundredth short.
    result = tally(
        ORDINARY,
        total_area=Decimal("900.00"),
        total_owners=9,
        votes=votes(("agree", 5, "100.00"), ("agree", 1, "99.99")),
    )
    assert checks(result) == {
        "participation_area": False,
        "participation_owners": True,
        "approval_area": True,
        "approval_owners": True,
    }
    assert not result["participation_met"] and not result["passed"]


def test_area_met_but_headcount_not():
    # 3 big owners of 7 hold 2/3 of the area (3 × 200 of 900) but are only 3/7 of the owners.
    result = tally(ORDINARY, total_area=Decimal("900.00"), total_owners=7, votes=votes(("agree", 3, "200.00")))
    assert checks(result)["participation_area"] is True
    assert checks(result)["participation_owners"] is False
    assert not result["passed"]


def test_headcount_met_but_area_not():
    # 6 small owners of 9 (2/3 of heads) hold 300 of 900 m².
    result = tally(ORDINARY, total_area=Decimal("900.00"), total_owners=9, votes=votes(("agree", 6, "50.00")))
    assert checks(result)["participation_owners"] is True
    assert checks(result)["participation_area"] is False
    assert not result["passed"]


def test_exactly_three_quarters_agreement_passes_a_major_matter():
    # 8 owners take part of 8 (100 m² each); 6 agree = exactly 3/4 of area and heads.
    result = tally(
        MAJOR,
        total_area=Decimal("800.00"),
        total_owners=8,
        votes=votes(("agree", 6, "100.00"), ("oppose", 1, "100.00"), ("abstain", 1, "100.00")),
    )
    assert result["approval_met"] and result["passed"]
    assert result["checks"][2]["percent"] == "75.00%"


def test_an_abstention_takes_part_but_does_not_agree():
    # Six agree and three abstain: without the abstentions 6/6 would agree; with them 6/9 < 3/4.
    result = tally(
        MAJOR,
        total_area=Decimal("900.00"),
        total_owners=9,
        votes=votes(("agree", 6, "100.00"), ("abstain", 3, "100.00")),
    )
    assert result["took_part"] == {"area": "900.00", "owners": 9}
    assert not result["approval_met"]


def test_major_matter_area_reaches_three_quarters_but_headcount_does_not():
    # Agree: 3 owners × 200 = 600 of 800 participating (3/4) but 3 of 5 owners (3/5).
    result = tally(
        MAJOR,
        total_area=Decimal("800.00"),
        total_owners=5,
        votes=votes(("agree", 3, "200.00"), ("oppose", 2, "100.00")),
    )
    assert checks(result)["approval_area"] is True
    assert checks(result)["approval_owners"] is False
    assert not result["passed"]


def test_exactly_half_fails_an_ordinary_matter_more_than_half_passes():
    half = tally(
        ORDINARY,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=votes(("agree", 2, "100.00"), ("oppose", 2, "100.00")),
    )
    assert half["participation_met"] and not half["approval_met"] and not half["passed"]
    assert half["checks"][2]["operator"] == ">"
    more = tally(
        ORDINARY,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=votes(("agree", 2, "100.00"), ("agree", 1, "0.01"), ("oppose", 1, "199.99")),
    )
    # 3 of 4 owners but only 200.01 of 400 m²: just over half by area too.
    assert more["passed"]


def test_pass_base_all_counts_agreement_among_all_owners():
    all_base = rule(approval=(1, 2, True), base="all")
    # 8 of 10 take part, 5 agree: more than half of the participants (5/8) but only half of all (5/10).
    result = tally(
        all_base,
        total_area=Decimal("1000.00"),
        total_owners=10,
        votes=votes(("agree", 5, "100.00"), ("oppose", 3, "100.00")),
    )
    assert result["participation_met"] and not result["approval_met"]
    participating = tally(
        ORDINARY,
        total_area=Decimal("1000.00"),
        total_owners=10,
        votes=votes(("agree", 5, "100.00"), ("oppose", 3, "100.00")),
    )
    assert participating["passed"]


def test_a_configured_local_rule_applies_its_own_thresholds():
    # A local rule: more than 3/4 take part; at least 2/3 of them agree.
    local = rule(participation=(3, 4, True), approval=(2, 3, False), code="local-lift")
    exactly_three_quarters = tally(
        local, total_area=Decimal("400.00"), total_owners=4, votes=votes(("agree", 3, "100.00"))
    )
    assert not exactly_three_quarters["participation_met"]
    everyone = tally(
        local,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=votes(("agree", 2, "100.00"), ("agree", 1, "50.00"), ("oppose", 1, "150.00")),
    )
    # 3 of 4 heads agree (≥ 2/3) but only 250 of 400 m² (5/8 < 2/3).
    assert everyone["participation_met"] and not everyone["approval_met"]
    assert everyone["rule"]["code"] == "local-lift"


def test_no_votes_and_an_empty_electorate_pass_nothing():
    assert not tally(ORDINARY, total_area=Decimal("0"), total_owners=0, votes=[])["passed"]
    assert not tally(MAJOR, total_area=Decimal("100.00"), total_owners=1, votes=[])["passed"]


def test_decimal_areas_are_exact_not_binary_floats():
    # 0.1 + 0.2 of 0.45 is exactly 2/3: a float sum would not be.
    result = tally(
        ORDINARY,
        total_area=Decimal("0.45"),
        total_owners=3,
        votes=[("agree", Decimal("0.10")), ("agree", Decimal("0.20"))],
    )
    assert result["checks"][0]["exact"] == "2/3" and result["checks"][0]["met"]


def test_more_votes_than_the_electorate_is_an_error():
    with pytest.raises(ValueError):
        tally(ORDINARY, total_area=Decimal("100.00"), total_owners=1, votes=votes(("agree", 2, "10.00")))


def test_the_sheet_line_shows_the_arithmetic():
    result = tally(
        ORDINARY,
        total_area=Decimal("1800.00"),
        total_owners=20,
        votes=votes(("agree", 14, "88.18"), ("oppose", 0, "0")),
    )
    with translation.override("en"):
        line = describe(result["checks"][0])
    assert line == "participating area 1234.52 m² / total area 1800.00 m² = 68.58% ≥ 2/3 ✓"
    lines = describe_all(result)
    assert lines[1]["line"].endswith("70.00% ≥ 2/3 ✓")

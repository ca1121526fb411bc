"""Civil Code art. 278 para. 2 is a floor: a local rule may ask more, never less.

Participation: at least 2/3 of the area and of the owners, for every matter. Approval among the
participants: at least 3/4 of the area and of the owners for items 6-8, more than half of both for
every other item. A rule below the floor is refused when it is saved or chosen for a matter, and a
rule row changed in the database still cannot make a matter pass below the law.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.accounts.roles import Role
from shuren.ballots import services
from shuren.ballots.models import Ballot, BallotRule
from shuren.ballots.tally import Share, statutory_floor, tally

from .conftest import draft_lift_ballot, open_lift_ballot
from .test_api import Api
from .test_services import voter_of


def rule(participation=(2, 3, False), approval=(1, 2, True), base="participating", major=False):
    return SimpleNamespace(
        code="local",
        name="local",
        participation_numerator=participation[0],
        participation_denominator=participation[1],
        participation_strict=participation[2],
        pass_numerator=approval[0],
        pass_denominator=approval[1],
        pass_strict=approval[2],
        pass_base=base,
        is_major=major,
    )


def areas(*values):
    return [(choice, Decimal(area)) for choice, area in values]


# --- the count -----------------------------------------------------------------------------------

LAX_MAJOR = rule(approval=(1, 2, True), major=True)  # "major", yet only more than half must agree


@pytest.mark.parametrize("item", [6, 7, 8])
def test_a_major_item_needs_three_quarters_whatever_its_rule_says(item):
    # 4 owners, 400 m², all take part. 3 agree holding exactly 300 m²: exactly 3/4 passes.
    exactly = tally(
        LAX_MAJOR,
        civil_code_item=item,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=areas(("agree", "100.00"), ("agree", "100.00"), ("agree", "100.00"), ("oppose", "100.00")),
    )
    assert exactly["passed"] and exactly["rule"]["pass"] == "3/4" and exactly["rule"]["pass_operator"] == "≥"
    # One hundredth of a m² less agrees: 299.99 / 400 < 3/4 fails, though the rule asks only > 1/2.
    below = tally(
        LAX_MAJOR,
        civil_code_item=item,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=areas(("agree", "100.00"), ("agree", "100.00"), ("agree", "99.99"), ("oppose", "100.01")),
    )
    assert not below["passed"] and below["rule"]["raised_to_statute"]
    assert {c["key"]: c["met"] for c in below["checks"]}["approval_area"] is False
    # Heads: 2 of 3 participants agree (2/3 < 3/4) with most of the area: fails.
    heads = tally(
        LAX_MAJOR,
        civil_code_item=item,
        total_area=Decimal("300.00"),
        total_owners=3,
        votes=areas(("agree", "150.00"), ("agree", "140.00"), ("oppose", "10.00")),
    )
    assert not heads["passed"]


@pytest.mark.parametrize("item", [1, 2, 3, 4, 5, 9, None])
def test_participation_needs_two_thirds_whatever_the_rule_says(item):
    lax = rule(participation=(1, 2, False))
    # 9 owners of 100 m² each. Exactly 6 owners and 600 m² take part (2/3): passes.
    exactly = tally(
        lax, civil_code_item=item, total_area=Decimal("900.00"), total_owners=9, votes=areas(*[("agree", "100.00")] * 6)
    )
    assert exactly["participation_met"] and exactly["passed"]
    # 6 owners but 599.99 m²: below 2/3 of the area.
    by_area = tally(
        lax,
        civil_code_item=item,
        total_area=Decimal("900.00"),
        total_owners=9,
        votes=areas(*[("agree", "100.00")] * 5, ("agree", "99.99")),
    )
    assert not by_area["participation_met"] and not by_area["passed"]
    assert by_area["rule"]["participation"] == "2/3" and by_area["rule"]["raised_to_statute"]
    # 5 of 9 owners (5/9 < 2/3) holding 700 m²: below 2/3 of the owners.
    by_heads = tally(
        lax,
        civil_code_item=item,
        total_area=Decimal("900.00"),
        total_owners=9,
        votes=areas(*[("agree", "140.00")] * 5),
    )
    assert not by_heads["participation_met"] and not by_heads["passed"]


@pytest.mark.parametrize("item", [1, 2, 3, 4, 5, 9, None])
def test_an_ordinary_item_needs_more_than_half_even_under_an_at_least_half_rule(item):
    at_least_half = rule(approval=(1, 2, False))
    half = tally(
        at_least_half,
        civil_code_item=item,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=areas(("agree", "100.00"), ("agree", "100.00"), ("oppose", "100.00"), ("oppose", "100.00")),
    )
    assert half["participation_met"] and not half["passed"]
    assert half["rule"]["pass_operator"] == ">"
    more = tally(
        at_least_half,
        civil_code_item=item,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=areas(("agree", "100.00"), ("agree", "100.01"), ("agree", "0.01"), ("oppose", "199.98")),
    )
    assert more["passed"]


def test_a_stricter_rule_keeps_its_own_thresholds():
    strict = rule(participation=(4, 5, False), approval=(9, 10, False), major=True)
    result = tally(
        strict,
        civil_code_item=7,
        total_area=Decimal("400.00"),
        total_owners=4,
        votes=areas(("agree", "100.00"), ("agree", "100.00"), ("agree", "100.00"), ("oppose", "100.00")),
    )
    assert not result["passed"] and result["rule"]["pass"] == "9/10" and not result["rule"]["raised_to_statute"]


shares = st.tuples(st.integers(0, 12), st.integers(1, 12), st.booleans()).filter(lambda s: s[0] <= s[1])


@settings(max_examples=200, deadline=None)
@given(
    participation=shares,
    approval=shares,
    base=st.sampled_from(["participating", "all"]),
    item=st.sampled_from([None, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    total_owners=st.integers(1, 12),
    data=st.data(),
)
def test_no_rule_passes_a_matter_the_statute_fails(participation, approval, base, item, total_owners, data):
    cents = data.draw(st.lists(st.integers(1, 20_000), min_size=total_owners, max_size=total_owners))
    choices = data.draw(
        st.lists(st.sampled_from(["agree", "oppose", "abstain", None]), min_size=total_owners, max_size=total_owners)
    )
    total_area = sum(Decimal(c) / 100 for c in cents)
    votes = [(choice, Decimal(c) / 100) for choice, c in zip(choices, cents, strict=True) if choice]
    floor_participation, floor_approval = statutory_floor(item)
    statute = rule(
        participation=(floor_participation.numerator, floor_participation.denominator, floor_participation.strict),
        approval=(floor_approval.numerator, floor_approval.denominator, floor_approval.strict),
    )
    local = rule(participation=participation, approval=approval, base=base)
    kwargs = {"civil_code_item": item, "total_area": total_area, "total_owners": total_owners, "votes": votes}
    if tally(local, **kwargs)["passed"]:
        assert tally(statute, **kwargs)["passed"]


def test_shares_compare_by_what_they_demand():
    assert Share(2, 3, False).at_least(Share(2, 3, False))
    assert Share(2, 3, True).at_least(Share(2, 3, False))
    assert not Share(2, 3, False).at_least(Share(2, 3, True))
    assert Share(4, 6, False).at_least(Share(2, 3, False)) and Share(3, 4, False).at_least(Share(2, 3, True))
    assert not Share(1, 2, True).at_least(Share(3, 4, False))


# --- saving and choosing a rule -------------------------------------------------------------------

BASE_FIELDS = {
    "code": "local-rule",
    "name": "本地规则",
    "participation_numerator": 2,
    "participation_denominator": 3,
    "participation_strict": False,
    "pass_numerator": 1,
    "pass_denominator": 2,
    "pass_strict": True,
    "pass_base": "participating",
    "is_major": False,
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"is_major": True}, "pass_numerator"),  # a "major" rule asking only more than half
        ({"is_major": True, "pass_numerator": 2, "pass_denominator": 3, "pass_strict": True}, "pass_numerator"),
        ({"is_major": True, "pass_numerator": 74, "pass_denominator": 99, "pass_strict": True}, "pass_numerator"),
        ({"pass_strict": False}, "pass_numerator"),  # at least half: the law says more than half
        ({"pass_numerator": 0}, "pass_numerator"),
        ({"participation_numerator": 1, "participation_denominator": 2}, "participation_numerator"),
        ({"participation_numerator": 65, "participation_denominator": 98}, "participation_numerator"),
    ],
)
def test_a_rule_laxer_than_the_statute_is_refused(make_user, db, changes, field):
    admin = make_user(Role.SYSTEM_ADMIN)
    before = BallotRule.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.save_rule(actor=admin, rule=BallotRule(), fields={**BASE_FIELDS, **changes})
    assert field in caught.value.message_dict
    message = " ".join(caught.value.message_dict[field])
    assert "278" in message or "第二百七十八条" in message  # the message cites the article
    assert BallotRule.objects.count() == before


@pytest.mark.parametrize(
    "changes",
    [
        {},  # exactly the ordinary floor
        {"is_major": True, "pass_numerator": 3, "pass_denominator": 4, "pass_strict": False},  # exactly major
        {"is_major": True, "pass_numerator": 3, "pass_denominator": 4, "pass_strict": True},
        {"participation_numerator": 4, "participation_denominator": 6},  # 2/3 written otherwise
        {"participation_strict": True, "pass_base": "all"},
        {"pass_numerator": 2, "pass_denominator": 3, "pass_strict": False},
    ],
)
def test_a_rule_at_or_above_the_statute_is_saved(make_user, db, changes):
    admin = make_user(Role.SYSTEM_ADMIN)
    saved = services.save_rule(actor=admin, rule=BallotRule(), fields={**BASE_FIELDS, **changes})
    assert BallotRule.objects.filter(pk=saved.pk).exists()


def test_the_rule_form_shows_the_refusal_and_keeps_what_was_typed(make_user, verified_client, db):
    client = verified_client(make_user(Role.SYSTEM_ADMIN))
    response = client.post(
        reverse("ballots:rule_new"),
        {
            **BASE_FIELDS,
            "code": "lax-lift",
            "name": "宽松电梯规则",
            "is_major": "on",
            "pass_strict": "on",
            "participation_strict": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "pass_numerator" in errors and "3/4" in " ".join(errors["pass_numerator"])
    assert "宽松电梯规则" in response.content.decode()
    assert not BallotRule.objects.filter(code="lax-lift").exists()


def _lax_major_rule() -> BallotRule:
    """A major rule saved at the floor, then lowered in the database behind the configuration page."""
    rule = BallotRule.objects.create(
        code="edited-lift", name="被改动的规则", pass_numerator=3, pass_denominator=4, pass_strict=False, is_major=True
    )
    BallotRule.objects.filter(pk=rule.pk).update(pass_numerator=1, pass_denominator=2, pass_strict=True)
    rule.refresh_from_db()
    return rule


def test_a_rule_edited_in_the_database_cannot_pass_a_lift_below_the_law(ballot_world):
    world = ballot_world
    BallotRule.objects.create(
        code="edited-lift", name="被改动的规则", pass_numerator=3, pass_denominator=4, pass_strict=False, is_major=True
    )
    ballot = open_lift_ballot(world, rule_code="edited-lift")
    BallotRule.objects.filter(code="edited-lift").update(pass_numerator=1, pass_denominator=2, pass_strict=True)
    matter = ballot.matters.select_related("rule").get()
    # Agree 270 of 380 m² and 2 of 3 participating owners: more than half, less than 3/4.
    services.cast_vote(actor=world.users["liqiang"], matter=matter, voter=voter_of(ballot, "102"), choice="agree")
    services.cast_vote(actor=world.users["zhangwei"], matter=matter, voter=voter_of(ballot, "201"), choice="agree")
    services.record_paper_vote(
        actor=world.users["staff"], matter=matter, voter=voter_of(ballot, "301"), choice="oppose", paper_number="9"
    )
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    ballot.refresh_from_db()
    services.close_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)
    matter.refresh_from_db()
    assert matter.passed is False
    assert matter.result["rule"]["pass"] == "3/4" and matter.result["rule"]["raised_to_statute"]


def test_a_rule_below_the_statute_cannot_be_chosen_for_a_matter(ballot_world):
    world = ballot_world
    _lax_major_rule()
    ballot = draft_lift_ballot(world)
    with pytest.raises(ValidationError) as caught:
        services.add_matter(
            actor=world.users["staff"], ballot=ballot, title="加装电梯", civil_code_item=7, rule=_rule("edited-lift")
        )
    assert "rule" in caught.value.message_dict
    response = Api(world.users["staff"]).post(
        reverse("api:ballots-matter-list", args=[ballot.pk]),
        {"title": "加装电梯（二）", "civil_code_item": 7, "rule": "edited-lift"},
    )
    assert response.status_code == 400 and "rule" in str(response.json())
    assert ballot.matters.count() == 1


def _rule(code: str) -> BallotRule:
    return BallotRule.objects.get(code=code)

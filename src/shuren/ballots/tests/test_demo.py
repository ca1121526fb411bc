"""The demo shows an open lift ballot of one stairwell unit and a counted estate-wide ballot."""

from __future__ import annotations

import pytest

from shuren.ballots import demo
from shuren.ballots.models import Ballot, BallotVote
from shuren.people import demo as people_demo
from shuren.places import demo as places_demo
from shuren.synthetic.demo import load_places, load_users


@pytest.mark.django_db
def test_the_demo_loads_twice_and_shows_both_ballots():
    context = load_places()
    load_users(context)
    places_demo.load(context)
    people_demo.load(context)
    demo.load(context)
    demo.load(context)
    lift = Ballot.objects.get(title=demo.LIFT_TITLE)
    assert lift.status == "open" and lift.unit.number == "1单元"
    assert lift.voters.filter(is_developer=True).count() == 1
    assert lift.voters.filter(owner_unknown=True).count() == 3
    assert lift.voters.get(dwellings__dwelling__room="302").dwellings.count() == 2
    assert lift.voters.get(dwellings__dwelling__room="201").owners.count() == 2
    channels = set(BallotVote.objects.filter(matter__ballot=lift).values_list("channel", flat=True))
    assert channels == {"online", "paper"}
    assert lift.voters.filter(owners__person__user=context.users["resident"]).exists()
    renewal = Ballot.objects.get(title=demo.RENEWAL_TITLE)
    matter = renewal.matters.get()
    assert renewal.status == "closed" and matter.passed is True and matter.result["checks"]
    assert Ballot.objects.count() == 2

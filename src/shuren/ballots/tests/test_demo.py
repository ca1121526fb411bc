"""The demo shows an open lift ballot of one stairwell unit and a counted estate-wide ballot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.ballots import demo
from shuren.ballots.models import Ballot, BallotVote
from shuren.core.workdays import WorkingCalendar
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
    renewal = Ballot.objects.get(title__endswith=demo.RENEWAL_TITLE)
    matter = renewal.matters.get()
    assert renewal.status == "closed" and matter.passed is True and matter.result["checks"]
    assert Ballot.objects.count() == 2

    # The renewal is of a contract that runs out after the vote, named by the day the demo runs,
    # and its paper ballots were entered in working hours before the vote closed.
    today = timezone.localdate()
    expires, term_starts, term_ends = demo.renewal_terms(today)
    assert today < expires <= today + dt.timedelta(days=92) and term_starts == expires + dt.timedelta(days=1)
    assert 1094 <= (term_ends - term_starts).days <= 1096  # three years
    assert renewal.title == f"{term_starts.year}年{demo.RENEWAL_TITLE}"
    assert f"{expires.year}年{expires.month}月{expires.day}日到期" in renewal.description
    calendar = WorkingCalendar()
    recorded = list(BallotVote.objects.filter(matter=matter).values_list("recorded_at", flat=True))
    assert recorded and all(renewal.opens_at < at < renewal.closes_at for at in recorded)
    assert all(calendar.working_hours_between(at - dt.timedelta(minutes=1), at) > 0 for at in recorded)


@pytest.mark.parametrize(
    "day", [dt.date(2026, 12, 7), dt.date(2027, 1, 31), dt.date(2027, 11, 1), dt.date(2028, 2, 29)]
)
def test_the_renewal_contract_ends_at_the_end_of_the_month_after_next(day):
    expires, term_starts, term_ends = demo.renewal_terms(day)
    assert (expires + dt.timedelta(days=1)).day == 1 and expires.month == (day.month + 1) % 12 + 1
    assert term_starts == expires + dt.timedelta(days=1)
    assert term_ends == term_starts.replace(year=term_starts.year + 3) - dt.timedelta(days=1)

"""The demo shows a closed, anonymous satisfaction survey with published results and an open, named
canteen survey the demo resident can still answer."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shuren.people import demo as people_demo
from shuren.people.models import Person
from shuren.places import demo as places_demo
from shuren.surveys import demo, selectors
from shuren.surveys.models import Response, Survey
from shuren.synthetic.demo import load_places, load_users


@pytest.mark.django_db
def test_the_demo_loads_twice_and_tells_both_surveys():
    context = load_places()
    load_users(context)
    places_demo.load(context)
    people_demo.load(context)
    # The appeals' story links the demo resident to her record; this test loads only what it needs.
    Person.objects.filter(name="林小梅").update(user=context.users["resident"])
    demo.load(context)
    demo.load(context)
    assert Survey.objects.count() == 2
    satisfaction = Survey.objects.get(title__endswith=demo.SATISFACTION_TITLE)
    assert satisfaction.title == f"{timezone.localdate(satisfaction.opened_at).year}年物业服务满意度调查"
    assert satisfaction.status == "closed" and satisfaction.is_anonymous and satisfaction.publishes_results
    responses = Response.objects.filter(survey=satisfaction)
    assert responses.exists() and not responses.exclude(person=None).exists()
    assert set(responses.values_list("channel", flat=True)) == {"paper"}
    assert satisfaction.closed_at == satisfaction.closes_at  # closed on its closing day, ten days ago
    results = selectors.results_of(satisfaction, staff=False)
    assert results.rate is not None and results.questions[0].average is not None
    assert all("13912345678" not in text for text in results.questions[-1].texts)
    canteen = Survey.objects.get(title=demo.CANTEEN_TITLE)
    resident = context.users["resident"]
    assert canteen.status == "open" and not canteen.is_anonymous
    assert canteen in selectors.open_for_resident(resident)
    assert selectors.participation_of(resident, canteen) is None

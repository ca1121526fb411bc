"""The demo shows a qualified, a collecting and an answered proposal of 富丰新城, and the e-bike
convention in force (v1) with v2 in discussion; loading twice changes nothing."""

from __future__ import annotations

import pytest

from shuren.appeals import demo as appeals_demo
from shuren.conventions import demo as conventions_demo
from shuren.conventions.models import Convention
from shuren.people import demo as people_demo
from shuren.people.residency import lives_in, person_of
from shuren.places import demo as places_demo
from shuren.proposals import demo
from shuren.proposals.models import Proposal
from shuren.synthetic.demo import load_places, load_users


@pytest.mark.django_db
def test_the_demo_loads_twice_and_shows_each_stage():
    context = load_places()
    load_users(context)
    places_demo.load(context)
    people_demo.load(context)
    appeals_demo.load(context)
    for _ in range(2):
        demo.load(context)
        conventions_demo.load(context)
    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {
        "3座架空层加装电动车集中充电桩": "qualified",
        "1座楼道更换声控感应灯": "collecting",
        "中心花园增设儿童游乐设施": "answered",
    }
    collecting = Proposal.objects.get(status="collecting")
    resident = context.users["resident"]
    assert lives_in(person_of(resident), collecting)  # 林小梅 can co-sign it
    convention = Convention.objects.get(title=conventions_demo.TITLE)
    assert convention.status == "in_force" and convention.current_version.number == 1
    v2 = convention.versions.get(number=2)
    assert v2.status == "in_discussion" and v2.comments.count() >= 2

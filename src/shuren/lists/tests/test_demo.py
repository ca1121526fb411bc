"""The demo's lists tell 大新社区's story: matches at every stage, one need done; re-running adds nothing."""

from __future__ import annotations

import pytest

from shuren.lists.models import Match, MatchStatus, Need, NeedStatus, Resource
from shuren.lists.selectors import done_needs_count, matches_to_me
from shuren.places.models import Area
from shuren.synthetic.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_resources_needs_and_matches_at_every_stage_and_loads_once():
    context = load_demo()
    assert Resource.objects.filter(organization__name="富丰物业管理有限公司").exists()
    statuses = set(Need.objects.values_list("status", flat=True))
    assert {NeedStatus.OPEN, NeedStatus.MATCHED, NeedStatus.IN_PROGRESS, NeedStatus.DONE} <= statuses
    community = Area.objects.get(name="大新社区")
    assert done_needs_count(community) == 1
    # The property manager's contact (the demo handler) has a request to answer.
    assert matches_to_me(context.users["handler"]).filter(status=MatchStatus.PROPOSED).exists()
    counts = (Resource.objects.count(), Need.objects.count(), Match.objects.count())
    load_demo()
    assert (Resource.objects.count(), Need.objects.count(), Match.objects.count()) == counts

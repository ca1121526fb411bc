"""The demo's governance list tells the seed's story: 9 items collected, 6 done; re-running adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shuren.governance.demo import list_title
from shuren.governance.models import Claim, GovernanceItem, GovernanceList
from shuren.governance.selectors import figures_of
from shuren.synthetic.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_list_has_nine_items_six_done_and_loads_once():
    load_demo()  # the story alone (the district around it: tests/test_demo.py)
    batch = GovernanceList.objects.get(title=list_title(timezone.localdate()))
    figures = figures_of(GovernanceItem.objects.filter(governance_list=batch))
    assert (figures.collected, figures.done, figures.submitted, figures.claimed, figures.open) == (9, 6, 1, 1, 1)
    assert Claim.objects.filter(organization__name="富丰物业管理有限公司").exists()
    assert Claim.objects.filter(person__name="张天宝").exists()
    assert GovernanceItem.objects.filter(kind="wish").count() >= 2
    counts = (GovernanceItem.objects.count(), Claim.objects.count())
    load_demo()
    assert (GovernanceItem.objects.count(), Claim.objects.count()) == counts

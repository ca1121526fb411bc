"""Completion figures per place and per list, checked against counts made by hand: the seed's
"9 items collected, 6 done"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.governance import services
from shuren.governance.models import GovernanceItem
from shuren.governance.selectors import figures_by, figures_of, visible_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(gov_world):
    """A list of 9 items in 富丰新城 (6 done, 1 awaiting verification, 1 claimed and overdue, 1
    open), a cancelled item and a wish awaiting review (neither counts as collected), and one
    open community-wide item outside the list."""
    staff = gov_world.users["staff"]
    batch = services.create_list(actor=staff, community=gov_world.tree["com_a"], title="富丰新城2024年第二季度治理清单")
    items = [gov_world.item(title=f"治理事项{n}", governance_list=batch) for n in range(9)]
    for item in items[:6]:
        services.claim_item(actor=gov_world.users["party_member"], item=item, version=item.version)
        item.refresh_from_db()
        item = services.submit_item(actor=gov_world.users["party_member"], item=item, version=item.version, text="完成")
        services.verify_item(actor=staff, item=item, version=item.version)
    services.claim_item(actor=gov_world.users["volunteer"], item=items[6], version=items[6].version)
    items[6].refresh_from_db()
    services.submit_item(actor=gov_world.users["volunteer"], item=items[6], version=items[6].version, text="完成")
    services.claim_item(actor=gov_world.users["party_member2"], item=items[7], version=items[7].version)
    GovernanceItem.objects.filter(pk=items[7].pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    cancelled = gov_world.item(title="取消的事项", governance_list=batch)
    services.cancel_item(actor=staff, item=cancelled, version=cancelled.version, reason="重复")
    services.make_wish(actor=gov_world.users["resident"], title="希望楼下装个长椅")
    gov_world.item(title="社区范围的事项", area=gov_world.tree["com_a"], estate=None)
    return batch


def test_the_list_shows_nine_collected_six_done(gov_world, quarter):
    [row] = figures_by(visible_items(gov_world.users["staff"]), "list")
    assert row.label == "富丰新城2024年第二季度治理清单"
    assert (row.collected, row.done, row.submitted, row.claimed, row.open, row.overdue) == (9, 6, 1, 1, 1, 1)
    assert row.rate == 66.7


def test_figures_per_community_estate_and_grid(gov_world, quarter):
    items = visible_items(gov_world.users["staff"])
    [community] = figures_by(items, "community")
    assert (community.label, community.collected, community.done, community.open) == ("大新社区", 10, 6, 2)
    [estate] = figures_by(items, "estate")
    assert (estate.label, estate.collected, estate.done) == ("富丰新城", 9, 6)
    assert figures_by(items, "grid") == []  # everything here is filed estate- or community-wide
    total = figures_of(items)
    assert total.as_dict()["completion_rate"] == 60.0


def test_an_item_filed_under_a_grid_counts_for_its_grid_and_its_community(gov_world, quarter):
    gov_world.item(title="1座楼道杂物", building=gov_world.buildings[0], estate=None)
    items = visible_items(gov_world.users["staff"])
    [grid] = figures_by(items, "grid")
    assert (grid.collected, grid.open) == (1, 1)
    [community] = figures_by(items, "community")
    assert community.collected == 11


def test_staff_of_another_community_see_none_of_it(gov_world, quarter):
    assert figures_of(visible_items(gov_world.users["staff_b"])).collected == 0

"""The items list of the API is built from values, without DRF's per-field machinery: its rows
must be exactly what the documented ItemSerializer gives for every kind of viewer (claimants are
named in full to staff and to those who hold the claim, masked to other residents), and a page
costs the same number of queries however many rows and claims it holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from shuren.governance import selectors, services
from shuren.governance.api.serializers import ItemSerializer, item_rows
from shuren.governance.models import GovernanceItem, ItemStatus

pytestmark = pytest.mark.django_db

URL = "/api/v1/governance/items/"


def varied_items(world):
    """Items in every state, at every kind of place (a community, a grid, an estate seen from its
    community and from a grid, a building, a stairwell unit), with and without a list, a due date,
    a claim by a person and one by an organisation."""
    tree, building = world.tree, world.buildings[0]
    batch = services.create_list(actor=world.users["staff"], community=tree["com_a"], title="2025年第二季度治理清单")
    next_month = timezone.localdate() + dt.timedelta(days=30)
    late = world.item(governance_list=batch, due_on=next_month, title="楼道堆物清理")
    world.item(area=tree["com_a"], title="社区议事厅修缮", due_on=next_month)
    world.item(area=tree["grid_a1"], estate=world.estate, title="网格内充电棚")
    held = world.claimed("party_member", building=building, due_on=next_month)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    GovernanceItem.objects.filter(pk__in=[late.pk, held.pk]).update(due_on=yesterday)
    by_unit = world.item(unit=building.units.first(), governance_list=batch)
    services.claim_item(
        actor=world.users["pm_member"], item=by_unit, version=by_unit.version, organization=world.property_manager
    )
    world.submitted("party_member2", area=tree["grid_a1"])
    for status in (ItemStatus.PROPOSED, ItemStatus.DONE, ItemStatus.CANCELLED):
        item = world.item(title=f"状态 {status}")
        verified = {"verified_at": timezone.now()} if status == ItemStatus.DONE else {}
        GovernanceItem.objects.filter(pk=item.pk).update(status=status, **verified)
    items = list(selectors.listed_items(GovernanceItem.objects.all()).order_by("-created_at", "-pk"))
    assert {item.status for item in items} == set(ItemStatus.values)
    return items


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("viewer", ["staff", "party_member", "pm_member", "resident"])
def test_item_rows_built_from_values_equal_the_documented_serializer(gov_world, viewer, language):
    items = varied_items(gov_world)
    user, today = gov_world.users[viewer], timezone.localdate()
    staff = viewer == "staff"
    ids = [item.pk for item in items]
    claims = selectors.active_claims_of(selectors.items_by_ids(ids))
    assert {claim.organization_id is None for claim in claims.values()} == {True, False}
    context = {"user": user, "staff": staff, "claims": claims, "today": today}
    with translation.override(language):
        documented = [dict(row) for row in ItemSerializer(items, many=True, context=context).data]
        fast = item_rows(selectors.item_rows_of(ids), user=user, staff=staff, claims=claims, today=today)
    assert documented == fast
    holders = {row["holder"]["label"] for row in fast if row["holder"]}
    # Staff and the holder read the claimant's name; other residents read it masked.
    assert ("张天宝" in holders) == (viewer in ("staff", "party_member"))
    assert "富丰物业" in holders
    assert {"place", "holder", "is_overdue"} <= set(fast[0])
    assert {row["is_overdue"] for row in fast} == {True, False}


@pytest.mark.parametrize("viewer", ["staff", "pm_member"])
def test_an_items_page_costs_the_same_queries_for_one_item_or_many(gov_world, verified_client, viewer):
    """The place of a building or a unit is named without loading its estate per row, and a
    resident's organisations are read once for the page, not once for each claim held by one."""
    client = verified_client(gov_world.users[viewer])
    building = gov_world.buildings[0]

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200, response.content
        return len(captured.captured_queries), response.json()["results"]

    first = gov_world.item(unit=building.units.first())
    services.claim_item(
        actor=gov_world.users["pm_member"], item=first, version=first.version, organization=gov_world.property_manager
    )
    few, rows = page()
    assert len(rows) == 1
    for n in range(3):
        item = gov_world.item(unit=gov_world.buildings[n % 2].units.first(), title=f"单元事项 {n}")
        services.claim_item(
            actor=gov_world.users["pm_member"], item=item, version=item.version, organization=gov_world.property_manager
        )
        gov_world.item(building=building, title=f"楼栋事项 {n}")
    gov_world.claimed("party_member", building=gov_world.buildings[1])
    many, rows = page()
    assert len(rows) == 8 and many == few

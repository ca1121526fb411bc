"""The staff console (/governance/): lists with filters and export, the item page with exactly the
allowed actions, forms that keep what was typed, lists, wishes, figures and policy."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shuren.governance import services
from shuren.governance.models import Claim, GovernanceItem, GovernancePolicy, ItemStatus

from .test_claims import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(gov_world, verified_client):
    return verified_client(gov_world.users["staff"])


def test_the_list_shows_items_figures_and_filters_overdue(gov_world, staff_client):
    late = gov_world.item(title="泳池积水清理")
    GovernanceItem.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    gov_world.claimed(title="楼道杂物清理")
    page = staff_client.get(reverse("governance:item_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "泳池积水清理" in text and "楼道杂物清理" in text and "张天宝" in text
    assert 'data-testid="figures-summary"' in text
    overdue = staff_client.get(reverse("governance:item_list"), {"overdue": "on"}).content.decode()
    assert "泳池积水清理" in overdue and "楼道杂物清理" not in overdue
    claimed = staff_client.get(reverse("governance:item_list"), {"status": "claimed"}).content.decode()
    assert "楼道杂物清理" in claimed and "泳池积水清理" not in claimed


def test_staff_of_another_community_see_nothing_and_get_404(gov_world, verified_client):
    item = gov_world.item(title="泳池积水清理")
    client = verified_client(gov_world.users["staff_b"])
    assert "泳池积水清理" not in client.get(reverse("governance:item_list")).content.decode()
    assert client.get(reverse("governance:item_detail", args=[item.pk])).status_code == 404
    response = client.post(reverse("governance:item_action", args=[item.pk, "cancel"]), {"version": 1, "reason": "x"})
    assert response.status_code == 404


def test_export_is_an_audited_xlsx_of_the_filtered_list(gov_world, staff_client):
    gov_world.claimed(title="电动车充电桩扩建")
    response = staff_client.get(reverse("governance:item_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "电动车充电桩扩建" in cells and "张**" in cells and "张天宝" not in cells


def test_adding_an_item_and_a_failed_form_keeps_what_was_typed(gov_world, staff_client):
    url = reverse("governance:item_new")
    assert staff_client.get(url).status_code == 200
    data = {
        "title": "",
        "description": "游泳池内有积水和落叶，容易滋生细菌",
        "kind": "task",
        "source": "patrol",
        "priority": "high",
        "points": "8",
        "area": gov_world.tree["com_a"].pk,
        "estate": gov_world.estate.pk,
    }
    failed = staff_client.post(url, data)
    assert failed.status_code == 400
    assert "游泳池内有积水和落叶，容易滋生细菌" in failed.content.decode()
    data["title"] = "泳池积水落叶清理"
    done = staff_client.post(url, data)
    item = GovernanceItem.objects.get(title="泳池积水落叶清理")
    assert done.status_code == 302 and done["Location"] == reverse("governance:item_detail", args=[item.pk])
    assert (item.source, item.priority, item.points, item.estate) == ("patrol", "high", 8, gov_world.estate)


def test_an_unknown_appeal_reference_is_refused_on_its_field(gov_world, staff_client):
    response = staff_client.post(
        reverse("governance:item_new"),
        {
            "title": "来自诉求",
            "kind": "task",
            "source": "appeal",
            "appeal_reference": "NOPE",
            "priority": "normal",
            "points": "0",
            "area": gov_world.tree["com_a"].pk,
        },
    )
    assert response.status_code == 400
    assert "No appeal with this reference" in response.content.decode() or "诉求" in response.content.decode()
    assert not GovernanceItem.objects.filter(title="来自诉求").exists()


def test_edit_saves_from_the_version_read(gov_world, staff_client):
    item = gov_world.item()
    url = reverse("governance:item_edit", args=[item.pk])
    assert staff_client.get(url).status_code == 200
    data = {
        "title": "充电桩扩建（二期）",
        "description": "",
        "priority": "urgent",
        "points": "12",
        "area": gov_world.tree["com_a"].pk,
        "estate": gov_world.estate.pk,
        "version": item.version,
    }
    assert staff_client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.priority, item.points) == ("充电桩扩建（二期）", "urgent", 12)
    stale = staff_client.post(url, {**data, "title": "过期的编辑"})
    assert stale.status_code == 409 and "过期的编辑" in stale.content.decode()


def test_the_item_page_offers_exactly_the_allowed_actions(gov_world, staff_client, verified_client):
    item = gov_world.item()
    text = staff_client.get(reverse("governance:item_detail", args=[item.pk])).content.decode()
    assert 'data-action="claim"' in text and 'data-action="cancel"' in text
    assert 'data-action="verify"' not in text and 'data-action="release"' not in text
    submitted = gov_world.submitted(title="楼道杂物清理")
    text = staff_client.get(reverse("governance:item_detail", args=[submitted.pk])).content.decode()
    assert 'data-action="verify"' in text and 'data-action="return"' in text and 'data-action="claim"' not in text
    grid = verified_client(gov_world.users["grid_worker"])
    in_grid = gov_world.submitted(title="1座楼道", building=gov_world.buildings[0], estate=None)
    text = grid.get(reverse("governance:item_detail", args=[in_grid.pk])).content.decode()
    assert 'data-action="verify"' not in text and 'data-action="cancel"' in text


def test_staff_record_a_claim_for_an_organisation_and_verify(gov_world, staff_client):
    item = gov_world.item()
    url = reverse("governance:item_action", args=[item.pk, "claim"])
    response = staff_client.post(url, {"version": item.version, "claimant": f"org:{gov_world.property_manager.pk}"})
    assert response.status_code == 302
    claim = Claim.objects.get(item=item)
    assert claim.organization == gov_world.property_manager
    item.refresh_from_db()
    staff_client.post(
        reverse("governance:item_action", args=[item.pk, "submit"]),
        {"version": item.version, "text": "已加装20个充电口", "photos": [photo()]},
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    staff_client.post(reverse("governance:item_action", args=[item.pk, "verify"]), {"version": item.version})
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    page = staff_client.get(reverse("governance:item_detail", args=[item.pk])).content.decode()
    [photo_row] = list(item.updates.get(kind="submitted").photos.all())
    assert reverse("governance:item_photo", args=[item.pk, photo_row.pk]) in page
    served = staff_client.get(reverse("governance:item_photo", args=[item.pk, photo_row.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_stale_action_changes_nothing_and_keeps_the_text(gov_world, staff_client):
    item = gov_world.item()
    old = item.version
    services.edit_item(actor=gov_world.users["staff"], item=item, version=old, points=3)
    response = staff_client.post(
        reverse("governance:item_action", args=[item.pk, "cancel"]), {"version": old, "reason": "与二期工程合并"}
    )
    assert response.status_code == 409
    assert "与二期工程合并" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_an_action_without_its_reason_comes_back_with_the_error(gov_world, staff_client):
    item = gov_world.submitted()
    response = staff_client.post(reverse("governance:item_action", args=[item.pk, "return"]), {"version": item.version})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_lists_show_their_figures(gov_world, staff_client):
    response = staff_client.post(
        reverse("governance:list_new"),
        {
            "community": gov_world.tree["com_a"].pk,
            "title": "富丰新城2024年第二季度治理清单",
            "period_start": "2024-04-01",
            "period_end": "2024-06-30",
        },
    )
    assert response.status_code == 302
    batch = gov_world.tree["com_a"].governance_lists.get()
    gov_world.item(governance_list=batch)
    index = staff_client.get(reverse("governance:list_index")).content.decode()
    assert "富丰新城2024年第二季度治理清单" in index
    detail = staff_client.get(reverse("governance:list_detail", args=[batch.pk])).content.decode()
    assert "富丰新城电动车充电桩扩建" in detail
    bad = staff_client.post(
        reverse("governance:list_edit", args=[batch.pk]),
        {"title": "改名", "period_start": "2024-06-30", "period_end": "2024-04-01"},
    )
    assert bad.status_code == 400 and "改名" in bad.content.decode()


def test_wishes_are_reviewed_from_their_page(gov_world, staff_client):
    wish = services.make_wish(actor=gov_world.users["resident"], title="独居老人陪同就医")
    page = staff_client.get(reverse("governance:wish_review")).content.decode()
    assert "独居老人陪同就医" in page
    response = staff_client.post(
        reverse("governance:item_action", args=[wish.pk, "list"]), {"version": wish.version, "points": "5"}
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.status, wish.points) == (ItemStatus.OPEN, 5)


def test_figures_page_breaks_down_by_place(gov_world, staff_client):
    gov_world.item()
    for by in ("community", "grid", "estate", "list"):
        assert staff_client.get(reverse("governance:figures"), {"by": by}).status_code == 200
    text = staff_client.get(reverse("governance:figures"), {"by": "estate"}).content.decode()
    assert "富丰新城" in text


def test_policy_is_edited_per_community(gov_world, staff_client, verified_client):
    com_a = gov_world.tree["com_a"]
    assert "大新社区" in staff_client.get(reverse("governance:policy_list")).content.decode()
    url = reverse("governance:policy_edit", args=[com_a.pk])
    assert staff_client.post(url, {"claim_lapse_days": "0"}).status_code == 400
    assert staff_client.post(url, {"claim_lapse_days": "10"}).status_code == 302
    policy = GovernancePolicy.objects.get(community=com_a)
    assert (policy.claim_lapse_days, policy.wishes_need_review) == (10, False)
    other = verified_client(gov_world.users["staff_b"])
    assert other.get(url).status_code == 404


@pytest.mark.parametrize("page", ["list", "governance_list"])
def test_a_console_page_of_items_costs_the_same_queries_for_one_item_or_many(gov_world, staff_client, page):
    """Items of a building or a stairwell unit name their place (with the estate) without a query
    per row, and their holders are read once for the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    batch = services.create_list(
        actor=gov_world.users["staff"], community=gov_world.tree["com_a"], title="第三季度清单"
    )
    url = reverse("governance:item_list") if page == "list" else reverse("governance:list_detail", args=[batch.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response.content.decode()

    gov_world.item(unit=gov_world.buildings[0].units.first(), governance_list=batch, title="单元门禁维修")
    few, _html = queries()
    for n, building in enumerate(gov_world.buildings):
        gov_world.item(unit=building.units.first(), governance_list=batch, title=f"单元事项{n}")
        gov_world.item(building=building, governance_list=batch, title=f"楼栋事项{n}")
        gov_world.claimed(building=building, governance_list=batch, title=f"已认领事项{n}")
    many, html = queries()
    assert html.count("单元事项") == 2 and f"富丰新城 {gov_world.buildings[1].number}" in html
    assert many == few

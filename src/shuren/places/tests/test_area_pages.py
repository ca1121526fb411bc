"""Area pages: the scoped tree, editing without losing anyone's work, audited export."""

from __future__ import annotations

import io

import pytest
from conftest import confirmed_seconds_ago
from openpyxl import load_workbook

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.places.models import Area, AreaKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(user_for_role, verified_client):
    return verified_client(user_for_role(Role.COMMUNITY_SECRETARY))


def test_the_list_shows_only_areas_in_scope_and_filters(secretary):
    page = secretary.get("/places/areas/").content.decode()
    assert "大新社区第1网格" in page and "金旗峰" not in page
    grids = secretary.get("/places/areas/?kind=community").content.decode()
    assert "大新社区第1网格" not in grids and "大新社区" in grids


def test_detail_shows_children_and_a_breadcrumb_inside_scope(user_for_role, verified_client, tree):
    client = verified_client(user_for_role(Role.SUBDISTRICT_STAFF))
    page = client.get(f"/places/areas/{tree['com_a'].pk}/").content.decode()
    assert "大新社区第2网格" in page and "桂城街道" in page
    assert "南海区" not in page  # the district lies above the user's scope


def test_detail_outside_scope_is_404(secretary, tree):
    assert secretary.get(f"/places/areas/{tree['com_b'].pk}/").status_code == 404


def test_editing_saves_bumps_the_version_and_audits(secretary, tree):
    area = tree["com_a"]
    response = secretary.post(
        f"/places/areas/{area.pk}/edit/",
        {"name": "大新社区", "population": "8600", "households": "2800", "version": "1"},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.population, area.households, area.version) == (8600, 2800, 2)
    event = AuditEvent.objects.get(action="places.area_change")
    assert event.detail["changed"]["households"] == [None, 2800]


def test_a_stale_edit_keeps_the_input_and_changes_nothing(secretary, tree):
    area = tree["com_a"]
    Area.objects.filter(pk=area.pk).update(name="大新社区（他人修改）", version=2)
    response = secretary.post(
        f"/places/areas/{area.pk}/edit/", {"name": "我的修改", "population": "1", "households": "", "version": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="我的修改"' in html
    assert response.context["form"].non_field_errors()
    area.refresh_from_db()
    assert area.name == "大新社区（他人修改）" and area.version == 2


def test_roles_without_the_change_action_cannot_edit(user_for_role, verified_client, tree):
    client = verified_client(user_for_role(Role.GRID_WORKER))
    assert client.post(f"/places/areas/{tree['grid_a1'].pk}/edit/", {"name": "x", "version": "1"}).status_code == 403


def test_export_needs_reauthentication(secretary):
    confirmed_seconds_ago(secretary, 3600)
    assert secretary.get("/places/areas/export/")["Location"].startswith("/accounts/reauth/")


def test_export_holds_only_visible_rows_with_a_watermark(secretary, tree):
    response = secretary.get("/places/areas/export/?kind=grid")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "导出人" in rows[0][0]
    names = {row[2] for row in rows[2:]}
    assert names == {"大新社区第1网格", "大新社区第2网格"}
    assert AuditEvent.objects.get(action="places.area_export").detail["rows"] == 2


def test_area_codes_must_fit_the_tree(tree):
    from django.core.exceptions import ValidationError

    bad = Area(kind=AreaKind.GRID, code="09", name="错挂的网格", parent=tree["sub_a"])
    with pytest.raises(ValidationError):
        bad.full_clean()
    assert Area(kind=AreaKind.GRID, code="09", name="网格", parent=tree["com_a"]).compute_path() == "440605.01.017.09"

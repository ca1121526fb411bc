"""Dwellings: import from the 房屋信息表 (all or nothing, every bad row), and correcting one dwelling."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import make_xlsx
from django.core.management import call_command
from django.urls import reverse

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.places.models import Building, Dwelling, Unit
from shuren.places.services import create_building, create_estate
from shuren.places.services.imports import COLUMNS, blank_template, import_dwellings

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def estate(staff, tree):
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2)
    return estate


def test_import_adds_buildings_units_and_dwellings_and_updates_areas(staff, tree, estate):
    rows = [
        ["富丰新城", "1座", "1单元", "101", 1, 88.5, ""],  # exists: area set
        ["富丰新城", "1座", "2单元", "101", 1, "76.20", ""],  # new unit
        ["富丰新城", "9座", "1单元", "1801", 18, 120, "02"],  # new building in grid 02
    ]
    result = import_dwellings(actor=staff, community=tree["com_a"], data=make_xlsx(rows, COLUMNS))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 1)
    assert Dwelling.objects.get(
        unit__building__number="1座", unit__number="1单元", room="101"
    ).exclusive_area == Decimal("88.50")
    new = Dwelling.objects.get(unit__building__number="9座", room="1801")
    assert new.scope == tree["grid_a2"].path and Building.objects.get(number="9座").grid == tree["grid_a2"]
    assert Unit.objects.filter(building__number="1座", number="2单元").exists()
    assert AuditEvent.objects.filter(action="places.dwelling_import").exists()


def test_every_bad_row_is_reported_and_nothing_is_written(staff, tree, estate):
    before = Dwelling.objects.count()
    rows = [
        ["富丰新城", "1座", "1单元", "301", 3, 90, ""],  # fine
        ["别的小区", "1座", "1单元", "101", 1, 90, ""],
        ["富丰新城", "1座", "1单元", "302", "三", "-5", ""],
        ["富丰新城", "10座", "1单元", "101", 1, "", ""],  # new building without a grid
        ["富丰新城", "1座", "1单元", "301", 3, 90, ""],  # the same dwelling twice
    ]
    result = import_dwellings(actor=staff, community=tree["com_a"], data=make_xlsx(rows, COLUMNS))
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "小区"),
        (4, "楼层"),
        (4, "套内面积"),
        (5, "网格"),
        (6, "房号"),
    }
    assert Dwelling.objects.count() == before and not Building.objects.filter(number="10座").exists()


def test_template_is_accepted_and_the_command_line_exits_non_zero_on_errors(staff, tree, estate, tmp_path):
    assert import_dwellings(actor=staff, community=tree["com_a"], data=blank_template(), dry_run=True).ok
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make_xlsx([["富丰新城", "1座", "1单元", "", 1, "", ""]], COLUMNS))
    with pytest.raises(SystemExit) as exited:
        call_command("import", "dwellings", str(bad), "--community", tree["com_a"].path)
    assert exited.value.code == 1
    good = tmp_path / "good.xlsx"
    good.write_bytes(make_xlsx([["富丰新城", "1座", "1单元", "501", 5, 66, ""]], COLUMNS))
    call_command("import", "dwellings", str(good), "--community", tree["com_a"].path)
    assert Dwelling.objects.filter(room="501").exists()


def test_staff_correct_a_dwelling_with_a_stale_check(staff, tree, estate, verified_client, user_for_role):
    dwelling = Dwelling.objects.get(unit__building__number="1座", room="101")
    client = verified_client(staff)
    url = reverse("places:dwelling_edit", args=[dwelling.pk])
    assert url in client.get(reverse("places:building_detail", args=[dwelling.unit.building_id])).content.decode()
    response = client.post(url, {"room": "101", "floor": 1, "exclusive_area": "89.30", "version": dwelling.version})
    assert response.status_code == 302
    dwelling.refresh_from_db()
    assert dwelling.exclusive_area == Decimal("89.30") and dwelling.version == 2
    stale = client.post(url, {"room": "101", "floor": 1, "exclusive_area": "70", "version": 1})
    assert stale.status_code == 200 and "89.30" not in stale.content.decode().split("form")[0]
    dwelling.refresh_from_db()
    assert dwelling.exclusive_area == Decimal("89.30")
    clash = client.post(url, {"room": "102", "floor": 1, "exclusive_area": "", "version": 2})
    assert clash.status_code == 200 and 'value="102"' in clash.content.decode()
    verified_client(user_for_role(Role.GRID_WORKER))
    assert client.get(url).status_code in (403, 404)


def test_staff_edit_an_estate_and_a_building_with_stale_and_clash_checks(staff, tree, estate, verified_client):
    client = verified_client(staff)
    url = reverse("places:estate_edit", args=[estate.pk])
    response = client.post(url, {"name": "富丰新城（一期）", "address": "富丰路1号", "built_year": 2003, "version": 1})
    assert response.status_code == 302
    estate.refresh_from_db()
    assert (estate.name, estate.version) == ("富丰新城（一期）", 2)
    stale = client.post(url, {"name": "旧名字", "address": "", "version": 1})
    assert stale.status_code == 200 and 'value="旧名字"' in stale.content.decode()
    building = Building.objects.get(number="1座")
    create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="2座")
    url = reverse("places:building_edit", args=[building.pk])
    clash = client.post(url, {"number": "2座", "floors": 2, "version": building.version})
    assert clash.status_code == 200 and "2座" in clash.content.decode()
    assert (
        client.post(url, {"number": "1座", "floors": 2, "has_lift": "on", "version": building.version}).status_code
        == 302
    )
    building.refresh_from_db()
    assert building.has_lift and AuditEvent.objects.filter(action="places.building_update").exists()


def test_estate_list_filters_and_exports_what_it_shows(staff, tree, estate, verified_client):
    import io

    from openpyxl import load_workbook

    create_estate(actor=staff, community=tree["com_a"], name="碧湖花园")
    client = verified_client(staff)
    page = client.get(reverse("places:estate_list"), {"q": "碧湖"}).content.decode()
    assert "碧湖花园" in page and "富丰新城" not in page
    sheet = load_workbook(io.BytesIO(client.get(reverse("places:estate_export"), {"q": "富丰"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[2:]] == ["富丰新城"] and rows[2][2] == 1 and rows[2][3] == 4
    assert AuditEvent.objects.filter(action="places.estate_export").exists()


def test_a_file_with_too_many_rows_is_refused(staff, tree, estate, monkeypatch):
    from shuren.core import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 1)
    rows = [["富丰新城", "1座", "1单元", room, 1, "", ""] for room in ("501", "502")]
    result = import_dwellings(actor=staff, community=tree["com_a"], data=make_xlsx(rows, COLUMNS))
    assert result.errors == [spreadsheets.too_many_rows(3)] and result.created == 0

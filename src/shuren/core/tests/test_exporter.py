"""The declared exporter (core.exports.Exporter): formula cells neutralised in xlsx and CSV, masked
columns masked unless the export is full or the viewer holds the column's action, every download
audited with its rows, filters and format, and the CSV opening with a BOM and the watermark."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.exports import Column, Exporter

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"]


@dataclass
class Row:
    name: str
    phone: str


def hide(value: str) -> str:
    return value[:3] + "****"


class PeopleExport(Exporter):
    name = "test.people_export"
    filename = "people"
    title = "People"
    columns = (
        Column("姓名 Name", lambda row: row.name),
        Column("手机 Mobile", lambda row: row.phone, mask=hide, unmasked_by="test.never_granted"),
    )


class StaffSeeMobiles(PeopleExport):
    columns = (
        Column("姓名 Name", lambda row: row.name),
        Column("手机 Mobile", lambda row: row.phone, mask=hide, unmasked_by="places.view_area"),
    )


def download(exporter: Exporter, rows: list[Row], *, fmt: str, query: dict[str, str] | None = None):
    request: Any = RequestFactory().get("/export/", query or {})
    request.user = exporter.user
    return exporter.response(request, rows, fmt=fmt)


def xlsx_rows(response) -> list[list[object]]:
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised_in_xlsx(staff):
    response = download(PeopleExport(staff), [Row(text, "") for text in DANGEROUS], fmt="xlsx")

    names = [row[0] for row in xlsx_rows(response)[2:]]
    # XML reads a carriage return back as a line feed; what matters is the apostrophe in front.
    assert names == ["'" + text.replace("\r", "\n") for text in DANGEROUS]
    book = load_workbook(io.BytesIO(response.content))
    assert all(cell.data_type != "f" for row in book.active.iter_rows(min_row=3) for cell in row)


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised_in_csv(staff):
    response = download(PeopleExport(staff), [Row(text, "") for text in DANGEROUS], fmt="csv")

    names = [row[0] for row in csv_rows(response)[2:]]
    assert names == ["'" + text for text in DANGEROUS]


def test_ordinary_text_and_numbers_are_left_alone(staff):
    response = download(PeopleExport(staff), [Row("张三 = 李四", "13800138000")], fmt="xlsx")

    assert xlsx_rows(response)[2][0] == "张三 = 李四"


def test_masked_columns_are_masked_for_a_viewer_without_the_columns_action(staff):
    response = download(PeopleExport(staff), [Row("张三", "13800138000")], fmt="xlsx")

    assert xlsx_rows(response)[1:] == [["姓名 Name", "手机 Mobile"], ["张三", "138****"]]


def test_masked_columns_are_shown_to_a_viewer_holding_the_unmasking_action(staff):
    response = download(StaffSeeMobiles(staff), [Row("张三", "13800138000")], fmt="csv")

    assert csv_rows(response)[2] == ["张三", "13800138000"]


def test_a_full_export_shows_masked_columns_whole(staff):
    response = download(PeopleExport(staff, full=True), [Row("张三", "13800138000")], fmt="xlsx")

    assert xlsx_rows(response)[2] == ["张三", "13800138000"]


def test_empty_masked_cells_stay_empty(staff):
    response = download(PeopleExport(staff), [Row("张三", "")], fmt="csv")

    assert csv_rows(response)[2] == ["张三", ""]


def test_every_download_is_audited_with_its_event_rows_filters_and_format(staff):
    rows = [Row("张三", "13800138000"), Row("李四", "13900139000")]
    download(PeopleExport(staff), rows, fmt="csv", query={"status": "open", "page": "2", "format": "csv"})

    event = AuditEvent.objects.get(action="test.people_export")
    assert event.actor == staff
    assert event.detail["rows"] == 2
    assert event.detail["filters"] == {"status": "open"}
    assert event.detail["format"] == "csv"
    assert event.detail["full"] is False


def test_an_unknown_format_gives_xlsx_and_is_audited_as_xlsx(staff):
    response = download(PeopleExport(staff), [], fmt="pdf")

    assert response["Content-Disposition"] == 'attachment; filename="people.xlsx"'
    assert AuditEvent.objects.get(action="test.people_export").detail["format"] == "xlsx"


def test_the_csv_starts_with_a_bom_and_the_watermark_then_the_headings(staff):
    response = download(PeopleExport(staff), [Row("张三", "13800138000")], fmt="csv")

    assert response.content.startswith("\ufeff".encode())
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'
    assert response["Cache-Control"] == "no-store"
    watermark, headings = csv_rows(response)[:2]
    assert staff.username in watermark[0]
    assert "内部资料，注意保密 Confidential" in watermark[0]
    assert headings == ["姓名 Name", "手机 Mobile"]


def test_the_xlsx_carries_the_watermark_above_the_headings_on_the_titled_sheet(staff):
    response = download(PeopleExport(staff), [Row("张三", "13800138000")], fmt="xlsx")

    book = load_workbook(io.BytesIO(response.content))
    assert book.active.title == "People"
    first, headings = xlsx_rows(response)[:2]
    assert staff.username in str(first[0])
    assert "Confidential" in str(first[0])
    assert headings == ["姓名 Name", "手机 Mobile"]

"""The residents import reads cells as people fill them in Excel: ID numbers typed as numbers
(rounded by Excel), names carrying invisible characters, the same file uploaded twice."""

from __future__ import annotations

import io

import pytest
from conftest import make_xlsx
from django.utils import translation
from openpyxl import load_workbook

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.people.models import Person, Residence
from shuren.people.services.imports import COLUMNS, blank_template, import_residents
from shuren.places.services import create_building, create_estate

pytestmark = pytest.mark.django_db

HOME = ["富丰新城", "1座", "1单元"]


def row(name: str, id_number: object = "", phone: object = "", room: str = "101") -> list[object]:
    return [name, id_number, phone, *HOME, room, "业主", "常住", "汉族"]


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def estate(staff, tree):
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2)
    return estate


def _import(staff, tree, rows, **kwargs):
    return import_residents(actor=staff, community=tree["com_a"], data=make_xlsx(rows, COLUMNS), **kwargs)


# --- (a) numbers typed as number cells ------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        440602199001011237,  # as openpyxl writes an int
        440602199001011200,  # what Excel keeps of it (15 significant digits)
        4.40602199001012e17,  # as Excel stores it
        440602199001090000,  # a rounded number (15 digits, then zeros) that passes the check digit
    ],
)
def test_an_id_number_in_a_number_cell_is_refused_with_row_and_column(staff, tree, estate, cell):
    with translation.override("zh-hans"):
        result = _import(staff, tree, [row("林小梅", "440602199001011237"), row("陈志强", cell, room="102")])
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")]
    assert result.errors[0].reason.startswith("身份证号须以文本格式填写")
    assert not Person.objects.exists()


def test_the_refusal_reads_in_english_too(staff, tree, estate):
    with translation.override("en"):
        result = _import(staff, tree, [row("林小梅", 440602199001011237)])
    assert "typed as text" in result.errors[0].reason


@pytest.mark.parametrize("cell", [13800138001, 13800138001.0])
def test_a_mobile_number_in_a_number_cell_is_fine_when_it_is_exactly_eleven_digits(staff, tree, estate, cell):
    result = _import(staff, tree, [row("林小梅", phone=cell)])
    assert result.ok, result.errors
    assert Person.objects.get().phone == "+8613800138001"


@pytest.mark.parametrize("cell", [1380013800.1, 1.38001380015e10, 8613800138001, 3800138001])
def test_a_mobile_number_in_a_number_cell_that_lost_or_gained_digits_is_refused(staff, tree, estate, cell):
    result = _import(staff, tree, [row("林小梅", phone=cell)])
    assert [(e.row, e.column) for e in result.errors] == [(2, "手机号")]


def test_the_template_formats_the_number_columns_as_text():
    sheet = load_workbook(io.BytesIO(blank_template())).worksheets[0]
    assert sheet.column_dimensions["B"].number_format == "@" and sheet.column_dimensions["C"].number_format == "@"
    assert sheet["B2"].data_type == "s"  # the example ID number is text
    notes = " ".join(str(c) for r in load_workbook(io.BytesIO(blank_template()))["填写说明"].values for c in r)
    assert "文本格式" in notes and "不会重复添加" in notes


# --- (b) invisible characters ---------------------------------------------------------------------


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200c", "\u200d", "\u2060", "\u00ad", "\u202e", "\u180e"])
def test_names_and_other_cells_lose_invisible_characters(staff, tree, estate, invisible):
    name = f"{invisible}林{invisible}小梅{invisible}"
    rows = [
        [
            name,
            "",
            "",
            "富丰新城" + invisible,
            "1座",
            "1单元",
            "101" + invisible,
            "业主",
            "常住",
            "汉" + invisible + "族",
        ]
    ]
    result = _import(staff, tree, rows)
    assert result.ok, result.errors
    person = Person.objects.get()
    assert (person.name, person.ethnicity) == ("林小梅", "汉族")


def test_spaces_in_a_name_collapse_to_one(staff, tree, estate):
    assert _import(staff, tree, [row("  Anna\u3000\u00a0 Lee ")]).ok
    assert Person.objects.get().name == "Anna Lee"


# --- (c) importing the same file twice ------------------------------------------------------------


def test_importing_a_file_without_id_numbers_twice_adds_nobody_the_second_time(staff, tree, estate):
    rows = [row("林小梅", phone="13800138001"), row("陈志强", room="102"), row("吴芳", phone="13800138003", room="201")]
    first = _import(staff, tree, rows)
    assert first.ok and first.created == 3 and not first.duplicates
    with translation.override("zh-hans"):
        second = _import(staff, tree, [*rows, row("黄伯荣", room="202")])
    assert second.ok and second.created == 1
    assert [d.row for d in second.duplicates] == [2, 3, 4]
    assert "林小梅" in second.duplicates[0].reason and "未重复添加" in second.duplicates[0].reason
    assert Person.objects.count() == 4 and Residence.objects.count() == 4
    assert [
        e.detail["already_registered"] for e in AuditEvent.objects.filter(action="people.import").order_by("seq")
    ] == [0, 3]


def test_a_match_needs_the_same_name_dwelling_and_mobile_number(staff, tree, estate):
    assert _import(staff, tree, [row("林小梅", phone="13800138001")]).created == 1
    other = _import(
        staff,
        tree,
        [
            row("林小梅", phone="13800138009"),  # another number: another person
            row("林小梅", phone="13800138001", room="102"),  # another home
            row("林小美", phone="13800138001"),  # another name
        ],
    )
    assert other.created == 3 and not other.duplicates


def test_the_same_person_twice_in_one_file_is_added_once(staff, tree, estate):
    result = _import(staff, tree, [row("林小梅", phone="13800138001"), row("林小梅\u200b", phone="138 0013 8001")])
    assert result.created == 1 and [d.row for d in result.duplicates] == [3]


def test_a_dry_run_reports_the_matches_too(staff, tree, estate):
    _import(staff, tree, [row("林小梅")])
    result = _import(staff, tree, [row("林小梅")], dry_run=True)
    assert result.ok and [d.row for d in result.duplicates] == [2]


def test_the_import_page_lists_the_residents_already_registered(staff, tree, estate, verified_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _import(staff, tree, [row("林小梅", phone="13800138001")])
    client = verified_client(staff)
    upload = SimpleUploadedFile("居民.xlsx", make_xlsx([row("林小梅", phone="13800138001")], COLUMNS))
    response = client.post("/people/import/", {"community": tree["com_a"].pk, "file": upload})
    text = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-duplicates"' in text
    assert "第2行" in text and "未重复添加" in text
    assert Person.objects.count() == 1

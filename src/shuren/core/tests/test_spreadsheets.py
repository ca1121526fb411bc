"""Reading the import templates (core.spreadsheets): cells as the user typed them, rows numbered as
the user sees them, and files that are not xlsx, or too large, refused before they are read."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from conftest import make_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from shuren.core import spreadsheets
from shuren.core.spreadsheets import SheetRejected, cell, open_rows, read_rows, too_many_columns, too_many_rows
from shuren.core.validators import clean_text

HEADINGS = ["姓名", "手机号", "日期"]


def _book(build) -> bytes:
    book = Workbook()
    build(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet_xml(data: bytes, edit) -> bytes:
    """``data`` with its first sheet's XML passed through ``edit`` (bytes to bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, edit(content) if item.filename == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


def _rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    _headings, rows, _total = read_rows(data)
    return [(number, dict(row)) for number, row in rows]


def test_dates_read_as_the_dates_shown_and_whole_numbers_without_a_point():
    data = make_xlsx(
        [["林小梅", 13800138001, dt.date(1990, 1, 2)], ["陈志强", 13800138002.0, dt.datetime(2024, 5, 6, 7, 8, 9)]],
        HEADINGS,
    )
    _headings, rows, _total = read_rows(data)
    (first_number, first), (_n, second) = list(rows)
    assert first_number == 2
    assert first == {"姓名": "林小梅", "手机号": "13800138001", "日期": "1990-01-02"}
    assert second["手机号"] == "13800138002" and second["日期"] == "2024-05-06 07:08:09"
    assert first.numbers == {"手机号": 13800138001} and second.numbers == {"手机号": 13800138002}


def test_a_number_with_a_fraction_stays_a_number_cell_and_text_is_never_one():
    rows = _rows(make_xlsx([["林小梅", 1.38001380015e10, "13800138001"]], HEADINGS))
    assert rows == [(2, {"姓名": "林小梅", "手机号": "13800138001.5", "日期": "13800138001"})]
    _headings, parsed, _total = read_rows(make_xlsx([["林小梅", 1.38001380015e10, "13800138001"]], HEADINGS))
    assert next(iter(parsed))[1].numbers == {"手机号": 13800138001.5}


def test_empty_rows_are_skipped_and_the_others_keep_their_row_numbers():
    def build(sheet):
        sheet.append(HEADINGS)
        sheet.append(["林小梅", "", ""])
        sheet.append([None, None, None])
        sheet.append(["", " \u3000", "\u200b"])  # only blanks and an invisible character
        sheet.append(["陈志强", "", ""])

    headings, rows, total = read_rows(_book(build))
    assert headings == HEADINGS and total == 4
    assert [(number, row["姓名"]) for number, row in rows] == [(2, "林小梅"), (5, "陈志强")]


def test_rows_are_numbered_from_the_sheets_first_row_when_it_starts_lower_or_further_right():
    def build(sheet):
        sheet["B1"], sheet["C1"] = "姓名", "手机号"
        sheet["B4"], sheet["C4"] = "林小梅", "13800138001"

    assert _rows(_book(build)) == [(4, {"姓名": "林小梅", "手机号": "13800138001"})]

    def lower(sheet):
        sheet["A3"], sheet["A4"] = "姓名", "林小梅"

    with pytest.raises(SheetRejected) as refused:  # the headings belong in the first row, as before
        open_rows(_book(lower), columns=["姓名"], required={"姓名"})
    assert refused.value.error.column == "姓名"


def test_cells_right_of_the_headings_neither_shift_nor_fill_a_row():
    def build(sheet):
        sheet.append(HEADINGS)
        sheet.append(["林小梅", "13800138001", ""])
        sheet["H3"] = "备注"  # a note beside the table, on an otherwise empty row
        sheet["AX4"].number_format = "@"  # a formatted, empty cell far right
        sheet.append(["陈志强"])

    rows = _rows(_book(build))
    assert [(number, row["姓名"]) for number, row in rows] == [(2, "林小梅"), (3, ""), (5, "陈志强")]


def test_a_formula_error_reads_as_an_empty_cell():
    def build(sheet):
        sheet.append(HEADINGS)
        sheet.append(["林小梅", "#N/A", ""])
        sheet["B2"].data_type = "e"

    assert _rows(_book(build)) == [(2, {"姓名": "林小梅", "手机号": "", "日期": ""})]


def test_the_sheet_read_is_the_workbooks_first_tab():
    book = Workbook()
    book.active.title = "居民信息"
    book.active.append(HEADINGS)
    book.active.append(["林小梅"])
    notes = book.create_sheet("说明", 0)  # the notes tab first
    notes.append(["列", "说明"])
    buffer = io.BytesIO()
    book.save(buffer)
    headings, _rows_, _total = read_rows(buffer.getvalue())
    assert headings == ["列", "说明"]  # as before: the template keeps its sheet first


@pytest.mark.parametrize(
    "data",
    [
        b"name,phone\n\xe6\x9e\x97,138\n",  # CSV renamed to .xlsx
        bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504),  # an .xls (OLE compound file) renamed
        b"",
    ],
)
def test_a_file_that_is_not_xlsx_is_refused_on_row_one(data):
    with pytest.raises(SheetRejected) as refused:
        open_rows(data, columns=["姓名"], required={"姓名"})
    assert refused.value.error.row == 1 and "xlsx" in refused.value.error.reason


def test_an_opendocument_spreadsheet_renamed_to_xlsx_is_refused_though_the_reader_knows_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(SheetRejected):
        open_rows(buffer.getvalue(), columns=["姓名"], required={"姓名"})


def test_a_file_with_more_rows_than_the_limit_is_refused_where_the_limit_is_passed(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    good = make_xlsx([["林小梅", "", ""]] * 3, HEADINGS)
    assert len(_rows(good)) == 3
    too_many = make_xlsx([["林小梅", "", ""]] * 5, HEADINGS)
    with pytest.raises(SheetRejected) as refused:
        open_rows(too_many, columns=HEADINGS, required={"姓名"})
    assert refused.value.error == too_many_rows(5)  # the first row past the limit


@pytest.mark.parametrize(
    "damage",
    [
        b'<row r="8"></sheetData></worksheet>',  # ill-formed XML, though every tag still names its place
        b"<row r=8 <<",  # not even a tag: the scan hands the sheet to expat, which stops at row 5 too
    ],
)
def test_the_limit_is_found_without_reading_the_rest_of_the_file(monkeypatch, damage):
    """Rows past the limit are not read: a sheet that is broken after them is still refused for its
    size, not for the damage further on."""
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    data = _with_sheet_xml(
        make_xlsx([["林小梅", "", ""]] * 8, HEADINGS), lambda xml: xml.replace(b'<row r="8">', damage)
    )
    with pytest.raises(SheetRejected) as refused:
        open_rows(data, columns=HEADINGS, required={"姓名"})
    assert refused.value.error == too_many_rows(5)
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 10)
    with pytest.raises(SheetRejected) as refused:  # within the limit, the damage is found
        open_rows(data, columns=HEADINGS, required={"姓名"})
    assert refused.value.error.row == 1 and "xlsx" in refused.value.error.reason


@pytest.mark.parametrize(
    ("place", "error"),
    [("A300000", too_many_rows(300000)), ("XFD1048576", too_many_rows(1048576)), ("BA2", too_many_columns(2))],
)
def test_a_small_file_naming_a_far_away_cell_is_refused_before_it_is_read(place, error):
    """The reader keeps the rectangle from the first to the last filled cell in memory: one cell at
    XFD1048576 would ask for hundreds of terabytes."""

    def build(sheet):
        sheet.append(HEADINGS)
        sheet[place] = "x"

    data = _book(build)
    assert len(data) < 10_000
    with pytest.raises(SheetRejected) as refused:
        open_rows(data, columns=HEADINGS, required=set())
    assert refused.value.error == error


def _without_places(xml: bytes) -> bytes:
    return re.sub(rb' r="[A-Z]*\d+"', b"", xml)


def test_a_sheet_whose_cells_do_not_name_their_places_is_read_and_checked_all_the_same(monkeypatch):
    data = _with_sheet_xml(make_xlsx([["林小梅", "13800138001", ""], ["陈志强", "", ""]], HEADINGS), _without_places)
    assert b' r="' not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert [(number, row["姓名"]) for number, row in _rows(data)] == [(2, "林小梅"), (3, "陈志强")]
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 1)
    with pytest.raises(SheetRejected) as refused:
        open_rows(data, columns=HEADINGS, required=set())
    assert refused.value.error == too_many_rows(3)

    def wide(sheet):
        sheet.append(["x"] * 60)

    with pytest.raises(SheetRejected) as refused:
        open_rows(_with_sheet_xml(_book(wide), _without_places), columns=HEADINGS, required=set())
    assert refused.value.error == too_many_columns(1)


@settings(deadline=None, max_examples=300)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="林小梅欧阳 ABCxyz019-·()（）　\u200b\ufeff\t\n"),
        st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Z", "Cf", "Cc", "S"])),
    )
)
def test_a_text_cell_is_cleaned_exactly_as_clean_text_cleans_it(text: str) -> None:
    assert cell(text) == clean_text(text)

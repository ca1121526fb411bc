"""A report as an Excel workbook: one sheet per section, numbers as numbers, text safe from formula
injection."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shuren.core.exports import neutralise
from shuren.insights.reports.document import MISSING, Cell, ReportDocument, Section, Table, is_number, shown

SHEET_NAME_LIMIT = 31
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
# Excel keeps "History" for its change-tracking sheet and refuses it as a sheet name.
RESERVED_SHEET_NAMES = frozenset({"history"})

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"

MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60

TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
MUTED = Font(color="666666")
HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
RIGHT = Alignment(horizontal="right")


def render_xlsx(document: ReportDocument) -> bytes:
    """The workbook as bytes: each sheet starts with the report's title, subtitle and generation
    time, then the section's heading, tables and notes, and ends with the footer."""
    book = Workbook()
    book.remove(book.active)
    book.properties.title = document.title
    if document.generated_at.tzinfo is not None:
        # openpyxl writes the creation time as UTC and expects it without a time zone.
        book.properties.created = document.generated_at.astimezone(UTC).replace(tzinfo=None)
    taken = set(RESERVED_SHEET_NAMES)
    # A report with no sections still opens: one sheet with its title.
    sections = document.sections or [Section(heading=document.title, tables=[])]
    for number, section in enumerate(sections, start=1):
        sheet = book.create_sheet(sheet_name(section.heading, number, taken=taken))
        _write_section(sheet, document, section)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_name(heading: str, number: int, *, taken: set[str]) -> str:
    """A name Excel accepts for the sheet of a section: at most 31 characters, none of []:*?/\\, not
    starting or ending with an apostrophe, and unlike (ignoring case) every name in ``taken``, to
    which it is added."""
    base = _trim(FORBIDDEN_IN_SHEET_NAME.sub(" ", _clean(heading)), SHEET_NAME_LIMIT) or str(number)
    name, copy = base, 1
    while name.casefold() in taken:
        copy += 1
        suffix = f" ({copy})"
        name = _trim(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
    taken.add(name.casefold())
    return name


def display_width(text: str) -> int:
    """How many character columns ``text`` takes in a spreadsheet: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _trim(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit].strip(" '")


def _clean(text: str) -> str:
    """Text without the control characters an xlsx file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _write_section(sheet: Worksheet, document: ReportDocument, section: Section) -> None:
    _write_text(sheet, document.title, TITLE_FONT)
    _write_text(sheet, document.subtitle)
    _write_text(sheet, document.generated_stamp, MUTED)
    sheet.append([])
    _write_text(sheet, section.heading, HEADING_FONT)
    widths: dict[int, int] = {}
    for table in section.tables:
        sheet.append([])
        _write_table(sheet, table, widths)
    if section.notes:
        sheet.append([])
    for note in section.notes:
        _write_text(sheet, note, MUTED)
    if document.footer:
        sheet.append([])
        _write_text(sheet, document.footer, MUTED)
    for column, width in widths.items():
        fitted = min(max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = fitted


def _write_text(sheet: Worksheet, text: str, font: Font | None = None) -> None:
    """One line of text in column A; long lines run on over the empty cells to its right."""
    if not text:
        return
    sheet.append([neutralise(_clean(text))])
    if font is not None:
        sheet.cell(row=sheet.max_row, column=1).font = font


def _write_table(sheet: Worksheet, table: Table, widths: dict[int, int]) -> None:
    """The caption, the header row and the rows; ``widths`` grows to the widest cell of each column
    as shown with the number formats below (captions are left out: they run on like other lines of
    text)."""
    numeric = table.numeric_columns
    _write_text(sheet, table.caption, BOLD)
    sheet.append([neutralise(_clean(heading)) for heading in table.columns])
    for index, cell in enumerate(sheet[sheet.max_row], start=1):
        cell.font = BOLD
        cell.fill = HEADER_FILL
        if index - 1 in numeric:
            cell.alignment = RIGHT
    for row in table.rows:
        sheet.append([_value(cell) for cell in row])
        for index, cell in enumerate(sheet[sheet.max_row], start=1):
            if isinstance(cell.value, int | float):
                cell.number_format = INTEGER_FORMAT if isinstance(cell.value, int) else DECIMAL_FORMAT
            if index - 1 in numeric:
                cell.alignment = RIGHT
    for index, heading in enumerate(table.columns, start=1):
        texts = [heading, *(shown(row[index - 1]) for row in table.rows)]
        widths[index] = max(widths.get(index, 0), *(display_width(text) for text in texts))


def _value(cell: Cell) -> str | int | float:
    if cell is None:
        return MISSING
    if is_number(cell):
        return cell
    return neutralise(_clean(str(cell)))

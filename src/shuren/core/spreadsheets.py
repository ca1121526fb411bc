"""Reading and offering the xlsx templates that imports use (first sheet, Chinese headings in the
first row), and the row-by-row error every import reports: row number, column, reason."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .validators import clean_text

MAX_ROWS = 200_000  # per file


class Row(dict[str, str]):
    """A row's cells by heading, as cleaned text (``clean_text``: invisible characters removed,
    full-width letters and digits folded, white space collapsed). ``numbers`` keeps the cells the
    file stores as numbers, as read (int or float): a long number such as an ID number typed as a
    number has already been rounded by Excel, which an import must refuse rather than store."""

    numbers: dict[str, int | float]


Rows = Iterable[tuple[int, Row]]


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number, as the user sees it
    column: str
    reason: str


@dataclass
class ImportResult:
    """What an import found and did: rows read, rows written, every problem, whether it only checked."""

    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class SheetRejected(Exception):
    """The file as a whole cannot be read as the template: not xlsx, or required columns missing."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.reason)
        self.error = error


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_rows(data: bytes) -> tuple[list[str], Rows, int | None]:
    """The headings, the non-empty rows with their spreadsheet row numbers, and how many rows the
    sheet says it has (None when the file does not record its dimensions)."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    total = sheet.max_row - 1 if sheet.max_row else None
    rows = sheet.iter_rows(values_only=True)
    headings = [cell(v) for v in next(rows, ())]

    def body() -> Rows:
        for number, values in enumerate(rows, start=2):
            cells = [cell(v) for v in values]
            if not any(cells):
                continue
            row = Row(zip(headings, cells, strict=False))
            row.numbers = {h: v for h, v in zip(headings, values, strict=False) if _is_number(v)}
            yield number, row

    return headings, body(), total


def open_rows(data: bytes, *, columns: Sequence[str], required: set[str]) -> tuple[Rows, int | None]:
    """The rows of a file in a template's layout; SheetRejected when it is not xlsx or lacks a
    required column."""
    try:
        headings, rows, total = read_rows(data)
    except Exception:  # openpyxl raises many kinds of errors for files that are not xlsx
        raise SheetRejected(RowError(1, "", _("This is not an Excel (.xlsx) file."))) from None
    missing = [c for c in columns if c in required and c not in headings]
    if missing:
        raise SheetRejected(RowError(1, "、".join(missing), _("These columns are missing; use the template.")))
    return rows, total


def too_many_rows(number: int) -> RowError:
    return RowError(number, "", _("A file may hold at most %(n)d rows.") % {"n": MAX_ROWS})


def template(
    *,
    title: str,
    columns: Sequence[str],
    example: Sequence[Any],
    notes: Sequence[tuple[str, str]],
    text_columns: Sequence[str] = (),
) -> bytes:
    """A downloadable template: the headings, one example row, and a sheet explaining the columns.
    ``text_columns`` (ID and phone numbers) are formatted as text, so that Excel keeps a long number
    typed into them as typed instead of rounding it."""
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    sheet.append(list(example))
    for heading in text_columns:
        letter = get_column_letter(list(columns).index(heading) + 1)
        sheet.column_dimensions[letter].number_format = "@"  # the column's cells, as Excel fills them
        sheet[f"{letter}2"].number_format = "@"
    explained = book.create_sheet("填写说明")
    explained.append(["列", "说明"])
    for row in notes:
        explained.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

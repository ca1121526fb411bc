"""Reading and offering the xlsx templates that imports use (first sheet, Chinese headings in the
first row), and the row-by-row error every import reports: row number, column, reason.

Files are read with python-calamine (Rust), about twenty times faster than openpyxl's cell objects;
openpyxl writes the templates. calamine holds the sheet's whole rectangle of cells in memory, from
its first to its last filled cell, so the sheet's XML is first scanned, as a stream, for cells
beyond ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns: such a file is refused before it is read, and
a small file naming a far-away cell cannot make the reader allocate gigabytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from .validators import clean_text

MAX_ROWS = 200_000  # per file
MAX_COLUMNS = 50  # per sheet: with MAX_ROWS, at most ten million cells (about 320 MB) in the reader


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
    """The file as a whole cannot be read as the template: not xlsx, too large, or required columns
    missing."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.reason)
        self.error = error


class NotXlsx(Exception):
    """The bytes are not an xlsx workbook with a worksheet."""


# Text that clean_text leaves as it is: printable ASCII and CJK unified ideographs, single spaces
# between words (no character of these is changed by NFC, folded, invisible or white space but the
# space). Most cells of a register are such text; the rest go through clean_text.
_PLAIN_TEXT = re.compile("[!-~\u4e00-\u9fff]+(?: [!-~\u4e00-\u9fff]+)*")


def cell(value: Any) -> str:
    """A cell's value as cleaned text: numbers stored as whole floats without ".0", dates as
    ISO dates (2024-01-02), date-times as 2024-01-02 03:04:05."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value if _PLAIN_TEXT.fullmatch(value) else clean_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def too_many_rows(number: int) -> RowError:
    return RowError(number, "", _("A file may hold at most %(n)d rows.") % {"n": MAX_ROWS})


def too_many_columns(number: int) -> RowError:
    return RowError(number, "", _("A sheet may hold at most %(n)d columns.") % {"n": MAX_COLUMNS})


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _first_worksheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """The name and the part (path in the archive) of the workbook's first worksheet, in the order
    of its tabs; chart sheets are passed over, as openpyxl's ``worksheets[0]`` does."""
    names = archive.namelist()
    if len(names) != len(set(names)):  # two parts of one name: the scan and the reader might differ
        raise NotXlsx
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 - expat limits expansion
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except (KeyError, ElementTree.ParseError):
        raise NotXlsx from None
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{_RELATIONSHIPS}Relationship")
        if rel.get("Type", "").endswith("/worksheet")
    }
    for sheet in book.iter():
        if sheet.tag.rpartition("}")[2] != "sheet" or sheet.get(_REL_ID) not in targets:
            continue
        target = targets[sheet.get(_REL_ID)]
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if part not in names:
            raise NotXlsx
        return sheet.get("name", ""), part
    raise NotXlsx


# Digits as 0 and capitals as A, so that a reference beyond the limits is a plain substring; white
# space and ">" as a space and ":" as "<", so that "<c>", "<x:c " and "<c\tr=" read as "<c ".
_SHAPES = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\n\r>:", b"0" * 10 + b"A" * 26 + b"    <")
_REFERENCE = re.compile(rb'\sr="([A-Z]*)(\d*)"')
_CHUNK = 1 << 20


def _column_number(letters: str | bytes) -> int:
    number = 0
    for letter in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + letter - 64
    return number


def _check_extent(archive: zipfile.ZipFile, part: str) -> None:
    """Refuse a sheet with a cell (or row) beyond MAX_ROWS rows (and its heading) or MAX_COLUMNS
    columns, reading its XML as a stream and stopping at the first. Rows and cells normally name
    their place first (``<c r="B7"``, as Excel, WPS and openpyxl write them): only references with
    as many digits as the row limit, or with two letters, need a closer look. A sheet whose rows or
    cells do not all name their place so is walked with expat instead (``_walk_extent``)."""
    rows_limit, digits = MAX_ROWS + 1, len(str(MAX_ROWS + 1))
    suspects = (b' r="AA', b' r="' + b"0" * digits, b' r="A' + b"0" * digits)
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            cut = text.rfind(b">") + 1  # whole tags only; the rest waits for the next chunk
            text, tail = text[:cut], text[cut:]
            if len(tail) > _CHUNK:  # a megabyte without a tag: no sheet Excel writes
                break
            shapes = text.translate(_SHAPES)
            if shapes.count(b"<c ") != shapes.count(b'<c r="') or shapes.count(b"<row ") != shapes.count(b'<row r="'):
                break
            if not any(suspect in shapes for suspect in suspects):
                continue
            for letters, number in _REFERENCE.findall(text):
                row = int(number) if number else 0
                if row > rows_limit:
                    raise SheetRejected(too_many_rows(row))
                if _column_number(letters) > MAX_COLUMNS:
                    raise SheetRejected(too_many_columns(row or 1))
        else:
            return
    _walk_extent(archive, part)


_PLACE = re.compile(r"([A-Z]*)(\d*)")


def _walk_extent(archive: zipfile.ZipFile, part: str) -> None:
    """``_check_extent`` for any sheet: every row and cell element, its place named or counted on
    from the one before it."""
    from xml.parsers import expat

    place = {"row": 0, "column": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        name = tag.rpartition(" ")[2]
        if name == "row":
            named = attributes.get("r", "")
            place["row"] = int(named) if named.isdigit() else place["row"] + 1
            place["column"] = 0
            if place["row"] > MAX_ROWS + 1:
                raise SheetRejected(too_many_rows(place["row"]))
        elif name == "c":
            match = _PLACE.match(attributes.get("r", ""))
            letters, number = match.groups() if match else ("", "")
            if letters:
                place["column"] = _column_number(letters)
            else:
                place["column"] += 1
            row = int(number) if number else place["row"]
            if row > MAX_ROWS + 1:
                raise SheetRejected(too_many_rows(row))
            if place["column"] > MAX_COLUMNS:
                raise SheetRejected(too_many_columns(row))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    with archive.open(part) as stream:
        parser.ParseFile(stream)


def _open_sheet(data: bytes) -> Any:
    """The first worksheet, checked for its extent, as calamine reads it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        name, part = _first_worksheet(archive)
        _check_extent(archive, part)
        return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name)
    except SheetRejected:
        raise
    except Exception:  # zipfile, zlib and calamine raise many kinds of errors for files that are not xlsx
        raise NotXlsx from None


def read_rows(data: bytes) -> tuple[list[str], Rows, int | None]:
    """The headings, the non-empty rows with their spreadsheet row numbers, and how many rows
    follow the headings up to the last filled one. NotXlsx when ``data`` is not an xlsx workbook;
    SheetRejected when its first sheet reaches beyond MAX_ROWS or MAX_COLUMNS."""
    sheet = _open_sheet(data)
    end = sheet.end
    total = end[0] if end is not None else None
    rows: Iterator[list[Any]] = iter(sheet.iter_rows())  # from the sheet's first row, empty or not
    headings = [cell(v) for v in next(rows, ())]

    def body() -> Rows:
        # Cells repeat (estates, buildings, relations): each text is cleaned once, looked up after.
        cleaned: dict[str, str] = {}
        for number, values in enumerate(rows, start=2):
            texts: list[Any] = list(map(cleaned.get, values))
            numbers: dict[str, int | float] = {}
            if None in texts:
                for i, value in enumerate(values):
                    if texts[i] is not None:
                        continue
                    if value.__class__ is str:
                        texts[i] = cleaned[value] = cell(value)
                        continue
                    texts[i] = cell(value)
                    if _is_number(value) and i < len(headings):
                        numbers[headings[i]] = value
                if len(cleaned) > 50_000:  # unique cells (ID numbers) would only fill it
                    cleaned.clear()
            if not any(texts):
                continue
            row = Row(zip(headings, texts, strict=False))
            row.numbers = numbers
            yield number, row

    return headings, body(), total


def open_rows(data: bytes, *, columns: Sequence[str], required: set[str]) -> tuple[Rows, int | None]:
    """The rows of a file in a template's layout; SheetRejected when it is not xlsx, reaches beyond
    MAX_ROWS rows or MAX_COLUMNS columns, or lacks a required column."""
    try:
        headings, rows, total = read_rows(data)
    except NotXlsx:
        raise SheetRejected(RowError(1, "", _("This is not an Excel (.xlsx) file."))) from None
    missing = [c for c in columns if c in required and c not in headings]
    if missing:
        raise SheetRejected(RowError(1, "、".join(missing), _("These columns are missing; use the template.")))
    return rows, total


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

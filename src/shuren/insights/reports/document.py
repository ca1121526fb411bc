"""A report as plain data: a title, then sections of captioned tables and notes.

Nothing here knows about models or output formats; the renderers in this package turn a
ReportDocument into xlsx or PDF bytes.

Cells are ``str``, ``int``, ``float`` or ``None``:

- ``None`` is a missing value, shown as MISSING ("—").
- ``int`` is shown with thousands separators (1,234); ``float`` with thousands separators and two
  decimals (1,234.50). In xlsx both stay numbers that Excel can sum.
- A percentage is passed already formatted, as ``str`` ("93.5%"), and shown as given. A ``float``
  is always shown as the number it is: 0.935 stays 0.935, no percent sign is added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

Cell = str | int | float | None

MISSING = "—"


@dataclass(frozen=True)
class Table:
    """Rows of cells under column headings, with a caption above them.

    ``numeric`` names the columns (by index) that hold numbers; they are right-aligned. When it is
    None, a column counts as numeric when every cell in it that is not None is an int or a float.
    Name a column explicitly to right-align formatted numbers such as "93.5%".
    """

    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    numeric: frozenset[int] | set[int] | None = None

    def __post_init__(self) -> None:
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"Row {number} of table {self.caption!r} has {len(row)} cells for {width} columns.")
        if self.numeric is not None and any(not 0 <= index < width for index in self.numeric):
            raise ValueError(f"Table {self.caption!r} names a numeric column it does not have: {sorted(self.numeric)}.")

    @property
    def numeric_columns(self) -> frozenset[int]:
        if self.numeric is not None:
            return frozenset(self.numeric)
        return frozenset(index for index in range(len(self.columns)) if holds_numbers(row[index] for row in self.rows))


@dataclass(frozen=True)
class Section:
    """One part of a report: a sheet in xlsx, a headed run of pages in PDF."""

    heading: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportDocument:
    title: str
    subtitle: str
    generated_at: datetime
    sections: list[Section]
    footer: str = ""

    @property
    def generated_stamp(self) -> str:
        """When the report was generated, to the minute, in the site's time zone."""
        moment = timezone.localtime(self.generated_at) if timezone.is_aware(self.generated_at) else self.generated_at
        return moment.strftime("%Y-%m-%d %H:%M")


def is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown(cell: Cell) -> str:
    """A cell as a reader sees it: MISSING for None, numbers with thousands separators (floats with
    two decimals), text as given."""
    if cell is None:
        return MISSING
    if isinstance(cell, float):
        return f"{cell:,.2f}"
    if is_number(cell):
        return f"{cell:,}"
    return str(cell)


def holds_numbers(cells: Iterable[Cell]) -> bool:
    present = [cell for cell in cells if cell is not None]
    return bool(present) and all(is_number(cell) for cell in present)

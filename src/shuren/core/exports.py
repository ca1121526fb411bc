"""Spreadsheet exports: formula-safe cells, a watermark naming who exported what and when."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def watermark(user: Any) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return f"导出人 Exported by: {getattr(user, 'username', '')} · {stamp} · 内部资料，注意保密 Confidential"


def csv_response(filename: str, headings: Sequence[str], rows: Iterable[Sequence[Any]], *, user: Any) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
    writer = csv.writer(buffer)
    writer.writerow([watermark(user)])
    writer.writerow(headings)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(
    filename: str, title: str, headings: Sequence[str], rows: Iterable[Sequence[Any]], *, user: Any
) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([watermark(user)])
    sheet["A1"].font = Font(italic=True, color="888888")
    sheet.append(list(headings))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response

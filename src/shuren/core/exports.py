"""Spreadsheet exports: formula-safe cells, a watermark naming who exported what and when.

Exports with unmasked personal data (ID and phone numbers) are never immediate: the user files an
``ExportRequest`` (what, filters, reason); another user holding the kind's approval permission over
the request's area (the same area or one above it, never the requester) approves or refuses it with
a reason; the requester then downloads it once, after confirming their password, within
SHUREN_EXPORT_DOWNLOAD_HOURS. Every step is audited. Apps declare such exports in their
``exports`` module with ``register_kind``. Masked exports stay immediate."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import NotPermitted, OutOfScope
from .models import ExportRequest, ExportStatus
from .scoping import Viewer, has_action, require, visible

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def watermark(user: Viewer, note: str = "") -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    extra = f" · {note}" if note else ""
    return f"导出人 Exported by: {getattr(user, 'username', '')} · {stamp}{extra} · 内部资料，注意保密 Confidential"


def csv_response(
    filename: str, headings: Sequence[str], rows: Iterable[Sequence[Any]], *, user: Viewer
) -> HttpResponse:
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
    filename: str, title: str, headings: Sequence[str], rows: Iterable[Sequence[Any]], *, user: Viewer, note: str = ""
) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([watermark(user, note)])
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


# --- declared exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading (Chinese and English, as the sheets are shared across
    offices), how to read the cell from a row, and how to mask it. A column with ``mask`` holds
    personal data: it is masked unless the export is a full one (approved through an
    ExportRequest) or the viewer holds ``unmasked_by`` (e.g. staff who see full names)."""

    heading: str
    value: Callable[[Any], Any]
    mask: Callable[[str], str] | None = None
    unmasked_by: str | None = None


class Exporter:
    """An app's declared export (in its ``exports`` module): columns, the audit event, the file.

    Subclasses set ``name`` (the audit event, e.g. ``governance.export``), ``filename`` (without
    extension), ``title`` (the sheet) and ``columns``; ``prepare`` may load what the rows need in a
    few queries (holders, counts) and return the rows. Views call ``response``: no view builds rows.
    Every cell is neutralised against formula injection; the download is audited with its filters.
    """

    name: str = ""
    filename: str = "export"
    title: str = ""
    columns: Sequence[Column] = ()
    formats: tuple[str, ...] = ("xlsx", "csv")

    def __init__(self, user: Viewer, *, full: bool = False) -> None:
        self.user = user
        self.full = full

    def prepare(self, objects: Iterable[Any]) -> Iterable[Any]:
        return objects

    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    def _masks(self) -> list[Callable[[str], str] | None]:
        masks: list[Callable[[str], str] | None] = []
        for column in self.columns:
            if column.mask is None or self.full or (column.unmasked_by and has_action(self.user, column.unmasked_by)):
                masks.append(None)
            else:
                masks.append(column.mask)
        return masks

    def rows(self, objects: Iterable[Any]) -> list[list[Any]]:
        masks = self._masks()
        out = []
        for obj in self.prepare(objects):
            row = []
            for column, mask in zip(self.columns, masks, strict=True):
                value = column.value(obj)
                if value is None:
                    value = ""
                if mask is not None and value != "":
                    value = mask(str(value))
                row.append(value)
            out.append(row)
        return out

    def response(
        self,
        request: HttpRequest,
        objects: Iterable[Any],
        *,
        fmt: str = "xlsx",
        filters: dict[str, str] | None = None,
        detail: dict[str, Any] | None = None,
        note: str = "",
        audit: bool = True,
        filename: str | None = None,
    ) -> HttpResponse:
        """The file (xlsx or CSV) of ``objects``, recorded in the audit log with its size and filters."""
        from .auditing import record_event

        if fmt not in self.formats:
            fmt = "xlsx"
        rows = self.rows(objects)
        if filters is None:
            filters = {k: request.GET.get(k, "")[:80] for k in request.GET if k not in ("page", "format")}
        if audit:
            record_event(
                self.name,
                request=request,
                detail={"rows": len(rows), "filters": filters, "format": fmt, "full": self.full, **(detail or {})},
            )
        stem = filename or self.filename
        if fmt == "csv":
            return csv_response(f"{stem}.csv", self.headings(), rows, user=self.user)
        return xlsx_response(f"{stem}.xlsx", self.title, self.headings(), rows, user=self.user, note=note)


def requested_format(request: HttpRequest) -> str:
    """``?format=csv`` asks for CSV; anything else gets xlsx."""
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


# --- exports that need a second person's approval ---------------------------------------------------


@dataclass(frozen=True)
class ExportKind:
    label: str
    request_action: str  # who may ask for it (over every exported row)
    approve_action: str  # who may approve it, over the request's area
    build: Callable[[ExportRequest, HttpRequest], HttpResponse]  # the file, made at download


_KINDS: dict[str, ExportKind] = {}


def register_kind(
    name: str,
    *,
    label: str,
    request_action: str,
    approve_action: str,
    build: Callable[[ExportRequest, HttpRequest], HttpResponse],
) -> None:
    _KINDS[name] = ExportKind(label=label, request_action=request_action, approve_action=approve_action, build=build)


def kinds() -> dict[str, ExportKind]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("exports")
    return _KINDS


def kind_of(export: ExportRequest) -> ExportKind:
    try:
        return kinds()[export.kind]
    except KeyError:
        raise OutOfScope from None


def common_scope(paths: Sequence[str]) -> str:
    """The narrowest area path covering every one of ``paths`` ("" when they share none)."""
    if not paths:
        return ""
    parts = [path.split(".") if path else [] for path in paths]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return ".".join(common)


def request_export(
    *, actor: AbstractBaseUser, kind: str, scope: str, filters: dict[str, str], reason: str, rows: int
) -> ExportRequest:
    """File a request for an export with full personal data; the caller has checked the actor may
    see every row of it unmasked. Audited with the reason."""
    from .auditing import record_event

    spec = kinds()[kind]
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("State why you need the full numbers.")]})
    if not has_action(actor, spec.request_action):
        raise NotPermitted
    with transaction.atomic():
        export = ExportRequest.objects.create(
            kind=kind, requested_by_id=actor.pk, filters=filters, reason=reason[:200], rows=rows, scope=scope
        )
        record_event(
            "export.request",
            actor=actor,
            obj=export,
            reason=export.reason,
            detail={"kind": kind, "rows": rows, "filters": filters},
        )
    return export


def _decide(*, actor: AbstractBaseUser, export: ExportRequest, approve: bool, reason: str) -> ExportRequest:
    from .auditing import record_event

    spec = kind_of(export)
    require(actor, spec.approve_action, export)
    if export.requested_by_id == actor.pk:
        raise NotPermitted(_("Nobody approves their own export request."))
    reason = (reason or "").strip()
    if not approve and len(reason) < 2:
        raise ValidationError({"reason": [_("Say why the request is refused.")]})
    now = timezone.now()
    with transaction.atomic():
        locked = ExportRequest.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.PENDING:
            raise ValidationError(_("This request has already been decided."))
        locked.status = ExportStatus.APPROVED if approve else ExportStatus.REFUSED
        locked.decided_by_id = actor.pk
        locked.decided_at = now
        locked.decision_reason = reason[:200]
        if approve:
            hours = int(getattr(settings, "SHUREN_EXPORT_DOWNLOAD_HOURS", 24))
            locked.download_until = now + dt.timedelta(hours=hours)
        locked.save()
        record_event(
            "export.approve" if approve else "export.refuse",
            actor=actor,
            obj=locked,
            reason=locked.decision_reason,
            detail={"kind": locked.kind, "requested_by": locked.requested_by_id, "rows": locked.rows},
        )
    return locked


def approve_export(*, actor: AbstractBaseUser, export: ExportRequest, reason: str = "") -> ExportRequest:
    """Approve another user's request: it can then be downloaded once within the window."""
    return _decide(actor=actor, export=export, approve=True, reason=reason)


def refuse_export(*, actor: AbstractBaseUser, export: ExportRequest, reason: str) -> ExportRequest:
    return _decide(actor=actor, export=export, approve=False, reason=reason)


def claim_download(*, actor: AbstractBaseUser, export: ExportRequest) -> ExportRequest:
    """Mark an approved request downloaded (once, by its requester, within its window); call it in
    the transaction that builds the file. Refusals are audited too and raise ValidationError."""
    from .auditing import record_event

    if export.requested_by_id != actor.pk:
        raise OutOfScope
    now = timezone.now()
    claimed = ExportRequest.objects.filter(
        pk=export.pk, status=ExportStatus.APPROVED, downloaded_at__isnull=True, download_until__gt=now
    ).update(status=ExportStatus.DOWNLOADED, downloaded_at=now)
    export.refresh_from_db()
    if not claimed:
        if export.status == ExportStatus.PENDING:
            why = _("This export has not been approved yet.")
        elif export.status == ExportStatus.REFUSED:
            why = _("This export was refused.")
        elif export.status == ExportStatus.DOWNLOADED:
            why = _("This export has already been downloaded; request it again if you need it.")
        else:
            why = _("The time to download this export has passed; request it again.")
        raise DownloadRefused(why)
    record_event(
        "export.download",
        actor=actor,
        obj=export,
        reason=export.reason,
        detail={"kind": export.kind, "rows": export.rows},
    )
    return export


class DownloadRefused(ValidationError):
    pass


def record_refused_download(*, actor: AbstractBaseUser, export: ExportRequest, why: str) -> None:
    from .auditing import record_event

    record_event(
        "export.download", actor=actor, obj=export, outcome="denied", detail={"kind": export.kind, "why": str(why)}
    )


# --- selectors ------------------------------------------------------------------------------------


def pending_for(user: AbstractBaseUser) -> QuerySet[ExportRequest]:
    """Requests awaiting the decision of ``user``: in an area they may approve for, not their own."""
    query = ExportRequest.objects.none()
    for name, spec in kinds().items():
        query = query | visible(
            ExportRequest.objects.filter(kind=name, status=ExportStatus.PENDING), user, spec.approve_action
        )
    return query.exclude(requested_by_id=user.pk).select_related("requested_by").order_by("created_at")


def decidable_by(user: Viewer) -> QuerySet[ExportRequest]:
    """Every request ``user`` may see as an approver (any status)."""
    query = ExportRequest.objects.none()
    for name, spec in kinds().items():
        query = query | visible(ExportRequest.objects.filter(kind=name), user, spec.approve_action)
    return query


def own_requests(user: AbstractBaseUser) -> QuerySet[ExportRequest]:
    return ExportRequest.objects.filter(requested_by_id=user.pk).select_related("decided_by").order_by("-created_at")

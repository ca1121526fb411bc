"""The appeal KPIs of the user's scope (definitions in ``appeals.kpis``) and their export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.permissions import requires
from shuren.orgs.models import Organization
from shuren.places.models import Area, Estate

from .forms import KpiPeriodForm, category_label
from .models import Appeal, Category
from .selectors import visible_appeals


@dataclass(frozen=True)
class KpiRow:
    name: str
    kpis: Any


def _kpi_tables(appeals: QuerySet[Appeal]) -> list[tuple[str, str, list[KpiRow]]]:
    from .kpis import appeal_kpis_by

    now = timezone.now()
    tables = []
    groups: list[tuple[str, str, str, Any]] = [
        ("organization", _("By handling organisation"), _("Not dispatched"), Organization),
        ("area", _("By grid (or community)"), "—", Area),
        ("estate", _("By estate"), _("Not in an estate"), Estate),
        ("category", _("By category"), "—", Category),
    ]
    for field, title, missing, model in groups:
        grouped = appeal_kpis_by(appeals, field, now=now)
        names = {obj.pk: obj for obj in model.objects.filter(pk__in=[key for key, _k in grouped if key is not None])}
        rows = []
        for key, kpis in grouped:
            obj = names.get(key)
            label = missing if obj is None else (category_label(obj) if model is Category else obj.name)
            rows.append(KpiRow(label, kpis))
        tables.append((field, title, rows))
    return tables


def _kpi_appeals(request: HttpRequest) -> tuple[KpiPeriodForm, dt.date, dt.date, QuerySet[Appeal]]:
    from .kpis import in_period

    form = KpiPeriodForm(request.GET or None)
    start, end = form.period()
    if not form.is_bound:
        form = KpiPeriodForm(initial={"start": start, "end": end})
    return form, start, end, in_period(visible_appeals(request.user), start, end)


@requires("appeals.view_kpi")
def kpi_page(request: HttpRequest) -> HttpResponse:
    """The three rates, on-time resolution, handling time, overdue and repeat appeals for the
    user's whole scope, then per organisation, grid, estate and category (definitions: kpis.py)."""
    from .kpis import appeal_kpis

    form, start, end, appeals = _kpi_appeals(request)
    return render(
        request,
        "appeals/console/kpis.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "total": appeal_kpis(appeals),
            "tables": _kpi_tables(appeals),
        },
    )


KPI_HEADINGS = [
    "分组 Grouping",
    "名称 Name",
    "诉求数 Appeals counted",
    "响应率 Response rate",
    "按时签收 Taken up in time",
    "应签收 Response due",
    "解决率 Resolution rate",
    "已解决 Solved",
    "已评价 Rated",
    "满意率 Satisfaction rate",
    "满意 Satisfied",
    "按期办结率 On-time resolution",
    "按期办结 Resolved in time",
    "已办结 Resolved",
    "平均办理时长(工作小时) Average handling (working hours)",
    "超期 Overdue",
    "重复诉求 Repeat appeals",
]


def _kpi_cells(kpis: Any) -> list[Any]:
    def percent(rate: float | None) -> Any:
        return "—" if rate is None else round(rate * 100, 1)

    return [
        kpis.counted,
        percent(kpis.response_rate),
        kpis.responded_on_time,
        kpis.response_due,
        percent(kpis.resolution_rate),
        kpis.solved,
        kpis.rated,
        percent(kpis.satisfaction_rate),
        kpis.satisfied,
        percent(kpis.on_time_resolution_rate),
        kpis.resolved_on_time,
        kpis.resolved,
        "—" if kpis.average_handling_hours is None else kpis.average_handling_hours,
        kpis.overdue,
        kpis.repeats,
    ]


@requires("appeals.view_kpi")
def kpi_export(request: HttpRequest) -> HttpResponse:
    from shuren.core.exports import xlsx_response

    from .kpis import appeal_kpis

    _form, start, end, appeals = _kpi_appeals(request)
    rows = [["全部 Whole scope", f"{start:%Y-%m-%d} – {end:%Y-%m-%d}", *_kpi_cells(appeal_kpis(appeals))]]
    for _field, title, table in _kpi_tables(appeals):
        rows += [[str(title), row.name, *_kpi_cells(row.kpis)] for row in table]
    record_event(
        "appeals.kpi_export", request=request, detail={"rows": len(rows), "start": str(start), "end": str(end)}
    )
    return xlsx_response("appeal-kpis.xlsx", "诉求指标 Appeal KPIs", KPI_HEADINGS, rows, user=request.user)

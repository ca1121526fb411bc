"""The appeal KPIs of the user's scope (definitions in ``appeals.kpis``) and their export."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shuren.core import charts
from shuren.core.permissions import requires

from ..exports import KpiExporter, KpiReport
from ..forms.console import KpiPeriodForm
from ..kpis import DAILY_UP_TO_DAYS, appeal_kpis, counted_over_time
from ..models import Appeal
from ..selectors import kpi_period_appeals, kpi_tables


def _kpi_appeals(request: HttpRequest) -> tuple[KpiPeriodForm, dt.date, dt.date, QuerySet[Appeal]]:
    form = KpiPeriodForm(request.GET or None)
    start, end = form.period()
    if not form.is_bound:
        form = KpiPeriodForm(initial={"start": start, "end": end})
    return form, start, end, kpi_period_appeals(request.user, start, end)


@requires("appeals.view_kpi")
def kpi_page(request: HttpRequest) -> HttpResponse:
    """The three rates, on-time resolution, handling time, overdue and repeat appeals for the
    user's whole scope, then per organisation, grid, estate and category (definitions: kpis.py)."""
    form, start, end, appeals = _kpi_appeals(request)
    tables = kpi_tables(appeals)
    over_time = counted_over_time(appeals, start, end)
    by_category = next(table.rows for table in tables if table.field == "category")
    by_day = (end - start).days + 1 <= DAILY_UP_TO_DAYS
    return render(
        request,
        "appeals/console/kpis.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "total": appeal_kpis(appeals),
            "tables": [(table.field, table.title, table.rows) for table in tables],
            "charts": [
                (
                    "chart-appeals-over-time",
                    _("Appeals counted per day") if by_day else _("Appeals counted per month"),
                    charts.chart(
                        "line", [k for k, _n in over_time], [{"name": _("Appeals"), "data": [n for _k, n in over_time]}]
                    ),
                ),
                (
                    "chart-appeals-by-category",
                    _("Appeals counted by category"),
                    charts.chart(
                        "bar",
                        [row.name for row in by_category],
                        [{"name": _("Appeals"), "data": [row.kpis.counted for row in by_category]}],
                    ),
                ),
            ],
        },
    )


@requires("appeals.view_kpi")
def kpi_export(request: HttpRequest) -> HttpResponse:
    _form, start, end, appeals = _kpi_appeals(request)
    report = KpiReport(start=start, end=end, total=appeal_kpis(appeals), tables=kpi_tables(appeals))
    return KpiExporter(request.user).response(
        request, [report], fmt="xlsx", detail={"start": str(start), "end": str(end)}
    )

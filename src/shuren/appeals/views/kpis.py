"""The appeal KPIs of the user's scope (definitions in ``appeals.kpis``) and their export."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.core.permissions import requires

from ..exports import KpiExporter, KpiReport
from ..forms.console import KpiPeriodForm
from ..kpis import appeal_kpis
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
    return render(
        request,
        "appeals/console/kpis.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "total": appeal_kpis(appeals),
            "tables": [(table.field, table.title, table.rows) for table in kpi_tables(appeals)],
        },
    )


@requires("appeals.view_kpi")
def kpi_export(request: HttpRequest) -> HttpResponse:
    _form, start, end, appeals = _kpi_appeals(request)
    report = KpiReport(start=start, end=end, total=appeal_kpis(appeals), tables=kpi_tables(appeals))
    return KpiExporter(request.user).response(
        request, [report], fmt="xlsx", detail={"start": str(start), "end": str(end)}
    )

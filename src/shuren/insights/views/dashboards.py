"""Dashboards per scope: the figures of one area for a period, with a drill-down to its children;
and the staff dashboard of the shell (``/dashboard/``) for users who read figures.

Every figure comes from the roll-up tables (insights.figures); the page says when they were last
brought up to date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.core import charts
from shuren.core.permissions import requires
from shuren.orgs.models import OrganizationKind
from shuren.people.models import ResidenceStatus
from shuren.places.models import Area, AreaKind

from .. import figures, rollups, selectors
from ..forms import PRESETS, PeriodForm
from ..tasks import refresh_task

RATES = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")


@requires(selectors.VIEW)
def home(request: HttpRequest) -> HttpResponse:
    """The user's own scope; a chooser when they hold several areas side by side."""
    areas = selectors.top_areas(request.user)
    if len(areas) == 1:
        return redirect("insights:dashboard", pk=areas[0].pk)
    return render(request, "insights/choose.html", {"areas": areas})


@requires(selectors.VIEW)
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    area = selectors.openable_area(request.user, pk)
    return render_dashboard(request, area)


def scope_dashboard(request: HttpRequest) -> HttpResponse | None:
    """The shell's dashboard for users who read figures (registered in insights.navigation): the
    dashboard of their scope, or the chooser when they hold several areas; None when they hold no
    area to read (the shell then shows its plain overview)."""
    tops = selectors.top_areas(request.user)
    if len(tops) == 1:
        return render_dashboard(request, tops[0])
    if tops:
        return redirect("insights:home")
    return None


def keep_current() -> None:
    """Queue a refresh when the figures are older than SHUREN_INSIGHTS_STALE_MINUTES (once a
    minute at most, however many people look): the dashboards stay current wherever a task worker
    runs, with or without the cron job."""
    last = rollups.last_run()
    stale = dt.timedelta(minutes=getattr(settings, "SHUREN_INSIGHTS_STALE_MINUTES", 10))
    if last is not None and timezone.now() - last.as_of < stale:
        return
    if cache.add("insights:refresh-queued", True, timeout=60):
        refresh_task.enqueue()


def render_dashboard(request: HttpRequest, area: Area) -> HttpResponse:
    keep_current()
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    kpis = figures.kpis_for(area, start, end)
    children = list(selectors.children_of(area))
    child_kpis = figures.kpis_of(children, start, end) if children else []
    context: dict[str, Any] = {
        "area": area,
        "form": form,
        "presets": PRESETS,
        # Unbound, the dates of the last 30 days stand in the date fields, ready to be changed.
        "chosen_preset": form.cleaned_data["preset"] if form.is_bound and form.is_valid() else "custom",
        "start": start,
        "end": end,
        "shown_dates": form.shown_dates(),
        "kpis": kpis,
        "values": kpis.values,
        "labels": figures.KPI_NAMES,
        "breadcrumb": selectors.breadcrumb(request.user, area),
        "children": [(k.area, [(name, k[name]) for name in figures.CHILD_COLUMNS]) for k in child_kpis],
        "child_columns": [(name, figures.KPI_NAMES[name]) for name in figures.CHILD_COLUMNS],
        "child_kind": AreaKind(children[0].kind).label if children else "",
        "last_run": rollups.last_run(),
        "charts": _charts(request.user, area, kpis, start, end),
        "hot_places": figures.hot_places(area, start, end),
        "can_report": selectors.may_report(request.user, area),
    }
    return render(request, "insights/dashboard.html", context)


def _charts(user: Any, area: Area, kpis: figures.Kpis, start: Any, end: Any) -> dict[str, charts.Chart]:
    """Each chart of the dashboard (core.charts; its table shows the same figures). Counts of sensitive
    groups show only to users allowed to see them (selectors.tag_names)."""
    trend = figures.appeal_trend(area, start, end)
    service = figures.service_trend(area, start, end)
    hot = figures.hot_categories(area, start, end)
    residence = kpis.residence
    tag_names = selectors.tag_names(user, area)
    kind_names = dict(OrganizationKind.choices)
    post_names = selectors.post_names()
    tags = sorted(((c, n) for c, n in kpis.tags.items() if c in tag_names), key=lambda item: -item[1])
    orgs = sorted(kpis.organizations.items(), key=lambda item: -item[1])
    posts = sorted(kpis.posts.items(), key=lambda item: -item[1])
    rates = [n for n in RATES if kpis[n] is not None]  # a rate with nothing to count has no bar
    return {
        "residence": charts.chart(
            "pie",
            [ResidenceStatus(code).label for code in ResidenceStatus.values if code in residence],
            [{"name": _("Residents"), "data": [residence[c] for c in ResidenceStatus.values if c in residence]}],
        ),
        "tags": charts.chart(
            "bar",
            [tag_names.get(code, code) for code, _n in tags],
            [{"name": _("People"), "data": [n for _code, n in tags]}],
        ),
        "organizations": charts.chart(
            "bar",
            [str(kind_names.get(code, code)).split(" (")[0] for code, _n in orgs],
            [{"name": _("Organisations"), "data": [n for _code, n in orgs]}],
        ),
        "posts": charts.chart(
            "bar",
            [post_names.get(code, code) for code, _n in posts],
            [{"name": _("People in post"), "data": [n for _code, n in posts]}],
        ),
        "appeal_trend": charts.chart(
            "line",
            trend.labels,
            [
                {"name": _("Received"), "data": trend.values["received"]},
                {"name": _("Resolved in time"), "data": trend.values["resolved_on_time"]},
            ],
        ),
        "rates": charts.chart(
            "bar",
            [figures.KPI_NAMES[n].label for n in rates],
            [{"name": _("Rate"), "data": [kpis[n] for n in rates]}],
            unit="%",
            measure=charts.PERCENT,
        ),
        "hot_categories": charts.chart(
            "bar", [name for name, _n in hot], [{"name": _("Appeals"), "data": [n for _name, n in hot]}]
        ),
        "service_trend": charts.chart(
            "bar",
            service.labels,
            [{"name": _("Service hours"), "data": service.values["service_hours"]}],
            measure=charts.AMOUNT,
        ),
    }

"""Reading the roll-ups: the KPIs of an area for a period, its trend, what is hot, its children.

Nothing here reads a raw table. Every KPI is named (``KPI_NAMES``): the dashboards show them, the
monthly report lists them and the evaluation index computes its indicators from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuren.places.models import Area

from .models import (
    APPEAL_FIGURES,
    POINTS_FIGURES,
    SERVICE_FIGURES,
    WORK_FIGURES,
    AppealDay,
    CategoryMonth,
    PlaceMonth,
    PointsDay,
    ServiceDay,
    Stock,
    VolunteerMonth,
    WorkDay,
)
from .rollups.stocks import OPEN_WORK, ORGANIZATION, POST, RESIDENCE, TAG
from .rollups.tree import month_of

FLOW_TABLES = (
    (AppealDay, (*APPEAL_FIGURES, "handling_hours")),
    (WorkDay, WORK_FIGURES),
    (ServiceDay, SERVICE_FIGURES),
    (PointsDay, POINTS_FIGURES),
)


@dataclass(frozen=True)
class Kpi:
    label: str | Promise
    unit: str | Promise = ""
    is_rate: bool = False


PERCENT = "%"
KPI_NAMES: dict[str, Kpi] = {
    # Appeals (接诉即办): the cohort submitted in the period, as appeals.kpis defines it.
    "received": Kpi(_("Appeals received")),
    "counted": Kpi(_("Appeals counted")),
    "response_due": Kpi(_("Appeals due a response")),
    "responded_on_time": Kpi(_("Taken up in time")),
    "rated": Kpi(_("Appeals rated")),
    "solved": Kpi(_("Rated solved")),
    "satisfied": Kpi(_("Rated satisfied")),
    "resolved": Kpi(_("Appeals resolved")),
    "resolved_on_time": Kpi(_("Resolved in time")),
    "overdue": Kpi(_("Overdue appeals")),
    "repeats": Kpi(_("Repeat appeals")),
    "response_rate": Kpi(_("Response rate"), PERCENT, True),
    "resolution_rate": Kpi(_("Resolution rate"), PERCENT, True),
    "satisfaction_rate": Kpi(_("Satisfaction rate"), PERCENT, True),
    "on_time_rate": Kpi(_("On-time resolution rate"), PERCENT, True),
    "average_handling_hours": Kpi(_("Average handling time"), _("working hours")),
    "appeals_per_1000": Kpi(_("Appeals per 1,000 residents")),
    # Co-governance work.
    "items_collected": Kpi(_("List items collected")),
    "items_done": Kpi(_("List items done")),
    "items_completion": Kpi(_("List completion"), PERCENT, True),
    "meetings_held": Kpi(_("Meetings held")),
    "actions_added": Kpi(_("Action items set")),
    "actions_done": Kpi(_("Action items done")),
    "actions_completion": Kpi(_("Action items done"), PERCENT, True),
    "ballots_closed": Kpi(_("Owners' ballots closed")),
    "matters_decided": Kpi(_("Matters decided")),
    "matters_passed": Kpi(_("Matters passed")),
    # Volunteering and points.
    "activities_held": Kpi(_("Volunteer activities held")),
    "service_records": Kpi(_("Service records")),
    "service_hours": Kpi(_("Volunteer service hours"), _("hours")),
    "active_volunteers": Kpi(_("Active volunteers (monthly average)")),
    "service_hours_per_1000": Kpi(_("Service hours per 1,000 residents"), _("hours")),
    "points_issued": Kpi(_("Points issued")),
    "points_redeemed": Kpi(_("Points redeemed")),
    "points_expired": Kpi(_("Points expired")),
    # Stocks, as counted at the end of the period.
    "residents": Kpi(_("Residents")),
    "households": Kpi(_("Households")),
    "dwellings": Kpi(_("Dwellings")),
    "party_members": Kpi(_("Party members")),
    "league_members": Kpi(_("Youth-league members")),
    "volunteers": Kpi(_("Registered volunteers")),
    "volunteer_share": Kpi(_("Registered volunteers per 100 residents"), PERCENT, True),
    "communities": Kpi(_("Communities")),
    "grids": Kpi(_("Grids")),
    "estates": Kpi(_("Estates")),
    "estates_with_branch": Kpi(_("Estates with a party branch")),
    "estates_with_station": Kpi(_("Estates with a service station")),
    "stations": Kpi(_("Service stations")),
    "buildings": Kpi(_("Buildings")),
    "buildings_with_leader": Kpi(_("Buildings with a building leader")),
    "leader_coverage": Kpi(_("Buildings with a leader"), PERCENT, True),
    "branch_coverage": Kpi(_("Estates with a party branch"), PERCENT, True),
    "station_coverage": Kpi(_("Estates with a service station"), PERCENT, True),
    "appeals_open": Kpi(_("Open appeals")),
    "appeals_overdue": Kpi(_("Open appeals past their deadline")),
    "appeals_supervised": Kpi(_("Open appeals under supervision")),
    "items_open": Kpi(_("Open list items")),
    "items_overdue": Kpi(_("Overdue list items")),
    "points_outstanding": Kpi(_("Points held by residents")),
    # The period itself, for indicators that compare periods of different lengths.
    "days": Kpi(_("Days in the period")),
    "months": Kpi(_("Months the period touches")),
}


PERIOD = ("days", "months")
# The key figures of each area below another: the dashboard's drill-down and the monthly report.
CHILD_COLUMNS = (
    "residents",
    "received",
    "response_rate",
    "satisfaction_rate",
    "appeals_overdue",
    "items_completion",
    "meetings_held",
    "service_hours",
    "points_issued",
)


def _ratio(part: float | None, whole: float | None, scale: float = 100) -> float | None:
    """``part`` per ``scale`` of ``whole``; None with nothing to count (or a part not counted)."""
    return None if not whole or part is None else round(part * scale / whole, 1)


@dataclass
class Kpis:
    """The KPIs of one area for one period. ``values`` holds every name of KPI_NAMES (None where
    there is nothing to count, or a stock of open work before its first count); ``stocks`` also
    holds the coded stocks (tags, organisation kinds, residence statuses, posts), as ``stocks_on``
    answers them for the period's last day."""

    area: Area
    start: dt.date
    end: dt.date
    values: dict[str, float | None]
    stocks: dict[str, int | None] = field(default_factory=dict)

    def __getitem__(self, name: str) -> float | None:
        return self.values[name]

    def coded(self, prefix: str) -> dict[str, int]:
        return {k.removeprefix(prefix): v for k, v in self.stocks.items() if k.startswith(prefix) and v is not None}

    @property
    def residence(self) -> dict[str, int]:
        return self.coded(RESIDENCE)

    @property
    def tags(self) -> dict[str, int]:
        return self.coded(TAG)

    @property
    def organizations(self) -> dict[str, int]:
        return self.coded(ORGANIZATION)

    @property
    def posts(self) -> dict[str, int]:
        return self.coded(POST)


def flow_totals(area_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, dict[str, float]]:
    """The flow figures of each area summed over the days from ``start`` to ``end``."""
    totals: dict[int, dict[str, float]] = {pk: {} for pk in area_ids}
    for model, figures in FLOW_TABLES:
        rows: Iterable[Mapping[str, Any]] = (
            model.objects.filter(area_id__in=area_ids, day__range=(start, end))
            .values("area_id")
            .annotate(**{name: Sum(name) for name in figures})
        )
        for pk in area_ids:
            totals[pk].update(dict.fromkeys(figures, 0))
        for row in rows:
            totals[row["area_id"]].update({name: row[name] or 0 for name in figures})
    return totals


def stocks_on(area_ids: Sequence[int], on: dt.date) -> dict[int, dict[str, int | None]]:
    """The stocks of each area at the end of ``on``: the one function behind every stock a
    dashboard, the API, a monthly report or the evaluation index shows.

    - The last count on or before ``on`` (today's, or the last of that month or of the nearest
      month before it that was counted). Every area of a run is counted at once, so one day
      serves all.
    - Before the first count (a registry loaded today, a report for last month), the first count
      after ``on``: the residents, places, organisations and posts on the registry were there
      before it was first counted unless a count says otherwise. Open work (``OPEN_WORK``: open
      appeals, overdue items, points held ...) changes with time alone, so a later count says
      nothing about it: it is None (shown as "—"), never a wrong number or a 0.
    """
    taken = Stock.objects.filter(taken_on__lte=on).aggregate(day=Max("taken_on"))["day"]
    unknown: tuple[str, ...] = ()
    if taken is None:
        taken = Stock.objects.filter(taken_on__gt=on).aggregate(day=Min("taken_on"))["day"]
        unknown = OPEN_WORK
    result: dict[int, dict[str, int | None]] = {pk: {} for pk in area_ids}
    if taken is None:
        return result
    for area_id, figure, value in Stock.objects.filter(area_id__in=area_ids, taken_on=taken).values_list(
        "area_id", "figure", "value"
    ):
        result[area_id][figure] = value
    for figures in result.values():
        figures.update(dict.fromkeys(unknown))
    return result


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], month_of(start)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def active_volunteers(area_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, float | None]:
    """Monthly active volunteers averaged over the months the period touches."""
    months = months_between(start, end)
    sums = dict(
        VolunteerMonth.objects.filter(area_id__in=area_ids, month__in=months)
        .values("area_id")
        .annotate(n=Sum("active_volunteers"))
        .values_list("area_id", "n")
    )
    return {pk: round((sums.get(pk) or 0) / len(months), 1) if months else None for pk in area_ids}


def derive(flows: dict[str, float], stocks: dict[str, int | None], active: float | None) -> dict[str, float | None]:
    """Every KPI of KPI_NAMES from an area's flows and stocks."""
    values: dict[str, float | None] = {name: flows.get(name, 0) for name in (*APPEAL_FIGURES, *WORK_FIGURES)}
    values.update({name: flows.get(name, 0) for name in POINTS_FIGURES})
    values["service_records"] = flows.get("service_records", 0)
    residents = stocks.get("residents", 0)
    hours = round(flows.get("service_minutes", 0) / 60, 1)
    handled = flows.get("handled", 0)
    values.update(
        response_rate=_ratio(flows.get("responded_on_time", 0), flows.get("response_due", 0)),
        resolution_rate=_ratio(flows.get("solved", 0), flows.get("rated", 0)),
        satisfaction_rate=_ratio(flows.get("satisfied", 0), flows.get("rated", 0)),
        on_time_rate=_ratio(flows.get("resolved_on_time", 0), flows.get("resolved", 0)),
        average_handling_hours=round(flows.get("handling_hours", 0) / handled, 1) if handled else None,
        appeals_per_1000=_ratio(flows.get("received", 0), residents, 1000),
        items_completion=_ratio(flows.get("items_done", 0), flows.get("items_collected", 0)),
        actions_completion=_ratio(flows.get("actions_done", 0), flows.get("actions_added", 0)),
        service_hours=hours,
        active_volunteers=active,
        service_hours_per_1000=_ratio(hours, residents, 1000),
    )
    stock_names = [
        name
        for name in KPI_NAMES
        if name not in values and name not in PERIOD and not name.endswith(("_coverage", "_share"))
    ]
    values.update({name: stocks.get(name, 0) for name in stock_names})
    values.update(
        volunteer_share=_ratio(stocks.get("volunteers", 0), residents),
        leader_coverage=_ratio(stocks.get("buildings_with_leader", 0), stocks.get("buildings", 0)),
        branch_coverage=_ratio(stocks.get("estates_with_branch", 0), stocks.get("estates", 0)),
        station_coverage=_ratio(stocks.get("estates_with_station", 0), stocks.get("estates", 0)),
    )
    return values


def kpis_of(areas: Sequence[Area], start: dt.date, end: dt.date) -> list[Kpis]:
    """The KPIs of several areas for one period, in the order given (four queries in all)."""
    ids = [area.pk for area in areas]
    flows = flow_totals(ids, start, end)
    stocks = stocks_on(ids, end)
    active = active_volunteers(ids, start, end)
    period = {"days": (end - start).days + 1, "months": len(months_between(start, end))}
    return [
        Kpis(a, start, end, {**derive(flows[a.pk], stocks[a.pk], active[a.pk]), **period}, stocks[a.pk]) for a in areas
    ]


def kpis_for(area: Area, start: dt.date, end: dt.date) -> Kpis:
    return kpis_of([area], start, end)[0]


# --- series and rankings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    labels: list[str]
    values: dict[str, list[float]]


def appeal_trend(area: Area, start: dt.date, end: dt.date) -> Series:
    """Appeals received and resolved in time per day (per month beyond two months)."""
    rows = AppealDay.objects.filter(area=area, day__range=(start, end)).values_list(
        "day", "received", "resolved_on_time"
    )
    return _bucketed(start, end, rows, ("received", "resolved_on_time"))


def service_trend(area: Area, start: dt.date, end: dt.date) -> Series:
    rows = ServiceDay.objects.filter(area=area, day__range=(start, end)).values_list("day", "service_minutes")
    series = _bucketed(start, end, rows, ("service_minutes",))
    return Series(series.labels, {"service_hours": [round(v / 60, 1) for v in series.values["service_minutes"]]})


def _bucketed(start: dt.date, end: dt.date, rows: Iterable[tuple[Any, ...]], names: Sequence[str]) -> Series:
    by_month = (end - start).days > 62
    keys = (
        months_between(start, end)
        if by_month
        else [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    )
    position = {key: i for i, key in enumerate(keys)}
    values = {name: [0.0] * len(keys) for name in names}
    for day, *figures in rows:
        i = position[month_of(day) if by_month else day]
        for name, figure in zip(names, figures, strict=True):
            values[name][i] += figure
    labels = [f"{k:%Y-%m}" if by_month else f"{k:%m-%d}" for k in keys]
    return Series(labels, values)


def hot_categories(area: Area, start: dt.date, end: dt.date, limit: int = 8) -> list[tuple[str, int]]:
    """The categories most appealed about in the months the period touches."""
    rows = (
        CategoryMonth.objects.filter(area=area, month__in=months_between(start, end))
        .values("category__name")
        .annotate(n=Sum("received"))
        .order_by("-n", "category__name")[:limit]
    )
    return [(row["category__name"], row["n"]) for row in rows]


def hot_places(area: Area, start: dt.date, end: dt.date, limit: int = 10) -> list[tuple[str, int]]:
    """The buildings (or estates as a whole) most appealed about in the months the period touches."""
    rows = (
        PlaceMonth.objects.filter(Q(scope=area.path) | Q(scope__startswith=area.path + "."))
        .filter(month__in=months_between(start, end))
        .values("estate__name", "building__number")
        .annotate(n=Sum("received"))
        .order_by("-n", "estate__name", "building__number")[:limit]
    )
    return [(" ".join(filter(None, (row["estate__name"], row["building__number"]))), row["n"]) for row in rows]

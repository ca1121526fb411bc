"""The content of the monthly report (月度报告) of an area: its KPIs for the month beside the month
before, its children's figures, hot categories and places, and the evaluation ranking; and the
names of its files. insights.services.reports queues, renders and sends it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.places.models import Area, AreaKind

from .. import figures, selectors
from ..evaluation import period_of
from ..models import MonthlyReport, PeriodKind
from ..rollups.stocks import OPEN_WORK
from .document import Cell, ReportDocument, Section, Table

SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("people", ("residents", "households", "party_members", "league_members", "volunteers", "volunteer_share")),
    (
        "organisations",
        ("estates", "buildings", "leader_coverage", "branch_coverage", "station_coverage", "stations"),
    ),
    (
        "appeals",
        (
            "received",
            "response_rate",
            "resolution_rate",
            "satisfaction_rate",
            "on_time_rate",
            "average_handling_hours",
            "appeals_open",
            "appeals_overdue",
            "repeats",
        ),
    ),
    (
        "co_governance",
        (
            "items_collected",
            "items_done",
            "items_completion",
            "items_open",
            "meetings_held",
            "actions_added",
            "actions_done",
            "ballots_closed",
            "matters_passed",
        ),
    ),
    (
        "volunteering",
        (
            "activities_held",
            "service_hours",
            "active_volunteers",
            "points_issued",
            "points_redeemed",
            "points_outstanding",
        ),
    ),
]
SECTION_HEADINGS = {
    "people": lambda: _("Population and special groups"),
    "organisations": lambda: _("Organisations and coverage"),
    "appeals": lambda: _("Appeals answered at once"),
    "co_governance": lambda: _("Governance lists, meetings and ballots"),
    "volunteering": lambda: _("Volunteering and points"),
}


def _cell(kpis: figures.Kpis, name: str) -> Cell:
    value = kpis[name]
    if value is None:
        return None
    if figures.KPI_NAMES[name].is_rate:
        return f"{value:g}%"
    return int(value) if float(value).is_integer() else float(value)


def _label(name: str) -> str:
    kpi = figures.KPI_NAMES[name]
    return f"{kpi.label} ({kpi.unit})" if kpi.unit and not kpi.is_rate else str(kpi.label)


def build_document(area: Area, month: dt.date, *, now: dt.datetime | None = None) -> ReportDocument:
    """The report's content in the active language."""
    first, last = period_of(PeriodKind.MONTH, month)
    previous_first, previous_last = period_of(PeriodKind.MONTH, first - dt.timedelta(days=1))
    current = figures.kpis_for(area, first, last)
    previous = figures.kpis_for(area, previous_first, previous_last)
    sections = []
    for key, names in SECTIONS:
        table = Table(
            caption=_("%(month)s and the month before") % {"month": f"{first:%Y-%m}"},
            columns=[_("Figure"), f"{first:%Y-%m}", f"{previous_first:%Y-%m}"],
            rows=[[_label(name), _cell(current, name), _cell(previous, name)] for name in names],
            numeric={1, 2},
        )
        tables = [table]
        if key == "appeals":
            hot = figures.hot_categories(area, first, last)
            places = figures.hot_places(area, first, last)
            tables.append(
                Table(caption=_("Hot categories"), columns=[_("Category"), _("Appeals")], rows=[[n, c] for n, c in hot])
            )
            tables.append(
                Table(caption=_("Hot places"), columns=[_("Place"), _("Appeals")], rows=[[n, c] for n, c in places])
            )
        notes = []
        if any(current[name] is None or previous[name] is None for name in names if name in OPEN_WORK):
            notes.append(
                _(
                    "“—” beside open work (open appeals, open list items, points held): the figures were first "
                    "counted after the end of that month, and open work changes with time alone."
                )
            )
        sections.append(Section(heading=SECTION_HEADINGS[key](), tables=tables, notes=notes))
    children = list(selectors.children_of(area))
    if children:
        rows: list[list[Cell]] = [
            [k.area.name, *[_cell(k, name) for name in figures.CHILD_COLUMNS]]
            for k in figures.kpis_of(children, first, last)
        ]
        sections.append(
            Section(
                heading=_("By %(kind)s") % {"kind": AreaKind(children[0].kind).label},
                tables=[
                    Table(
                        caption=f"{first:%Y-%m}",
                        columns=[str(AreaKind(children[0].kind).label), *[_label(n) for n in figures.CHILD_COLUMNS]],
                        rows=rows,
                        numeric=set(range(1, len(figures.CHILD_COLUMNS) + 1)),
                    )
                ],
            )
        )
    ranking = _ranking(area, first)
    if ranking is not None:
        sections.append(ranking)
    return ReportDocument(
        title=_("Monthly report of %(area)s") % {"area": area.name},
        subtitle=_("%(first)s to %(last)s · %(kind)s")
        % {"first": f"{first:%Y-%m-%d}", "last": f"{last:%Y-%m-%d}", "kind": area.get_kind_display()},
        generated_at=now or timezone.now(),
        sections=sections,
        footer=_("Shuren · figures from the roll-ups of the platform"),
    )


def _ranking(area: Area, first: dt.date) -> Section | None:
    """The evaluation of the month: the communities of a subdistrict ranked, or a community's place."""
    evaluations = selectors.month_ranking(area, first)
    if evaluations is None:
        return None
    rows: list[list[Cell]] = [[e.rank, e.community.name, float(e.score), float(e.max_score)] for e in evaluations]
    if not rows:
        return None
    return Section(
        heading=_("Evaluation index"),
        tables=[
            Table(
                caption=f"{first:%Y-%m}", columns=[_("Rank"), _("Community"), _("Score"), _("Maximum score")], rows=rows
            )
        ],
    )


def file_name(report: MonthlyReport, fmt: str) -> str:
    return f"report-{report.area.path}-{report.month:%Y-%m}.{fmt}"

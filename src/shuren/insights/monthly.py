"""The monthly report (月度报告) of an area: its KPIs for the month beside the month before, its
children's figures, hot categories and places, and the evaluation ranking; rendered as xlsx and
PDF by a task, downloadable from the dashboard and sent by e-mail."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.places.models import Area, AreaKind

from . import figures
from .evaluation import period_of
from .models import Evaluation, MonthlyReport, PeriodKind, ReportStatus
from .reports.document import ReportDocument, Section, Table
from .rollups.stocks import OPEN_WORK

logger = logging.getLogger(__name__)

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


def _cell(kpis: figures.Kpis, name: str) -> Any:
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
    children = list(Area.objects.filter(parent=area).order_by("path"))
    if children:
        rows = [
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
    if area.kind == AreaKind.SUBDISTRICT:
        evaluations = Evaluation.objects.filter(
            community__parent=area, period_kind=PeriodKind.MONTH, period_start=first
        )
    elif area.kind == AreaKind.COMMUNITY:
        evaluations = Evaluation.objects.filter(community=area, period_kind=PeriodKind.MONTH, period_start=first)
    else:
        return None
    rows = [
        [e.rank, e.community.name, float(e.score), float(e.max_score)]
        for e in evaluations.select_related("community").order_by("rank", "community__path")
    ]
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


def request_report(*, actor: Any, area: Area, month: dt.date, email_to: list[str] | None = None) -> MonthlyReport:
    """Queue the monthly report of ``area`` for ``month`` (generated by the task worker)."""
    require(actor, "insights.report", area)
    from .tasks import generate_report_task

    report = MonthlyReport.objects.create(
        area=area,
        month=month.replace(day=1),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=actor,
        email_to=list(email_to or []),
    )
    record_event(
        "insights.report_requested", actor=actor, obj=area, detail={"report": report.pk, "month": f"{month:%Y-%m}"}
    )
    transaction.on_commit(lambda: generate_report_task.enqueue(report.pk))
    return report


def generate_report(report_id: int) -> MonthlyReport:
    """Render a queued report as xlsx and PDF and, if asked, e-mail both. A failure is recorded
    on the report (the page shows it) rather than lost."""
    from .reports.pdf import render_pdf
    from .reports.xlsx import render_xlsx

    report = MonthlyReport.objects.select_related("area").get(pk=report_id)
    with translation.override(report.language):
        try:
            document = build_document(report.area, report.month)
            report.xlsx = render_xlsx(document)
            report.pdf = render_pdf(document, page_format=_("Page {page} of {pages}"))
        except Exception as exc:  # noqa: BLE001  (kept on the report for the user to see, and logged)
            logger.exception("monthly report %s failed", report.pk)
            report.status = ReportStatus.FAILED
            report.error = str(exc)[:300]
        else:
            report.status = ReportStatus.READY
        report.finished_at = timezone.now()
        report.save(update_fields=["xlsx", "pdf", "status", "error", "finished_at"])
        if report.status == ReportStatus.READY and report.email_to:
            send_report(report)
    return report


def file_name(report: MonthlyReport, fmt: str) -> str:
    return f"report-{report.area.path}-{report.month:%Y-%m}.{fmt}"


def send_report(report: MonthlyReport) -> None:
    """E-mail the report's two files to its recipients."""
    message = EmailMessage(
        subject=_("Monthly report of %(area)s, %(month)s")
        % {"area": report.area.name, "month": f"{report.month:%Y-%m}"},
        body=_("The monthly report is attached as a spreadsheet and as a PDF."),
        to=report.email_to,
    )
    message.attach(
        file_name(report, "xlsx"),
        bytes(report.xlsx),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    message.attach(file_name(report, "pdf"), bytes(report.pdf), "application/pdf")
    message.send()
    report.emailed_at = timezone.now()
    report.save(update_fields=["emailed_at"])


def monthly_run(month: dt.date | None = None) -> dict[str, int]:
    """The first-of-the-month job: bring the roll-ups up to date, evaluate last month, and queue
    the monthly report of every subdistrict and district."""
    from . import rollups
    from .evaluation import evaluate_period
    from .forms import last_month
    from .tasks import generate_report_task

    month = month or last_month()
    rollups.refresh()
    outcome = evaluate_period(PeriodKind.MONTH, month)
    queued = 0
    for area in Area.objects.filter(kind__in=(AreaKind.DISTRICT, AreaKind.SUBDISTRICT)):
        if MonthlyReport.objects.filter(area=area, month=month, requested_by__isnull=True).exists():
            continue
        report = MonthlyReport.objects.create(area=area, month=month, language=settings.LANGUAGE_CODE)
        generate_report_task.enqueue(report.pk)
        queued += 1
    return {"evaluations": outcome.evaluations, "reports": queued}

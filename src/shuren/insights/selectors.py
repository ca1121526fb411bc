"""Every read of insights: which areas a user may read the figures of and the breadcrumb above
one of them; the rankings, a community's evaluations and the indicators; the monthly reports; the
names the dashboard's charts show. The console pages, the API and the monthly report call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, path_covers, scope_paths, visible
from shuren.orgs.models import PostKind
from shuren.people.models import PersonTag
from shuren.places.models import Area, AreaKind

from .models import Evaluation, Indicator, MonthlyReport, PeriodKind, ReportStatus

VIEW = "insights.view"
REPORT = "insights.report"


# --- areas ---------------------------------------------------------------------------------------


def dashboard_areas(user: Any, action: str = VIEW) -> QuerySet[Area]:
    return visible(Area.objects.all(), user, action)


def top_areas(user: Any, action: str = VIEW) -> list[Area]:
    """The widest areas the user may read (usually one: their grid, community, subdistrict or
    district)."""
    paths = scope_paths(user, action)
    areas = dashboard_areas(user, action).order_by("depth", "path")
    if paths == [""]:
        return list(areas.filter(parent__isnull=True))
    return list(areas.filter(path__in=paths))


def openable_area(user: Any, pk: int, action: str = VIEW) -> Area:
    area = dashboard_areas(user, action).filter(pk=pk).first()
    if area is None:
        raise OutOfScope()
    return area


def may_report(user: Any, area: Area) -> bool:
    """Whether the user may ask for (and download) the monthly reports of ``area``."""
    return bool(user.is_authenticated) and dashboard_areas(user, REPORT).filter(pk=area.pk).exists()


def breadcrumb(user: Any, area: Area, action: str = VIEW) -> list[tuple[Area, bool]]:
    """The areas from the top down to ``area``, each with whether the user may open it."""
    paths = scope_paths(user, action)
    chain = [*area.ancestors(), area]
    return [(a, any(path_covers(p, a.path) for p in paths)) for a in chain]


def children_of(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(parent=area).order_by("path")


def ranked_subdistricts(user: Any) -> list[Area]:
    """The subdistricts whose ranking the user may read; community staff read their own
    subdistrict's."""
    subdistricts = list(dashboard_areas(user).filter(kind=AreaKind.SUBDISTRICT).order_by("path"))
    communities = list(dashboard_areas(user).filter(kind=AreaKind.COMMUNITY))
    if not subdistricts and communities:
        subdistricts = list(Area.objects.filter(pk__in={c.parent_id for c in communities}).order_by("path"))
    return subdistricts


def communities_of(subdistrict: Area) -> list[Area]:
    return list(Area.objects.filter(parent=subdistrict, kind=AreaKind.COMMUNITY).order_by("path"))


def subdistricts(*, under: Area | None = None) -> QuerySet[Area]:
    """Every subdistrict, or those of ``under`` (a district, or a subdistrict itself)."""
    areas = Area.objects.filter(kind=AreaKind.SUBDISTRICT)
    if under is not None:
        areas = (
            areas.filter(pk=under.pk)
            if under.kind == AreaKind.SUBDISTRICT
            else areas.filter(path__startswith=under.path + ".")
        )
    return areas.order_by("path")


def districts_and_subdistricts() -> QuerySet[Area]:
    """The areas whose monthly report the first-of-the-month job queues."""
    return Area.objects.filter(kind__in=(AreaKind.DISTRICT, AreaKind.SUBDISTRICT))


def has_scheduled_report(area: Area, month: dt.date) -> bool:
    """Whether the monthly job already queued ``area``'s report of ``month``."""
    return MonthlyReport.objects.filter(area=area, month=month, requested_by__isnull=True).exists()


# --- the evaluation index ------------------------------------------------------------------------


def ranking(subdistrict: Area | None, kind: str, first: dt.date) -> QuerySet[Evaluation]:
    """The communities of ``subdistrict`` ranked for the period beginning on ``first``."""
    if subdistrict is None:
        return Evaluation.objects.none()
    return (
        Evaluation.objects.filter(community__parent=subdistrict, period_kind=kind, period_start=first)
        .select_related("community")
        .prefetch_related("scores")
        .order_by("rank", "community__path")
    )


def month_ranking(area: Area, first: dt.date) -> QuerySet[Evaluation] | None:
    """The evaluation of the month beginning on ``first`` as the monthly report shows it: the
    communities of a subdistrict ranked, or a community's place; None for other areas."""
    if area.kind == AreaKind.SUBDISTRICT:
        evaluations = Evaluation.objects.filter(
            community__parent=area, period_kind=PeriodKind.MONTH, period_start=first
        )
    elif area.kind == AreaKind.COMMUNITY:
        evaluations = Evaluation.objects.filter(community=area, period_kind=PeriodKind.MONTH, period_start=first)
    else:
        return None
    return evaluations.select_related("community").order_by("rank", "community__path")


def evaluations_of(community: Area) -> list[Evaluation]:
    """A community's evaluations, by period kind and then oldest first."""
    return list(
        Evaluation.objects.filter(community=community)
        .prefetch_related("scores")
        .order_by("period_kind", "period_start")
    )


def evaluations_for(user: Any, *, community: str = "", period_kind: str = "", limit: int = 500) -> list[Evaluation]:
    """The evaluations of the communities in the user's scope, newest first (the API's list):
    ``community`` (a pk, as text) and ``period_kind`` narrow it; other values are ignored."""
    evaluations = Evaluation.objects.filter(community__in=dashboard_areas(user)).select_related("community")
    if community.isdigit():
        evaluations = evaluations.filter(community_id=int(community))
    if period_kind in PeriodKind.values:
        evaluations = evaluations.filter(period_kind=period_kind)
    return list(evaluations.prefetch_related("scores").order_by("-period_start", "rank")[:limit])


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True))


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def indicator(pk: int) -> Indicator:
    """An indicator by pk (Indicator.DoesNotExist -> 404 in the views)."""
    return Indicator.objects.get(pk=pk)


# --- monthly reports -----------------------------------------------------------------------------


def reports_of(area: Area, *, limit: int = 24) -> list[MonthlyReport]:
    """The latest monthly reports of ``area``, without their files."""
    return list(MonthlyReport.objects.filter(area=area).defer("xlsx", "pdf")[:limit])


def ready_report(pk: int) -> MonthlyReport | None:
    return MonthlyReport.objects.select_related("area").filter(pk=pk, status=ReportStatus.READY).first()


def report_to_generate(pk: int) -> MonthlyReport:
    return MonthlyReport.objects.select_related("area").get(pk=pk)


# --- names the dashboard's charts show -----------------------------------------------------------


def tag_names(user: Any, area: Area) -> dict[str, str]:
    """The people's tags whose counts the user may see in ``area``: counts of sensitive groups
    (health, low income ...) need the permission to see them, even as a count — in a small grid a
    count can point at a household."""
    tags = PersonTag.objects.all()
    if not can(user, "people.view_sensitive", area):
        tags = tags.filter(is_sensitive=False)
    return dict(tags.values_list("code", "name"))


def post_names() -> dict[str, str]:
    return dict(PostKind.objects.values_list("code", "name"))

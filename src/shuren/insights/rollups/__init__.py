"""Keeping the roll-up tables current.

``refresh`` recomputes what may have changed since the last run: the days of appeals with new
events or crossed deadlines, of service records confirmed and of ledger transactions posted
since then (less a safety margin for transactions that committed late), every row of the small
co-governance tables, and today's stocks. ``rebuild`` recomputes everything. Both run in one
transaction, so a dashboard sees the figures of one run or of the next, never a mixture; on
PostgreSQL an advisory lock lets one run at a time.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from shuren.core.bulk import bulk_load

from ..models import (
    APPEAL_FIGURES,
    AppealDay,
    CategoryMonth,
    PlaceMonth,
    PointsDay,
    RefreshKind,
    RefreshRun,
    ServiceDay,
    Stock,
    VolunteerMonth,
    WorkDay,
)
from . import flows
from .stocks import stocks
from .tree import AreaIndex, days_of_months, month_of

# A transaction that wrote an event before the last run's moment but committed after it is seen by
# the next run as long as it took less than this.
SAFETY_MARGIN = dt.timedelta(minutes=15)
LOCK_KEY = 0x5348_5253  # "SHRS": the advisory lock of the roll-up builder


def refresh(*, now: dt.datetime | None = None) -> RefreshRun:
    """Bring the roll-ups up to ``now`` (a rebuild when there has been no run yet)."""
    last = RefreshRun.objects.order_by("-as_of").first()
    if last is None:
        return rebuild(now=now)
    return _run(RefreshKind.REFRESH, now or timezone.now(), since=last.as_of - SAFETY_MARGIN)


def rebuild(*, now: dt.datetime | None = None) -> RefreshRun:
    """Recompute every roll-up row from the raw tables."""
    return _run(RefreshKind.REBUILD, now or timezone.now(), since=None)


def last_run() -> RefreshRun | None:
    return RefreshRun.objects.order_by("-as_of").first()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _replace_days(
    model: type[Model], totals: dict[tuple[int, Any], dict[str, float]], days: set[dt.date] | None
) -> int:
    stale = model._default_manager.all() if days is None else model._default_manager.filter(day__in=sorted(days))
    stale.delete()
    bulk_load(model, [model(area_id=area_id, day=day, **figures) for (area_id, day), figures in totals.items()])
    return len(totals)


def _replace_months(model: type[Model], rows: Iterable[Model], months: set[dt.date] | None) -> None:
    stale = model._default_manager.all() if months is None else model._default_manager.filter(month__in=sorted(months))
    stale.delete()
    bulk_load(model, list(rows))


def _run(kind: str, now: dt.datetime, *, since: dt.datetime | None) -> RefreshRun:
    started = time.perf_counter()
    with transaction.atomic():
        _lock()
        index = AreaIndex()
        if since is None:
            appeal_days = service_days = points_days = None
            appeal_months = service_months = None
        else:
            appeal_days = flows.dirty_appeal_days(since, now)
            service_days = flows.dirty_service_days(since)
            points_days = flows.dirty_points_days(since)
            appeal_months = {month_of(day) for day in appeal_days}
            service_months = {month_of(day) for day in service_days}

        detail: dict[str, int] = {}
        detail["appeal_rows"] = _replace_days(AppealDay, flows.appeal_days(index, appeal_days, now), appeal_days)
        month_days = None if appeal_months is None else days_of_months(appeal_months)
        _replace_months(
            CategoryMonth,
            (
                CategoryMonth(area_id=area_id, month=month, category_id=category_id, received=values["received"])
                for (area_id, (month, category_id)), values in flows.category_months(index, month_days).items()
            ),
            appeal_months,
        )
        _replace_months(PlaceMonth, (PlaceMonth(**row) for row in flows.place_months(month_days)), appeal_months)
        detail["work_rows"] = _replace_days(WorkDay, flows.work_days(index, now), None)
        detail["service_rows"] = _replace_days(ServiceDay, flows.service_days(index, service_days), service_days)
        _replace_months(
            VolunteerMonth,
            (
                VolunteerMonth(area_id=area_id, month=month, active_volunteers=count)
                for (area_id, month), count in flows.volunteer_months(index, service_months).items()
            ),
            service_months,
        )
        detail["points_rows"] = _replace_days(PointsDay, flows.points_days(index, points_days), points_days)
        detail["stocks"] = _take_stock(index, now)
        recomputed = [d for d in (appeal_days, service_days, points_days) if d is not None]
        return RefreshRun.objects.create(
            kind=kind,
            as_of=now,
            finished_at=timezone.now(),
            seconds=round(time.perf_counter() - started, 3),
            days=len(set().union(*recomputed)) if since is not None and recomputed else 0,
            detail=detail,
        )


def _take_stock(index: AreaIndex, now: dt.datetime) -> int:
    """Today's stocks replace any taken earlier this month: each month keeps its last count."""
    today = timezone.localdate(now)
    Stock.objects.filter(taken_on__gte=today.replace(day=1), taken_on__lte=today).delete()
    figures = stocks(index, now)
    bulk_load(
        Stock,
        [
            Stock(area_id=area_id, taken_on=today, figure=figure, value=value)
            for (area_id, figure), value in figures.items()
        ],
    )
    return len(figures)


__all__ = ["APPEAL_FIGURES", "last_run", "rebuild", "refresh"]

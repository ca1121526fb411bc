"""The appeal KPIs ("三率" and the rest). Definitions (docs/appeals.md says the same in words):

Counted appeals: submitted in the period, neither rejected nor merged into another.
- 响应率 response rate = taken up within the response deadline / counted appeals whose response
  deadline has passed or that were taken up.
- 解决率 resolution rate = rated "solved" by the reporter / counted appeals the reporter rated.
- 满意率 satisfaction rate = rated 4 or 5 (satisfied, very satisfied) / counted appeals rated.
- 按期办结率 on-time resolution = resolved within the resolution deadline / counted appeals resolved.
- Average handling time = mean working hours from submission to (first) resolution.
- Overdue = counted appeals open past their deadline now, plus those resolved late.
- Repeat appeals = appeals merged into another (duplicates) plus appeals the reporter reopened.
A rate with nothing to count is None (shown as "—"), never 0 or 100 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from .models import OPEN_STATUSES, Appeal, Status


@dataclass(frozen=True)
class AppealKpis:
    counted: int
    response_due: int
    responded_on_time: int
    rated: int
    solved: int
    satisfied: int
    resolved: int
    resolved_on_time: int
    average_handling_hours: float | None
    overdue: int
    repeats: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return None if whole == 0 else part / whole

    @property
    def response_rate(self) -> float | None:
        return self._rate(self.responded_on_time, self.response_due)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.solved, self.rated)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)

    @property
    def on_time_resolution_rate(self) -> float | None:
        return self._rate(self.resolved_on_time, self.resolved)


# Aggregates carry this prefix: unprefixed, "resolved_on_time" would name both a column and an
# aggregate, and Django would read the other aggregates' filters as referring to the aggregate.
PREFIX = "kpi_"


def counted_condition() -> Q:
    """The counted appeals: neither rejected nor merged. A merged appeal keeps ``duplicate_of`` when
    its target's outcome reaches it (it is then resolved or rejected too): it stays a repeat, never a
    counted appeal."""
    return ~Q(status__in=(Status.REJECTED, Status.MERGED)) & Q(duplicate_of__isnull=True)


def kpi_aggregates(now: dt.datetime) -> dict[str, Any]:
    """The aggregates behind AppealKpis, named with ``PREFIX`` (a roll-up groups them by day)."""
    counted = counted_condition()
    aggregates = {
        "counted": Count("pk", filter=counted),
        "response_due": Count("pk", filter=counted & (Q(responded_at__isnull=False) | Q(response_due_at__lt=now))),
        "responded_on_time": Count("pk", filter=counted & Q(responded_on_time=True)),
        "rated": Count("pk", filter=counted & Q(satisfaction__isnull=False)),
        "solved": Count("pk", filter=counted & Q(satisfaction__isnull=False, is_solved=True)),
        "satisfied": Count("pk", filter=counted & Q(satisfaction__gte=4)),
        "resolved": Count("pk", filter=counted & Q(resolved_on_time__isnull=False)),
        "resolved_on_time": Count("pk", filter=counted & Q(resolved_on_time=True)),
        "average_handling_hours": Avg("handling_hours", filter=counted),
        "overdue": Count(
            "pk",
            filter=counted & (Q(status__in=OPEN_STATUSES, resolution_due_at__lt=now) | Q(resolved_on_time=False)),
        ),
        "repeats": Count("pk", filter=Q(duplicate_of__isnull=False) | Q(reopen_count__gt=0)),
    }
    return {PREFIX + name: aggregate for name, aggregate in aggregates.items()}


def kpis_from_row(row: dict[str, Any]) -> AppealKpis:
    values = {k.removeprefix(PREFIX): v for k, v in row.items() if k.startswith(PREFIX)}
    hours = values.pop("average_handling_hours")
    return AppealKpis(
        **{k: v or 0 for k, v in values.items()},
        average_handling_hours=round(hours, 1) if hours is not None else None,
    )


def appeal_kpis(appeals: QuerySet[Appeal], *, now: dt.datetime | None = None) -> AppealKpis:
    """The KPIs of ``appeals`` (already limited to a scope and period)."""
    return kpis_from_row(appeals.order_by().aggregate(**kpi_aggregates(now or timezone.now())))


def appeal_kpis_by(
    appeals: QuerySet[Appeal], field: str, *, now: dt.datetime | None = None
) -> list[tuple[Any, AppealKpis]]:
    """The KPIs grouped by ``field`` (``organization``, ``area``, ``estate`` or ``category``):
    (the group's value id, its KPIs), largest groups first."""
    rows = (
        appeals.order_by().values(field).annotate(**kpi_aggregates(now or timezone.now())).order_by(f"-{PREFIX}counted")
    )
    return [(row[field], kpis_from_row(row)) for row in rows]


def in_period(appeals: QuerySet[Appeal], start: dt.date | None, end: dt.date | None) -> QuerySet[Appeal]:
    """Appeals submitted from ``start`` to ``end`` inclusive (local dates)."""
    tz = timezone.get_current_timezone()
    if start:
        appeals = appeals.filter(submitted_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end:
        appeals = appeals.filter(
            submitted_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return appeals


# Beyond this many days, the appeals of a period are counted per month rather than per day.
DAILY_UP_TO_DAYS = 62


def counted_over_time(appeals: QuerySet[Appeal], start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    """The counted appeals of a period per day of submission (local dates, "MM-DD"), or per month
    ("YYYY-MM") beyond ``DAILY_UP_TO_DAYS``; every day or month of the period is listed, with 0 when
    nothing came in."""
    tz = timezone.get_current_timezone()
    by_month = (end - start).days + 1 > DAILY_UP_TO_DAYS
    bucket = TruncMonth("submitted_at", tzinfo=tz) if by_month else TruncDate("submitted_at", tzinfo=tz)
    rows = in_period(appeals, start, end).filter(counted_condition()).order_by().annotate(on=bucket).values("on")
    counts: dict[dt.date, int] = {}
    for row in rows.annotate(n=Count("pk")):
        on = row["on"]
        day = on.date() if isinstance(on, dt.datetime) else on
        counts[day] = counts.get(day, 0) + row["n"]
    if by_month:
        keys = []
        month = start.replace(day=1)
        while month <= end:
            keys.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return [(f"{k:%Y-%m}", counts.get(k, 0)) for k in keys]
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return [(f"{d:%m-%d}", counts.get(d, 0)) for d in days]

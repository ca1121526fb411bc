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


def kpi_aggregates(now: dt.datetime) -> dict[str, Any]:
    """The aggregates behind AppealKpis, named with ``PREFIX`` (a roll-up groups them by day)."""
    # A merged appeal keeps ``duplicate_of`` when its target's outcome reaches it (it is then
    # resolved or rejected too): it stays a repeat, never a counted appeal.
    counted = ~Q(status__in=(Status.REJECTED, Status.MERGED)) & Q(duplicate_of__isnull=True)
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

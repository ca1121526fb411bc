"""From rows filed under scope paths to figures of every area above them.

A builder groups raw rows by (scope, key) in one query; ``spread`` then adds each group to the
area of its scope and to every area above it, so each area's row holds everything filed under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Q

from shuren.core.scoping import covering_paths
from shuren.places.models import Area

Figures = dict[str, float]


class AreaIndex:
    """Area ids by path, read once per run."""

    def __init__(self) -> None:
        self.by_path: dict[str, int] = dict(Area.objects.values_list("path", "pk"))

    def areas_covering(self, scope: str) -> list[int]:
        """The ids of the area ``scope`` names and of every area above it."""
        return [self.by_path[p] for p in covering_paths(scope) if p in self.by_path] if scope else []


def spread(
    index: AreaIndex, rows: Iterable[Mapping[str, Any]], *, key: str, figures: Sequence[str]
) -> dict[tuple[int, Any], Figures]:
    """Sum ``figures`` of ``rows`` (each with ``scope`` and ``key``) into every covering area."""
    totals: dict[tuple[int, Any], Figures] = {}
    for row in rows:
        values = [(name, row[name] or 0) for name in figures]
        for area_id in index.areas_covering(row["scope"]):
            total = totals.get((area_id, row[key]))
            if total is None:
                totals[(area_id, row[key])] = dict(values)
            else:
                for name, value in values:
                    total[name] += value
    return totals


def day_ranges(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days joined into (first, last) ranges, in order."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if ranges and day - ranges[-1][1] == dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def local_midnight(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def moments_on(field: str, days: Iterable[dt.date] | None) -> Q:
    """Rows whose datetime ``field`` falls on one of ``days`` (local dates); every row for None."""
    if days is None:
        return Q()
    query = Q(pk__in=[])
    for first, last in day_ranges(days):
        query |= Q(
            **{f"{field}__gte": local_midnight(first), f"{field}__lt": local_midnight(last + dt.timedelta(days=1))}
        )
    return query


def dates_on(field: str, days: Iterable[dt.date] | None) -> Q:
    """Rows whose date ``field`` is one of ``days``; every row for None."""
    if days is None:
        return Q()
    query = Q(pk__in=[])
    for first, last in day_ranges(days):
        query |= Q(**{f"{field}__range": (first, last)})
    return query


def as_date(value: dt.date | dt.datetime) -> dt.date:
    """A truncated month or day as a date (TruncMonth of a datetime column gives a local datetime)."""
    return value.date() if isinstance(value, dt.datetime) else value


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def days_of_months(months: Iterable[dt.date]) -> set[dt.date]:
    """Every day of the given months (each given by its first day)."""
    days: set[dt.date] = set()
    for first in set(months):
        day = first
        while day.month == first.month:
            days.add(day)
            day += dt.timedelta(days=1)
    return days

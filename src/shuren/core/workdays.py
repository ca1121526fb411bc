"""Working time in mainland China: deadlines count working days and working hours only.

A day is a working day when an override in the database says so; otherwise when chinese-calendar
says so (it knows the official holidays and make-up working days of the years it covers); for a year
the package does not cover yet, Monday to Friday. Working hours are a setting
(``SHUREN_WORKING_HOURS``, e.g. ``09:00-12:00,13:30-17:30``), read in the site's time zone.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone

DEFAULT_WORKING_HOURS = "09:00-12:00,13:30-17:30"
# The hours (local) at which residents act on their own (rate an answer, reply): demo data keeps to them.
AWAKE_FROM, AWAKE_UNTIL = 7, 22


def _parse_time(text: str) -> dt.time:
    hour, minute = text.strip().split(":")
    return dt.time(int(hour), int(minute))


@lru_cache(maxsize=8)
def _windows(spec: str) -> tuple[tuple[dt.time, dt.time], ...]:
    windows = []
    for part in spec.split(","):
        start, end = part.split("-")
        windows.append((_parse_time(start), _parse_time(end)))
    windows.sort()
    for (_s1, e1), (s2, _e2) in zip(windows, windows[1:], strict=False):
        if s2 < e1:
            raise ValueError(f"overlapping working hours: {spec}")
    if any(end <= start for start, end in windows):
        raise ValueError(f"a working-hours window must end after it starts: {spec}")
    return tuple(windows)


def working_windows() -> tuple[tuple[dt.time, dt.time], ...]:
    return _windows(getattr(settings, "SHUREN_WORKING_HOURS", DEFAULT_WORKING_HOURS))


def hours_per_working_day() -> float:
    seconds = sum(
        (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)).total_seconds()
        for start, end in working_windows()
    )
    return seconds / 3600


def calendar_covers(year: int) -> bool:
    """Whether chinese-calendar knows the official holidays of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


# The overrides change a few times a year and are read by every deadline: each process keeps them in
# the cache (a shared cache, where one is configured, serves every process at once). Saving or
# deleting an override forgets them at once and again at its commit; a process with a cache of its
# own (the default, in memory) may go on with the old overrides for at most OVERRIDES_CACHE_SECONDS.
OVERRIDES_CACHE_KEY = "shuren:workday-overrides"
OVERRIDES_CACHE_SECONDS = 60


def workday_overrides() -> dict[dt.date, bool]:
    """The database's overrides, day by day: True for a working day, False for a day off."""
    from django.core.cache import cache

    overrides = cache.get(OVERRIDES_CACHE_KEY)
    if overrides is None:
        from .models import WorkdayOverride

        overrides = dict(WorkdayOverride.objects.values_list("on", "is_working_day"))
        cache.set(OVERRIDES_CACHE_KEY, overrides, OVERRIDES_CACHE_SECONDS)
    return overrides


def forget_overrides(**_signal: object) -> None:
    """Drop the cached overrides now and once more when the transaction that changed them commits
    (a process that read them in between would otherwise keep the state before the change)."""
    from django.core.cache import cache
    from django.db import transaction

    cache.delete(OVERRIDES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(OVERRIDES_CACHE_KEY))


class WorkingCalendar:
    """Working days with the database overrides (cached, see ``workday_overrides``); build one per
    computation."""

    def __init__(self) -> None:
        self._overrides = workday_overrides()
        self._known: dict[dt.date, bool] = {}  # the package's answers, asked once (each call scans its tables)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        if day not in self._known:
            try:
                self._known[day] = bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                self._known[day] = day.weekday() < 5
        return self._known[day]

    def _local(self, moment: dt.datetime) -> dt.datetime:
        return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)

    def _intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return []
        tz = timezone.get_current_timezone()
        return [
            (dt.datetime.combine(day, start, tzinfo=tz), dt.datetime.combine(day, end, tzinfo=tz))
            for start, end in working_windows()
        ]

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment when ``hours`` of working time have passed after ``start``.

        Time outside the working windows and on rest days does not count; a deadline that falls
        exactly at the end of a window stays there rather than moving to the next morning.
        """
        remaining = dt.timedelta(hours=hours)
        moment = self._local(start)
        day = moment.date()
        for _ in range(3660):  # ten years of days: a bound, not an expected length
            for begin, end in self._intervals(day):
                if end <= moment:
                    continue
                begin = max(begin, moment)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += dt.timedelta(days=1)
            moment = dt.datetime.combine(day, dt.time.min, tzinfo=moment.tzinfo)
        raise ValueError("no working time found within ten years")

    def subtract_working_hours(self, end: dt.datetime, hours: float) -> dt.datetime:
        """The earliest moment from which at most ``hours`` of working time remain until ``end``:
        ``add_working_hours`` run backwards. A moment at the opening of a window moves back to the
        close of the previous one (the evening before), since no working time lies in between."""
        remaining = dt.timedelta(hours=hours)
        moment = self._local(end)
        day = moment.date()
        for _ in range(3660):  # ten years of days: a bound, not an expected length
            for begin, finish in reversed(self._intervals(day)):
                if begin >= moment:
                    continue
                finish = min(finish, moment)
                if remaining < finish - begin:
                    return finish - remaining
                remaining -= finish - begin
            moment = dt.datetime.combine(day, dt.time.min, tzinfo=moment.tzinfo)
            day -= dt.timedelta(days=1)
        raise ValueError("no working time found within ten years")

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working hours from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
        start, end = self._local(start), self._local(end)
        if end <= start:
            return 0.0
        total = dt.timedelta()
        day = start.date()
        while day <= end.date():
            for begin, finish in self._intervals(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > dt.timedelta():
                    total += overlap
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600

"""When things happen, for the generators: the hours and days a real community keeps.

Everything is in the site's time zone (Asia/Shanghai):

* activities start in the daytime (``FIRST_START`` to ``LAST_START``) on a day that suits their
  kind: what a title says (周末, 周六, 周日, 工作日, 晚上 …) decides it (``day_rule``), working
  days and holidays as ``core.workdays.WorkingCalendar`` knows them (chinese-calendar);
* residents write at the hours people are awake (``RESIDENT_HOURS``, a daily curve: few appeals
  at night), staff and grid workers act within the working windows of working days;
* ``awake`` moves a resident's action out of the night.

The tests read the same rules (``fits``) to check every generated row.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from shuren.core import workdays

FIRST_START = dt.time(8, 30)
LAST_START = dt.time(19, 30)
EVENING_FROM = dt.time(18, 0)
# Appeals residents write themselves (the portal, the 12345 hotline, apps): a share of the day's
# appeals per hour, 00:00 to 23:00; about 2 % arrive between midnight and six.
RESIDENT_HOURS = [0.6, 0.3, 0.2, 0.1, 0.1, 0.3, 1, 3, 7, 9, 9, 8, 5, 5, 7, 8, 8, 7, 5, 5, 5, 4, 3, 1.5]
# A resident rates or replies between these hours.
AWAKE_FROM, AWAKE_UNTIL = workdays.AWAKE_FROM, workdays.AWAKE_UNTIL

# What a text says about when it happens, in the order they are checked.
WEEKEND, SATURDAY, SUNDAY, WORKDAY, EVENING, DAYTIME, ANY = (
    "weekend",
    "saturday",
    "sunday",
    "workday",
    "evening",
    "daytime",
    "any",
)
_WORDS = [
    (SATURDAY, ("周六", "星期六", "礼拜六")),
    (SUNDAY, ("周日", "星期日", "星期天", "礼拜天")),
    (WEEKEND, ("周末", "双休日")),
    (WORKDAY, ("工作日",)),
]
_EVENING_WORDS = ("晚上", "夜间", "傍晚")


def day_rule(text: str) -> str:
    """Which days the text ties an event to: ``saturday``, ``sunday``, ``weekend``, ``workday`` or
    ``any``."""
    for rule, words in _WORDS:
        if any(word in text for word in words):
            return rule
    return ANY


def hour_rule(text: str) -> str:
    """``evening`` when the text says the event is in the evening, else ``any``."""
    return EVENING if any(word in text for word in _EVENING_WORDS) else ANY


def day_fits(rule: str, day: dt.date, is_working_day: Callable[[dt.date], bool]) -> bool:
    if rule == SATURDAY:
        return day.weekday() == 5
    if rule == SUNDAY:
        return day.weekday() == 6
    if rule == WEEKEND:
        return day.weekday() >= 5
    if rule == WORKDAY:
        return is_working_day(day)
    return True


def fits(text: str, moment: dt.datetime, is_working_day: Callable[[dt.date], bool]) -> bool:
    """Whether an event described by ``text`` and starting at ``moment`` is on a day and at an
    hour its words allow (and in the daytime: ``FIRST_START`` to ``LAST_START``)."""
    local = timezone.localtime(moment)
    if not FIRST_START <= local.time() <= LAST_START:
        return False
    if hour_rule(text) == EVENING and local.time() < EVENING_FROM:
        return False
    return day_fits(day_rule(text), local.date(), is_working_day)


def fitting_day(
    rule: str,
    day: dt.date,
    is_working_day: Callable[[dt.date], bool],
    *,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
) -> dt.date | None:
    """The day nearest ``day`` (later first) within ``earliest``..``latest`` that suits ``rule``;
    None when no day within a fortnight does."""
    for offset in range(15):
        for candidate in (day + dt.timedelta(days=offset), day - dt.timedelta(days=offset)):
            if earliest is not None and candidate < earliest:
                continue
            if latest is not None and candidate > latest:
                continue
            if day_fits(rule, candidate, is_working_day):
                return candidate
    return None


def clamp_start(hours: float) -> float:
    """A start hour (e.g. 9.5 for 09:30) moved into ``FIRST_START``..``LAST_START``."""
    first = FIRST_START.hour + FIRST_START.minute / 60
    last = LAST_START.hour + LAST_START.minute / 60
    return min(last, max(first, hours))


def local_moment(day: dt.date, hours: float) -> dt.datetime:
    """``day`` at ``hours`` (9.5: 09:30) in the site's time zone."""
    whole = int(hours)
    minutes = int(round((hours - whole) * 60))
    return dt.datetime.combine(day, dt.time(whole, minutes), tzinfo=timezone.get_current_timezone())


def awake(moment: float, rng: random.Random) -> float:
    """A resident's action at ``moment`` (epoch seconds), moved out of the night: before
    ``AWAKE_FROM`` to that morning, from ``AWAKE_UNTIL`` to the next morning (a random minute of
    the first hour). Never earlier than ``moment``."""
    tz = timezone.get_current_timezone()
    local = dt.datetime.fromtimestamp(moment, tz=tz)
    if AWAKE_FROM <= local.hour < AWAKE_UNTIL:
        return moment
    day = local.date() if local.hour < AWAKE_FROM else local.date() + dt.timedelta(days=1)
    morning = dt.datetime.combine(day, dt.time(AWAKE_FROM), tzinfo=tz).timestamp()
    return morning + rng.uniform(0, 3600)

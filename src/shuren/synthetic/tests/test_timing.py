"""The hours and days the generators keep (``synthetic.timing``): what a title says about its day,
daytime starts, residents who do not act at night."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from shuren.synthetic import timing

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def workdays(day: dt.date) -> bool:
    return day.weekday() < 5 and day != dt.date(2026, 10, 1)  # a holiday on a Thursday


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def test_a_title_ties_its_event_to_the_days_and_hours_it_names():
    assert timing.day_rule("周末长者陪伴探访") == timing.WEEKEND
    assert timing.day_rule("本周六上午消防演练") == timing.SATURDAY
    assert timing.day_rule("星期日义诊") == timing.SUNDAY
    assert timing.day_rule("工作日午间党员先锋岗") == timing.WORKDAY
    assert timing.day_rule("长者义剪进小区") == timing.ANY
    assert timing.hour_rule("晚上巡逻") == timing.EVENING and timing.hour_rule("义诊") == timing.ANY


def test_an_event_fits_its_words_only_on_such_a_day_in_the_daytime():
    thursday, saturday = dt.date(2026, 12, 10), dt.date(2026, 12, 12)
    assert timing.fits("周末长者陪伴探访", at(saturday, 9), workdays)
    assert not timing.fits("周末长者陪伴探访", at(thursday, 9), workdays)  # the demo's old Thursday
    assert not timing.fits("长者义剪进小区", at(thursday, 5, 7), workdays)  # 05:07: before anyone comes
    assert not timing.fits("长者义剪进小区", at(thursday, 20, 0), workdays)
    assert timing.fits("长者义剪进小区", at(thursday, 19, 30), workdays)
    assert not timing.fits("晚上平安巡逻", at(thursday, 15), workdays)
    assert timing.fits("晚上平安巡逻", at(thursday, 19), workdays)
    assert not timing.fits("工作日党员先锋岗", at(dt.date(2026, 10, 1), 9), workdays)  # the holiday
    # In whatever time zone the moment is given, the local (Shanghai) time counts.
    assert timing.fits("周末长者陪伴探访", at(saturday, 9).astimezone(dt.UTC), workdays)


def test_the_fitting_day_is_the_nearest_within_the_bounds():
    thursday = dt.date(2026, 12, 10)
    assert timing.fitting_day(timing.WEEKEND, thursday, workdays) == dt.date(2026, 12, 12)
    assert timing.fitting_day(timing.SUNDAY, thursday, workdays) == dt.date(2026, 12, 13)
    earlier = timing.fitting_day(timing.WEEKEND, thursday, workdays, latest=dt.date(2026, 12, 11))
    assert earlier == dt.date(2026, 12, 6)
    assert timing.fitting_day(timing.WEEKEND, thursday, workdays, earliest=thursday, latest=thursday) is None
    assert timing.fitting_day(timing.WORKDAY, dt.date(2026, 10, 1), workdays) == dt.date(2026, 10, 2)
    assert timing.clamp_start(7) == 8.5 and timing.clamp_start(20.5) == 19.5 and timing.clamp_start(14) == 14


def test_residents_act_in_the_daytime_and_never_earlier_than_asked():
    rng = random.Random(3)
    tz = timezone.get_current_timezone()
    for hour in range(24):
        moment = at(dt.date(2026, 12, 10), hour, 17).timestamp()
        moved = timing.awake(moment, rng)
        local = dt.datetime.fromtimestamp(moved, tz=tz)
        assert moved >= moment and timing.AWAKE_FROM <= local.hour < timing.AWAKE_UNTIL
        if timing.AWAKE_FROM <= hour < timing.AWAKE_UNTIL:
            assert moved == moment
    night = sum(timing.RESIDENT_HOURS[:6]) / sum(timing.RESIDENT_HOURS)
    assert night < 0.025

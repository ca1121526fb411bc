"""Working time in mainland China (core.workdays): working hours of the day, weekends, official
holidays and make-up working days from chinese-calendar, database overrides, and Monday to Friday
for years the package does not cover."""

from __future__ import annotations

import datetime as dt

import pytest

from shuren.core.models import WorkdayOverride
from shuren.core.workdays import WorkingCalendar, _windows, calendar_covers, hours_per_working_day

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def add(start: dt.datetime, hours: float) -> dt.datetime:
    return WorkingCalendar().add_working_hours(start, hours)


def between(start: dt.datetime, end: dt.datetime) -> float:
    return WorkingCalendar().working_hours_between(start, end)


# --- within the week (Tuesday 2026-03-10 is an ordinary working day) ------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(2026, 3, 10, 9, 30), 2, at(2026, 3, 10, 11, 30)),  # inside the morning
        (at(2026, 3, 10, 11, 0), 2, at(2026, 3, 10, 14, 30)),  # over lunch (12:00-13:30 does not count)
        (at(2026, 3, 10, 12, 30), 1, at(2026, 3, 10, 14, 30)),  # starting during lunch
        (at(2026, 3, 10, 7, 0), 1, at(2026, 3, 10, 10, 0)),  # before work
        (at(2026, 3, 10, 17, 0), 1, at(2026, 3, 11, 9, 30)),  # over the evening
        (at(2026, 3, 10, 20, 0), 1, at(2026, 3, 11, 10, 0)),  # starting at night
        (at(2026, 3, 10, 9, 0), 7, at(2026, 3, 10, 17, 30)),  # a full working day is 7 hours
        (at(2026, 3, 10, 9, 0), 8, at(2026, 3, 11, 10, 0)),
        (at(2026, 3, 10, 10, 0), 0.25, at(2026, 3, 10, 10, 15)),
        (at(2026, 3, 10, 10, 0), 40, at(2026, 3, 17, 16, 30)),  # 6 + 7 x 4 on Wed-Mon, then 6 more
    ],
)
def test_working_hours_skip_lunch_evenings_and_nights(start, hours, due):
    assert add(start, hours) == due


def test_a_deadline_at_the_end_of_a_window_stays_there():
    assert add(at(2026, 3, 10, 9, 0), 3) == at(2026, 3, 10, 12, 0)
    assert add(at(2026, 3, 10, 13, 30), 4) == at(2026, 3, 10, 17, 30)
    assert add(at(2026, 3, 10, 17, 0), 0.5) == at(2026, 3, 10, 17, 30)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(2026, 3, 13, 16, 30), 2, at(2026, 3, 16, 10, 0)),  # Friday afternoon to Monday morning
        (at(2026, 3, 14, 10, 0), 1, at(2026, 3, 16, 10, 0)),  # reported on Saturday
        (at(2026, 3, 15, 23, 59), 1, at(2026, 3, 16, 10, 0)),  # late on Sunday
    ],
)
def test_weekends_do_not_count(start, hours, due):
    assert add(start, hours) == due


def test_times_in_utc_or_without_a_time_zone_are_read_in_shanghai_time():
    assert add(dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC), 1) == at(2026, 3, 10, 10, 0)  # 09:00 in Shanghai
    assert add(dt.datetime(2026, 3, 10, 9, 0), 1) == at(2026, 3, 10, 10, 0)


# --- holidays and make-up days (chinese-calendar 2026) --------------------------------------------


def test_the_national_day_holiday_does_not_count():
    # 2026: 1-7 October off; Wednesday 30 September is the last working day before.
    assert add(at(2026, 9, 30, 17, 0), 1) == at(2026, 10, 8, 9, 30)
    assert add(at(2026, 10, 3, 10, 0), 1) == at(2026, 10, 8, 10, 0)
    assert between(at(2026, 9, 30, 17, 0), at(2026, 10, 8, 9, 30)) == 1


def test_a_make_up_saturday_is_a_working_day():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(dt.date(2026, 10, 10))  # Saturday, worked for National Day
    assert not calendar.is_working_day(dt.date(2026, 10, 17))  # an ordinary Saturday
    assert add(at(2026, 10, 9, 17, 0), 1) == at(2026, 10, 10, 9, 30)
    assert add(at(2026, 10, 16, 17, 0), 1) == at(2026, 10, 19, 9, 30)


def test_the_spring_festival_holiday_does_not_count():
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(dt.date(2026, 2, 17))  # 正月初一, a Tuesday
    assert calendar.is_working_day(dt.date(2026, 2, 14))  # Saturday, worked for the Spring Festival


# --- years the package does not cover ------------------------------------------------------------


def test_calendar_coverage_is_reported_per_year():
    assert calendar_covers(2026)
    assert not calendar_covers(2027)
    assert not calendar_covers(2030)


def test_a_year_the_package_does_not_cover_falls_back_to_monday_to_friday():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(dt.date(2027, 10, 1))  # a Friday: unknown holiday, so worked
    assert not calendar.is_working_day(dt.date(2027, 10, 2))  # Saturday
    assert calendar.is_working_day(dt.date(2030, 1, 1))  # a Tuesday
    assert add(at(2027, 10, 1, 17, 0), 1) == at(2027, 10, 4, 9, 30)  # Friday to Monday
    assert add(at(2030, 12, 31, 17, 0), 1) == at(2031, 1, 1, 9, 30)


def test_overrides_fill_in_a_year_the_package_does_not_know():
    for day in range(1, 8):
        WorkdayOverride.objects.create(on=dt.date(2027, 10, day), is_working_day=False, note="国庆节")
    WorkdayOverride.objects.create(on=dt.date(2027, 10, 9), is_working_day=True, note="国庆调休")
    assert add(at(2027, 9, 30, 17, 0), 1) == at(2027, 10, 8, 9, 30)
    assert add(at(2027, 10, 8, 17, 0), 1) == at(2027, 10, 9, 9, 30)  # the make-up Saturday


def test_the_overrides_are_read_once_and_forgotten_when_one_is_saved_edited_or_deleted(
    django_assert_num_queries,
):
    day = dt.date(2026, 10, 9)  # a Friday after the National Day week
    assert WorkingCalendar().is_working_day(day)
    with django_assert_num_queries(0):  # every later calendar uses the cached overrides
        assert WorkingCalendar().is_working_day(day)
    override = WorkdayOverride.objects.create(on=day, is_working_day=False, note="延长假期")
    assert not WorkingCalendar().is_working_day(day)
    override.is_working_day = True
    override.save()
    assert WorkingCalendar().is_working_day(day)
    WorkdayOverride.objects.create(on=dt.date(2026, 10, 10), is_working_day=False, note="取消调休")
    assert not WorkingCalendar().is_working_day(dt.date(2026, 10, 10))
    WorkdayOverride.objects.filter(on=dt.date(2026, 10, 10)).delete()
    assert WorkingCalendar().is_working_day(dt.date(2026, 10, 10))  # the make-up Saturday again


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_another_process_sees_a_change_once_it_is_committed():
    """The cache is dropped again when the change commits, so a reader that filled it in the
    meantime (another request, from the committed state) does not keep the old overrides."""
    import threading

    from django.db import connection, transaction

    day = dt.date(2026, 10, 9)
    seen: list[bool] = []

    def other_request() -> None:
        try:
            seen.append(WorkingCalendar().is_working_day(day))
        finally:
            connection.close()

    with transaction.atomic():
        WorkdayOverride.objects.create(on=day, is_working_day=False, note="延长假期")
        reader = threading.Thread(target=other_request)
        reader.start()
        reader.join()
    assert seen == [True]  # it read before the commit
    assert not WorkingCalendar().is_working_day(day)


def test_an_override_wins_over_the_package():
    WorkdayOverride.objects.create(on=dt.date(2026, 10, 8), is_working_day=False, note="延长假期")
    WorkdayOverride.objects.create(on=dt.date(2026, 10, 10), is_working_day=False, note="取消调休")
    WorkdayOverride.objects.create(on=dt.date(2026, 10, 5), is_working_day=True, note="值班")
    calendar = WorkingCalendar()
    assert not calendar.is_working_day(dt.date(2026, 10, 8))
    assert not calendar.is_working_day(dt.date(2026, 10, 10))
    assert calendar.is_working_day(dt.date(2026, 10, 5))
    assert add(at(2026, 9, 30, 17, 0), 1) == at(2026, 10, 5, 9, 30)
    assert add(at(2026, 10, 5, 17, 0), 1) == at(2026, 10, 9, 9, 30)


# --- measuring ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(2026, 3, 10, 11, 0), at(2026, 3, 10, 14, 30), 2),
        (at(2026, 3, 10, 12, 10), at(2026, 3, 10, 13, 20), 0),  # all of it lunch
        (at(2026, 3, 13, 16, 30), at(2026, 3, 16, 10, 0), 2),  # over a weekend
        (at(2026, 3, 9, 9, 0), at(2026, 3, 16, 9, 0), 35),  # a whole week
        (at(2026, 3, 10, 22, 0), at(2026, 3, 11, 6, 0), 0),  # a night
        (at(2026, 3, 10, 14, 0), at(2026, 3, 10, 10, 0), 0),  # end before start
        (at(2026, 3, 10, 10, 0), at(2026, 3, 10, 10, 0), 0),
        (at(2026, 9, 28, 9, 0), at(2026, 10, 12, 9, 0), 3 * 7 + 3 * 7),  # 28-30 Sep, 8-10 Oct
    ],
)
def test_working_hours_between_two_moments(start, end, hours):
    assert between(start, end) == pytest.approx(hours)


def test_adding_then_measuring_gives_back_the_hours_around_national_day():
    calendar = WorkingCalendar()
    start = at(2026, 9, 25, 0, 0)
    for step in range(0, 24 * 20 * 60, 97):  # every 97 minutes over twenty days
        moment = start + dt.timedelta(minutes=step)
        for hours in (0.5, 1, 2, 4, 7, 16, 40):
            due = calendar.add_working_hours(moment, hours)
            assert due >= moment
            assert calendar.working_hours_between(moment, due) == pytest.approx(hours), (moment, hours)
            assert calendar.is_working_day(due.date())


@pytest.mark.parametrize(
    ("end", "hours", "start"),
    [
        (at(2026, 3, 10, 11, 30), 2, at(2026, 3, 10, 9, 30)),
        (at(2026, 3, 10, 14, 30), 2, at(2026, 3, 10, 11, 0)),  # back over lunch
        (at(2026, 3, 11, 9, 30), 1, at(2026, 3, 10, 17, 0)),  # back over the night
        (at(2026, 3, 16, 10, 0), 2, at(2026, 3, 13, 16, 30)),  # back over the weekend
        (at(2026, 10, 8, 10, 0), 4, at(2026, 9, 30, 14, 30)),  # back over National Day
        # Three hours before noon is 09:00, and also every moment of the night before it: the
        # earliest of them is the close of the previous afternoon.
        (at(2026, 3, 11, 12, 0), 3, at(2026, 3, 10, 17, 30)),
        (at(2026, 3, 10, 14, 0), 0.5, at(2026, 3, 10, 12, 0)),
    ],
)
def test_subtracting_working_hours_runs_the_clock_backwards(start, end, hours):
    assert WorkingCalendar().subtract_working_hours(end, hours) == start


def test_subtracting_is_the_inverse_of_adding_around_national_day():
    calendar = WorkingCalendar()
    begin = at(2026, 9, 25, 0, 0)
    for step in range(0, 24 * 20 * 60, 97):
        moment = begin + dt.timedelta(minutes=step)
        for hours in (0.5, 4, 16):
            due = calendar.add_working_hours(moment, hours)
            start = calendar.subtract_working_hours(due, hours)
            assert start <= moment and calendar.working_hours_between(start, due) == pytest.approx(hours)
            assert calendar.add_working_hours(start, hours) >= due
            assert calendar.add_working_hours(start - dt.timedelta(seconds=1), hours) < due


# --- the working-hours setting -------------------------------------------------------------------


def test_working_hours_are_a_setting(settings):
    settings.SHUREN_WORKING_HOURS = "08:30-12:00, 14:00-18:00"
    assert hours_per_working_day() == 7.5
    assert add(at(2026, 3, 10, 11, 0), 2) == at(2026, 3, 10, 15, 0)
    assert add(at(2026, 3, 10, 17, 30), 1) == at(2026, 3, 11, 9, 0)


def test_the_default_is_a_seven_hour_day():
    assert hours_per_working_day() == 7


@pytest.mark.parametrize("spec", ["09:00-12:00,11:00-17:00", "12:00-09:00", "09:00-09:00"])
def test_nonsensical_working_hours_are_refused(spec):
    with pytest.raises(ValueError):
        _windows(spec)

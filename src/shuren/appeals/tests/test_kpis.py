"""The appeal KPIs against figures worked out by hand from a small month of appeals.

电动车违规充电 (ebike-charging): response 1 working hour, resolution 16. Each appeal is submitted on
Tuesday 10 March 2026 at 10:00, so its resolution is due Thursday 12 March at 12:00.

| appeal | handled by | what happened | response | resolution | rating |
|---|---|---|---|---|---|
| A1 | manager | dispatched 10:30, taken up 11:00, resolved Wed 10:30 (7.5 h) | on time | on time | solved, 5 |
| A2 | manager | dispatched 10:30, taken up 14:00, resolved Fri 10:00 (21 h) | late | late | unsolved, 2 |
| A3 | committee | other estate (grid 2); taken up 11:00, resolved Tue 16:00 (4.5 h) | on time | on time | none |
| A4 | manager | dispatched 10:30, never taken up | late | open, overdue | none |
| A5 | nobody | estate-wide, never dispatched | no deadline | open, overdue | none |
| A6 | nobody | rejected | | | |
| A7 | nobody | merged into A1 (resolved with it, rated 1 by the neighbour) | | | |
| A8 | nobody | resolved Wed 10:30 (7.5 h), reopened Thu 10:00, now due Mon 16 March 12:00 | | overdue | unsolved, 1 |
| A9 | | submitted in February: outside the period | | | |

Counted: A1 A2 A3 A4 A5 A8. Repeats: A7 (merged) and A8 (reopened).
"""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from shuren.appeals import services
from shuren.appeals.kpis import AppealKpis, appeal_kpis, appeal_kpis_by, in_period
from shuren.appeals.models import Appeal, Status
from shuren.appeals.services import AppealLocation
from shuren.places.services import create_building, create_estate

from .test_workflow import act

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=SHANGHAI)


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def step(world, clock, appeal: Appeal, action: str, moment: dt.datetime, **kwargs) -> Appeal:
    clock.move_to(moment)
    return act(world, Appeal.objects.get(pk=appeal.pk), action, **kwargs)


def rate(world, clock, appeal: Appeal, moment: dt.datetime, *, who: str = "resident", **kwargs) -> Appeal:
    clock.move_to(moment)
    appeal = Appeal.objects.get(pk=appeal.pk)
    return services.give_feedback(actor=world.users[who], appeal=appeal, version=appeal.version, **kwargs)


@pytest.fixture
def month(appeal_world):
    """The appeals of the table above, by name."""
    world = appeal_world
    staff = world.users["staff"]
    other_estate = create_estate(actor=staff, community=world.tree["com_a"], name="金色家园")
    other_building = create_building(
        actor=staff, estate=other_estate, grid=world.tree["grid_a2"], number="8座", floors=2, rooms_per_floor=2
    )
    with freeze_time(at(2, 27, 10)) as clock:  # one frozen clock, moved along: much faster than many
        a = {"A9": world.submit()}
        clock.move_to(at(3, 10, 10))
        a |= {n: world.submit() for n in ("A1", "A2", "A4", "A6", "A8")}
        a["A3"] = world.submit(location=AppealLocation(building=other_building))
        a["A5"] = world.submit(location=AppealLocation(estate=world.estate), description="小区东门电动车棚的插座冒烟")
        a["A7"] = world.submit(actor=world.users["neighbour"], description="1座楼道有人给电瓶车充电")

        step(world, clock, a["A7"], "merge", at(3, 10, 10, 15), into=a["A1"])
        step(world, clock, a["A6"], "reject", at(3, 10, 10, 20))
        for name in ("A1", "A2", "A4", "A8"):
            step(world, clock, a[name], "dispatch", at(3, 10, 10, 30))
        appeal = a["A3"]
        services.dispatch_appeal(
            actor=staff, appeal=appeal, version=appeal.version, organization=world.residents_committee, reason="居委会"
        )
        step(world, clock, a["A1"], "take_up", at(3, 10, 11))
        step(world, clock, a["A3"], "take_up", at(3, 10, 11), actor=staff)
        step(world, clock, a["A2"], "take_up", at(3, 10, 14))
        step(world, clock, a["A3"], "resolve", at(3, 10, 16), actor=staff)
        step(world, clock, a["A1"], "resolve", at(3, 11, 10, 30))
        step(world, clock, a["A8"], "resolve", at(3, 11, 10, 30))
        step(world, clock, a["A2"], "resolve", at(3, 13, 10))
        rate(world, clock, a["A1"], at(3, 12, 9), is_solved=True, satisfaction=5)
        rate(world, clock, a["A7"], at(3, 12, 9), who="neighbour", is_solved=False, satisfaction=1)
        rate(world, clock, a["A2"], at(3, 13, 11), is_solved=False, satisfaction=2)
        rate(world, clock, a["A8"], at(3, 12, 10), is_solved=False, satisfaction=1, reopen=True)
    a = {name: Appeal.objects.get(pk=appeal.pk) for name, appeal in a.items()}
    a["other_estate"] = other_estate
    return a


def march() -> object:
    return in_period(Appeal.objects.all(), dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_the_month_is_as_the_table_says(month):
    assert {name: month[name].status for name in ("A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8")} == {
        "A1": Status.CLOSED,
        "A2": Status.CLOSED,
        "A3": Status.RESOLVED,
        "A4": Status.DISPATCHED,
        "A5": Status.SUBMITTED,
        "A6": Status.REJECTED,
        "A7": Status.CLOSED,
        "A8": Status.ACCEPTED,
    }
    assert [month[n].handling_hours for n in ("A1", "A2", "A3", "A8")] == [7.5, 21, 4.5, 7.5]
    assert month["A8"].resolution_due_at == at(3, 16, 12)
    assert month["A7"].duplicate_of == month["A1"]


def test_the_figures_of_the_month(month):
    kpis = appeal_kpis(march(), now=NOW)
    assert kpis == AppealKpis(
        counted=6,
        response_due=4,  # A1 A2 A3 taken up, A4 past its response deadline
        responded_on_time=2,  # A1 A3
        rated=3,  # A1 A2 A8 (A7 is merged: not counted)
        solved=1,  # A1
        satisfied=1,  # A1
        resolved=3,  # A1 A2 A3 (A8's resolution was undone by the reopen)
        resolved_on_time=2,  # A1 A3
        average_handling_hours=10.1,  # (7.5 + 21 + 4.5 + 7.5) / 4 = 10.125
        overdue=4,  # A4 A5 A8 open past the deadline, A2 resolved late
        repeats=2,  # A7 merged, A8 reopened
    )
    assert kpis.response_rate == 0.5
    assert kpis.resolution_rate == pytest.approx(1 / 3)
    assert kpis.satisfaction_rate == pytest.approx(1 / 3)
    assert kpis.on_time_resolution_rate == pytest.approx(2 / 3)


def test_the_figures_per_handling_organisation(month, appeal_world):
    rows = appeal_kpis_by(march(), "organization", now=NOW)
    assert [key for key, _kpis in rows] == [appeal_world.property_manager.pk, None, appeal_world.residents_committee.pk]
    by = dict(rows)
    manager = by[appeal_world.property_manager.pk]  # A1 A2 A4
    assert manager == AppealKpis(
        counted=3,
        response_due=3,
        responded_on_time=1,
        rated=2,
        solved=1,
        satisfied=1,
        resolved=2,
        resolved_on_time=1,
        average_handling_hours=14.2,  # (7.5 + 21) / 2 = 14.25
        overdue=2,  # A4 open, A2 late
        repeats=0,
    )
    assert manager.response_rate == pytest.approx(1 / 3) and manager.resolution_rate == 0.5
    committee = by[appeal_world.residents_committee.pk]  # A3
    assert (committee.counted, committee.response_rate, committee.on_time_resolution_rate) == (1, 1.0, 1.0)
    assert committee.resolution_rate is None and committee.satisfaction_rate is None  # nobody rated
    assert (committee.average_handling_hours, committee.overdue, committee.repeats) == (4.5, 0, 0)
    nobody = by[None]  # A5 A8 counted; A6 rejected and A7 merged are not
    assert (nobody.counted, nobody.response_due, nobody.rated, nobody.solved, nobody.satisfied) == (2, 0, 1, 0, 0)
    assert nobody.response_rate is None and nobody.on_time_resolution_rate is None
    assert (nobody.resolution_rate, nobody.satisfaction_rate) == (0.0, 0.0)
    assert (nobody.average_handling_hours, nobody.overdue, nobody.repeats) == (7.5, 2, 2)


def test_the_figures_per_area(month, appeal_world):
    by = dict(appeal_kpis_by(march(), "area", now=NOW))
    tree = appeal_world.tree
    assert set(by) == {tree["grid_a1"].pk, tree["grid_a2"].pk, tree["com_a"].pk}
    grid = by[tree["grid_a1"].pk]  # A1 A2 A4 A8 counted; A6 A7 not
    assert grid == AppealKpis(
        counted=4,
        response_due=3,
        responded_on_time=1,
        rated=3,
        solved=1,
        satisfied=1,
        resolved=2,
        resolved_on_time=1,
        average_handling_hours=12.0,  # (7.5 + 21 + 7.5) / 3
        overdue=3,  # A4 A8 open, A2 late
        repeats=2,
    )
    assert by[tree["grid_a2"].pk].counted == 1 and by[tree["grid_a2"].pk].response_rate == 1.0  # A3
    estate_wide = by[tree["com_a"].pk]  # A5: open, never dispatched, nothing to measure but its delay
    assert estate_wide == AppealKpis(
        counted=1,
        response_due=0,
        responded_on_time=0,
        rated=0,
        solved=0,
        satisfied=0,
        resolved=0,
        resolved_on_time=0,
        average_handling_hours=None,
        overdue=1,
        repeats=0,
    )
    assert (
        estate_wide.response_rate,
        estate_wide.resolution_rate,
        estate_wide.satisfaction_rate,
        estate_wide.on_time_resolution_rate,
    ) == (None, None, None, None)


def test_the_figures_per_estate(month, appeal_world):
    by = dict(appeal_kpis_by(march(), "estate", now=NOW))
    assert set(by) == {appeal_world.estate.pk, month["other_estate"].pk}
    fufeng = by[appeal_world.estate.pk]  # A1 A2 A4 A5 A8
    assert (fufeng.counted, fufeng.response_due, fufeng.responded_on_time) == (5, 3, 1)
    assert (fufeng.rated, fufeng.solved, fufeng.satisfied, fufeng.resolved, fufeng.resolved_on_time) == (3, 1, 1, 2, 1)
    assert (fufeng.average_handling_hours, fufeng.overdue, fufeng.repeats) == (12.0, 4, 2)
    golden = by[month["other_estate"].pk]  # A3
    assert (golden.counted, golden.resolved_on_time, golden.average_handling_hours, golden.overdue) == (1, 1, 4.5, 0)


def test_an_open_appeal_counts_as_overdue_only_once_its_deadline_has_passed(appeal_world):
    with freeze_time(at(3, 10, 10)) as clock:
        appeal = appeal_world.submit()
        step(appeal_world, clock, appeal, "dispatch", at(3, 10, 10, 30))
    assert appeal_kpis(Appeal.objects.all(), now=at(3, 12, 12)).overdue == 0
    assert appeal_kpis(Appeal.objects.all(), now=at(3, 12, 12, 1)).overdue == 1
    # the response deadline (11:30) had passed, so the response counts as due, and missed
    kpis = appeal_kpis(Appeal.objects.all(), now=at(3, 10, 11, 31))
    assert (kpis.response_due, kpis.responded_on_time, kpis.response_rate) == (1, 0, 0.0)
    assert appeal_kpis(Appeal.objects.all(), now=at(3, 10, 11, 29)).response_rate is None


def test_nothing_to_count_gives_none_not_zero(appeal_world):
    kpis = appeal_kpis(Appeal.objects.all(), now=NOW)
    assert kpis.counted == kpis.overdue == kpis.repeats == 0
    assert kpis.average_handling_hours is None
    assert (kpis.response_rate, kpis.resolution_rate, kpis.satisfaction_rate, kpis.on_time_resolution_rate) == (
        None,
        None,
        None,
        None,
    )
    assert appeal_kpis_by(Appeal.objects.all(), "organization", now=NOW) == []


def test_rejected_and_merged_appeals_alone_count_nothing_but_repeats(month):
    kpis = appeal_kpis(Appeal.objects.filter(pk__in=[month["A6"].pk, month["A7"].pk]), now=NOW)
    assert (kpis.counted, kpis.rated, kpis.overdue, kpis.repeats) == (0, 0, 0, 1)
    assert kpis.satisfaction_rate is None


def test_the_period_is_inclusive_local_dates(appeal_world):
    first = appeal_world.submit(submitted_at=at(3, 1, 0, 0))
    last = appeal_world.submit(submitted_at=dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=SHANGHAI))
    appeal_world.submit(submitted_at=at(4, 1, 0, 0))
    appeal_world.submit(submitted_at=dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=SHANGHAI))
    assert set(march().values_list("pk", flat=True)) == {first.pk, last.pk}
    assert in_period(Appeal.objects.all(), None, None).count() == 4
    assert in_period(Appeal.objects.all(), dt.date(2026, 4, 1), None).count() == 1


def test_the_counted_appeals_over_time_list_every_day_or_every_month_of_the_period(month):
    from shuren.appeals.kpis import counted_over_time

    days = counted_over_time(Appeal.objects.all(), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert len(days) == 31 and days[0] == ("03-01", 0)
    # A1 A2 A3 A4 A5 A8 on 10 March; A6 (rejected) and A7 (merged) are not counted.
    assert dict(days)["03-10"] == 6 and sum(n for _day, n in days) == 6
    # Beyond two months, per month (A9 came in on 27 February).
    months = counted_over_time(Appeal.objects.all(), dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert months == [("2026-01", 0), ("2026-02", 1), ("2026-03", 6)]

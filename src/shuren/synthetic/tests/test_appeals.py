"""The synthetic appeals generator (``shuren seed-scale --appeals``): the counts asked for, rows the
application itself would accept, and deadlines that agree with the working-day calendar. No timing
here: the benchmarks in bench/ measure it."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from shuren.appeals.models import OPEN_STATUSES, Appeal, AppealEvent, Category, Status
from shuren.appeals.services import reference_for
from shuren.core.workdays import WorkingCalendar
from shuren.orgs.models import Organization, OrganizationKind
from shuren.places.models import Area, AreaKind
from shuren.synthetic import appeals as scale
from shuren.synthetic.appeals import WorkingClock, seed_appeals

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def quiet(_line: str) -> None:
    pass


@pytest.mark.django_db
def test_working_clock_agrees_with_the_calendar():
    calendar = WorkingCalendar()
    clock = WorkingClock(dt.date(2024, 1, 1), dt.date(2027, 6, 30), calendar)
    rng = random.Random(1)
    start = dt.datetime(2024, 1, 2, tzinfo=dt.UTC).timestamp()
    for _ in range(300):
        moment = start + rng.uniform(0, 2.5 * 365 * 86400)
        hours = rng.choice([0.5, 1, 2, 4, 8, 16, 24, 40, 80, 123.25])
        expected = calendar.add_working_hours(dt.datetime.fromtimestamp(moment, tz=dt.UTC), hours)
        assert clock.add(moment, hours) == pytest.approx(expected.timestamp(), abs=0.001)
        end = moment + rng.uniform(0, 30 * 86400)
        between = calendar.working_hours_between(
            dt.datetime.fromtimestamp(moment, tz=dt.UTC), dt.datetime.fromtimestamp(end, tz=dt.UTC)
        )
        assert clock.hours_between(moment, end) == pytest.approx(between, abs=1e-6)


@pytest.mark.django_db
def test_generator_adds_the_appeals_asked_for_as_valid_rows(appeal_world):
    district = appeal_world.tree["district"]
    report = seed_appeals(800, area=district, now=NOW, progress=quiet)

    appeals = list(Appeal.objects.select_related("category", "building", "estate", "area"))
    assert report.appeals == len(appeals) == 800
    assert report.events == AppealEvent.objects.count() == 800  # the submission of each
    assert sum(report.by_status.values()) == 800
    assert len({a.reference for a in appeals}) == len({a.token for a in appeals}) == 800
    assert all(a.reference == reference_for(a) for a in appeals)
    for appeal in appeals[::40]:
        appeal.full_clean()  # what a form or the admin would check, foreign keys included

    calendar = WorkingCalendar()
    open_ = [a for a in appeals if a.status in OPEN_STATUSES]
    assert 0.02 < len(open_) / len(appeals) < 0.10
    assert report.open == len(open_)
    assert report.overdue == sum(
        1 for a in open_ if a.resolution_due_at < NOW or (a.status == Status.DISPATCHED and a.response_due_at < NOW)
    )
    # (Resolved and awaiting the rating: only a few of the last week's, about one appeal a day here.)
    assert {Status.CLOSED, Status.REJECTED} <= {a.status for a in appeals}
    leaves = set(Category.objects.filter(children__isnull=True).values_list("pk", flat=True))
    for appeal in appeals:
        assert appeal.category_id in leaves
        assert NOW - dt.timedelta(days=731) < appeal.submitted_at <= NOW
        if appeal.building is not None:
            assert appeal.scope == appeal.building.scope and appeal.area_id == appeal.building.grid_id
            assert appeal.estate_id == appeal.building.estate_id
        else:
            assert appeal.scope == appeal.estate.scope and appeal.area_id == appeal.estate.community_id
        due = calendar.add_working_hours(appeal.submitted_at, appeal.category.resolution_hours)
        assert abs((appeal.resolution_due_at - due).total_seconds()) < 0.001
        if appeal.status in OPEN_STATUSES or appeal.status == Status.MERGED:
            assert appeal.resolved_at is None and appeal.closed_at is None
        if appeal.status == Status.MERGED:
            assert appeal.duplicate_of.submitted_at < appeal.submitted_at
            assert appeal.duplicate_of.building_id == appeal.building_id
        if appeal.dispatched_at is not None:
            assert appeal.organization_id and appeal.response_due_at > appeal.dispatched_at
        if appeal.status == Status.CLOSED and appeal.duplicate_of_id is None:
            assert appeal.submitted_at <= appeal.resolved_at <= appeal.closed_at <= NOW
            assert appeal.handling_hours is not None and appeal.resolved_on_time is not None
        if appeal.satisfaction is not None:
            assert 1 <= appeal.satisfaction <= 5 and appeal.is_solved is not None

    # Written at the hours people write (few at night; calls, patrols and visits in the daytime);
    # the desk and the handlers act in the working hours of working days.
    tz = timezone.get_current_timezone()
    night = [a for a in appeals if a.submitted_at.astimezone(tz).hour < 6]
    assert len(night) <= 0.03 * len(appeals)
    office = ("phone", "patrol", "visit", "building_leader")
    assert all(8 <= a.submitted_at.astimezone(tz).hour < 18 for a in appeals if a.channel in office)
    for appeal in appeals:
        for moment in (appeal.accepted_at, appeal.dispatched_at, appeal.responded_at, appeal.resolved_at):
            if moment is not None and appeal.duplicate_of_id is None:
                assert calendar.working_hours_between(moment - dt.timedelta(minutes=1), moment) > 0, appeal.reference
        if appeal.status == Status.REJECTED:
            assert calendar.working_hours_between(appeal.closed_at - dt.timedelta(minutes=1), appeal.closed_at) > 0

    # The organisations answering there are the estate's (existing) manager, its committee and the
    # departments, and the rules that suggest them exist.
    assert {a.organization_id for a in appeals if a.organization_id} <= set(
        Organization.objects.filter(
            pk__in=[appeal_world.property_manager.pk, appeal_world.residents_committee.pk]
        ).values_list("pk", flat=True)
    ) | set(Organization.objects.filter(kind=OrganizationKind.DEPARTMENT, area=district).values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_full_timeline_follows_each_appeal_step_by_step(appeal_world):
    seed_appeals(150, area=appeal_world.tree["district"], now=NOW, timeline="full", progress=quiet)

    for appeal in Appeal.objects.prefetch_related("events"):
        events = list(appeal.events.all())
        assert events[0].kind == "submit" and events[0].at == appeal.submitted_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].to_status == appeal.status


@pytest.mark.django_db
def test_seed_scale_lays_out_a_community_for_appeals_when_the_district_has_none():
    call_command("seed-scale", appeals=60, stdout=io.StringIO(), stderr=io.StringIO())

    district = Area.objects.get(code="SCALE", parent=None)
    assert Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=district.path + ".").count() == 1
    assert Appeal.objects.filter(scope__startswith=district.path + ".").count() == 60


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_large_load_restores_every_index_and_constraint(appeal_world, monkeypatch):
    """Above ``DEFER_INDEXES_FROM`` rows the load drops the tables' indexes and constraints and
    recreates them: the tables must end as the migrations left them."""

    def definitions() -> set[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename, indexdef FROM pg_indexes "
                "WHERE tablename IN ('appeals_appeal', 'appeals_appealevent')"
            )
            rows = set(cursor.fetchall())
            cursor.execute(
                "SELECT conrelid::regclass::text, conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid IN ('appeals_appeal'::regclass, 'appeals_appealevent'::regclass)"
            )
            return rows | set(cursor.fetchall())

    before = definitions()
    monkeypatch.setattr(scale, "DEFER_INDEXES_FROM", 1)
    seed_appeals(120, area=appeal_world.tree["district"], now=timezone.now(), progress=quiet)

    assert Appeal.objects.count() == 120
    assert definitions() == before


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_worker_processes_make_the_same_appeals_as_one_process(appeal_world):
    district = appeal_world.tree["district"]

    def made() -> list[tuple]:
        return sorted(
            Appeal.objects.values_list("submitted_at", "category_id", "status", "scope", "description", "satisfaction")
        )

    seed_appeals(1200, area=district, now=NOW, workers=0, progress=quiet)
    alone = made()
    Appeal.objects.filter(duplicate_of__isnull=False).delete()
    Appeal.objects.all().delete()
    seed_appeals(1200, area=district, now=NOW, workers=2, progress=quiet)

    assert made() == alone
    assert AppealEvent.objects.count() == 1200

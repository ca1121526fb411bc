"""The roll-ups reconcile with the raw data: every figure a dashboard shows is recomputed here from
the raw tables, with the modules' own definitions, for every area of the tree and several periods;
and a refresh after new events and crossed deadlines leaves exactly what a rebuild would."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone
from freezegun import freeze_time

from shuren.appeals.kpis import appeal_kpis, in_period
from shuren.appeals.models import OPEN_STATUSES, Appeal, Status
from shuren.governance.models import GovernanceItem
from shuren.governance.selectors import figures_of
from shuren.insights import rollups
from shuren.insights.figures import hot_categories, hot_places, kpis_for
from shuren.insights.models import AppealDay, CategoryMonth, PlaceMonth, PointsDay, ServiceDay, Stock, WorkDay
from shuren.meetings.models import ActionItem, ActionStatus, Meeting, MeetingStatus
from shuren.orgs.models import PostAssignment, PostKind
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building
from shuren.points.selectors import overview
from shuren.synthetic.appeals import seed_appeals
from shuren.volunteering.models import ServiceRecord

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def under(area: Area, field: str = "scope") -> Q:
    return Q(**{field: area.path}) | Q(**{f"{field}__startswith": area.path + "."})


def local(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def periods(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Two years, one month, one week ending today, and a single day long ago."""
    return [
        (today - dt.timedelta(days=731), today),
        (today.replace(day=1), today),
        (today - dt.timedelta(days=6), today),
        (today - dt.timedelta(days=200), today - dt.timedelta(days=200)),
    ]


def assert_appeals_reconcile(area: Area, start: dt.date, end: dt.date, now: dt.datetime) -> None:
    raw = in_period(Appeal.objects.filter(under(area)), start, end)
    expected = appeal_kpis(raw, now=now)
    kpis = kpis_for(area, start, end)
    for name in (
        "counted",
        "response_due",
        "responded_on_time",
        "rated",
        "solved",
        "satisfied",
        "resolved",
        "resolved_on_time",
        "overdue",
        "repeats",
    ):
        assert kpis[name] == getattr(expected, name), (area.name, start, end, name)
    assert kpis["received"] == raw.count()
    for name, rate in (
        ("response_rate", expected.response_rate),
        ("resolution_rate", expected.resolution_rate),
        ("satisfaction_rate", expected.satisfaction_rate),
        ("on_time_rate", expected.on_time_resolution_rate),
    ):
        assert kpis[name] == (None if rate is None else round(rate * 100, 1)), (area.name, name)
    if expected.average_handling_hours is None:
        assert kpis["average_handling_hours"] is None
    else:
        assert kpis["average_handling_hours"] == pytest.approx(expected.average_handling_hours, abs=0.051)


def months_of(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments the month-based figures cover: the whole months the period touches."""
    tz = timezone.get_current_timezone()
    first = start.replace(day=1)
    after = (end.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(first, dt.time.min, tzinfo=tz), dt.datetime.combine(after, dt.time.min, tzinfo=tz)


def assert_hot_lists_reconcile(area: Area, start: dt.date, end: dt.date) -> None:
    first, after = months_of(start, end)
    raw = Appeal.objects.filter(under(area), submitted_at__gte=first, submitted_at__lt=after)
    by_category: dict[str, int] = {}
    for name in raw.values_list("category__name", flat=True):
        by_category[name] = by_category.get(name, 0) + 1
    for name, count in hot_categories(area, start, end, limit=50):
        assert by_category.pop(name) == count, (area.name, name)
    assert by_category == {}
    places: dict[str, int] = {}
    for estate, number in raw.filter(estate__isnull=False).values_list("estate__name", "building__number"):
        label = " ".join(filter(None, (estate, number)))
        places[label] = places.get(label, 0) + 1
    assert dict(hot_places(area, start, end, limit=10_000)) == places


@pytest.fixture
def scale_world(appeal_world):
    """Two years of appeals over community A's buildings and estate, in every state."""
    seed_appeals(700, area=appeal_world.tree["district"], now=NOW, timeline="full", progress=lambda _line: None)
    return appeal_world


def all_areas() -> list[Area]:
    return list(Area.objects.order_by("path"))


def test_appeal_figures_of_every_area_and_period_reconcile_with_the_appeals(scale_world):
    rollups.rebuild(now=NOW)

    for area in all_areas():
        for start, end in periods(local(NOW)):
            assert_appeals_reconcile(area, start, end, NOW)
        assert_hot_lists_reconcile(area, local(NOW) - dt.timedelta(days=90), local(NOW))
    district = scale_world.tree["district"]
    assert kpis_for(district, local(NOW) - dt.timedelta(days=731), local(NOW))["received"] == 700
    # Stocks: the open appeals now, as the desk's lists count them.
    open_now = Appeal.objects.filter(status__in=OPEN_STATUSES, duplicate_of__isnull=True)
    stocks = kpis_for(district, local(NOW), local(NOW))
    assert stocks["appeals_open"] == open_now.count() > 0
    assert stocks["appeals_overdue"] == open_now.filter(resolution_due_at__lt=NOW).count()


def snapshot() -> dict[str, list[tuple]]:
    """Every roll-up row, comparable between a refresh and a rebuild."""
    day_tables = (AppealDay, WorkDay, ServiceDay, PointsDay)
    rows = {
        m.__name__: sorted(m.objects.values_list(*[f.attname for f in m._meta.concrete_fields][1:])) for m in day_tables
    }
    rows["CategoryMonth"] = sorted(CategoryMonth.objects.values_list("area_id", "month", "category_id", "received"))
    rows["PlaceMonth"] = sorted(
        PlaceMonth.objects.values_list("scope", "month", "estate_id", "building_id", "received"), key=str
    )
    rows["Stock"] = sorted(Stock.objects.values_list("area_id", "taken_on", "figure", "value"))
    return rows


def test_a_refresh_after_new_steps_and_crossed_deadlines_leaves_what_a_rebuild_would(scale_world):
    from shuren.appeals import services

    world = scale_world
    first = rollups.rebuild(now=NOW)
    later = NOW + dt.timedelta(hours=30)
    # Deadlines of open appeals pass between the two runs without any event.
    crossing = Appeal.objects.filter(
        status__in=OPEN_STATUSES, resolution_due_at__gt=NOW, resolution_due_at__lte=later
    ).count()
    with freeze_time(later):
        waiting = Appeal.objects.filter(status=Status.SUBMITTED, scope=world.tree["grid_a1"].path).order_by("pk")
        for appeal in waiting[:3]:
            services.accept_appeal(actor=world.users["staff"], appeal=appeal, version=appeal.version)
        world.submit()
        second = rollups.refresh(now=later)
    assert crossing > 0 or second.days > 0
    assert 0 < second.days < len(set(AppealDay.objects.values_list("day", flat=True)))
    refreshed = snapshot()

    rollups.rebuild(now=later)
    assert snapshot() == refreshed
    for area in all_areas():
        for start, end in periods(local(later)):
            assert_appeals_reconcile(area, start, end, later)
    assert first.kind == "rebuild" and second.kind == "refresh"


@pytest.mark.slow
def test_the_demo_reconciles_for_every_area(settings):
    """Governance lists, meetings, volunteering, points and the registry, made by the services
    the demo drives, against the raw tables counted with each module's own rules."""
    call_command("demo", stdout=io.StringIO())
    now = timezone.now()
    rollups.rebuild(now=now)
    today = local(now)
    ever = (today - dt.timedelta(days=3 * 365), today + dt.timedelta(days=60))
    led = PostAssignment.objects.current(today).filter(kind__code=PostKind.BUILDING_LEADER).values("buildings")

    for area in all_areas():
        for start, end in [ever, *periods(today)]:
            kpis = kpis_for(area, start, end)
            assert_appeals_reconcile(area, start, end, now)
            items = GovernanceItem.objects.filter(under(area)).filter(
                created_at__gte=rollups.tree.local_midnight(start),
                created_at__lt=rollups.tree.local_midnight(end + dt.timedelta(days=1)),
            )
            figures = figures_of(items, today=today)
            assert (kpis["items_collected"], kpis["items_done"]) == (figures.collected, figures.done), area.name
            meetings = Meeting.objects.filter(
                under(area),
                status__in=(MeetingStatus.HELD, MeetingStatus.PUBLISHED),
                starts_at__gte=rollups.tree.local_midnight(start),
                starts_at__lt=rollups.tree.local_midnight(end + dt.timedelta(days=1)),
            )
            assert kpis["meetings_held"] == meetings.count(), area.name
            minutes = (
                ServiceRecord.objects.filter(under(area), served_on__range=(start, end)).aggregate(m=Sum("minutes"))[
                    "m"
                ]
                or 0
            )
            assert kpis["service_hours"] == round(minutes / 60, 1), area.name
        kpis = kpis_for(area, *ever)
        actions = ActionItem.objects.filter(under(area)).exclude(status=ActionStatus.CANCELLED)
        assert kpis["actions_added"] == actions.count()
        assert kpis["actions_done"] == actions.filter(status=ActionStatus.DONE).count()
        assert kpis["residents"] == Person.objects.filter(under(area)).count()
        buildings = Building.objects.filter(under(area))
        assert kpis["buildings"] == buildings.count()
        assert kpis["buildings_with_leader"] == buildings.filter(pk__in=led).count()
        communities = Area.objects.filter(under(area, "path"), kind=AreaKind.COMMUNITY)
        books = [overview(c) for c in communities]
        assert kpis["points_issued"] == sum(b.issued for b in books), area.name
        assert kpis["points_redeemed"] == sum(b.redeemed for b in books), area.name
        assert kpis["points_expired"] == sum(b.expired for b in books), area.name

    # The demo has something in each of these, or the comparisons above prove little.
    district = Area.objects.get(parent=None, code="440605")
    whole = kpis_for(district, *ever)
    for name in (
        "received",
        "items_collected",
        "items_done",
        "meetings_held",
        "service_hours",
        "points_issued",
        "residents",
    ):
        assert whole[name], name

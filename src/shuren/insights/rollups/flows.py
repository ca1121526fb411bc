"""The flow figures: what happened under each area on each day, grouped from the raw tables.

Each builder answers the rows of its table for a set of days (``None``: every day) as they stand at
``now``; ``dirty_*`` functions name the days whose rows may have changed since an earlier run.
Appeals, service records and the ledger are large, so they are recomputed by dirty day; the other
co-governance tables are small and recomputed whole at every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth

from shuren.appeals.kpis import PREFIX, kpi_aggregates
from shuren.appeals.models import OPEN_STATUSES, Appeal, AppealEvent
from shuren.ballots.models import Ballot, BallotStatus, Matter
from shuren.governance.models import GovernanceItem, ItemStatus
from shuren.governance.selectors import COLLECTED_STATUSES
from shuren.meetings.models import ActionItem, ActionStatus, Meeting, MeetingStatus
from shuren.points.models import AccountKind, LedgerEntry, TransactionKind
from shuren.volunteering.models import Activity, ActivityStatus, ServiceRecord

from ..models import APPEAL_FIGURES, POINTS_FIGURES, SERVICE_FIGURES, WORK_FIGURES
from .tree import AreaIndex, Figures, as_date, dates_on, moments_on, spread

Totals = dict[tuple[int, Any], Figures]

# --- appeals ---------------------------------------------------------------------------------------


def _appeal_aggregates(now: dt.datetime) -> dict[str, Any]:
    """The KPI aggregates of appeals.kpis (the same definitions, so the figures reconcile), with the
    average handling time as a sum and a count, which add up across days and areas."""
    aggregates = kpi_aggregates(now)
    counted = aggregates[PREFIX + "counted"].filter
    del aggregates[PREFIX + "average_handling_hours"]
    aggregates[PREFIX + "received"] = Count("pk")
    aggregates[PREFIX + "handled"] = Count("pk", filter=counted & Q(handling_hours__isnull=False))
    aggregates[PREFIX + "handling_hours"] = Sum("handling_hours", filter=counted)
    return aggregates


def appeal_days(index: AreaIndex, days: Iterable[dt.date] | None, now: dt.datetime) -> Totals:
    """AppealDay figures: the appeals submitted on each day, by area, as they stand at ``now``."""
    rows = (
        Appeal.objects.filter(moments_on("submitted_at", days))
        .annotate(day=TruncDate("submitted_at"))
        .order_by()
        .values("scope", "day")
        .annotate(**_appeal_aggregates(now))
    )
    unprefixed = (
        {**row, **{k.removeprefix(PREFIX): v for k, v in row.items() if k.startswith(PREFIX)}} for row in rows
    )
    return spread(index, unprefixed, key="day", figures=(*APPEAL_FIGURES, "handling_hours"))


def dirty_appeal_days(since: dt.datetime, now: dt.datetime) -> set[dt.date]:
    """Submission days of the appeals that changed since ``since`` (new ones, every step on a
    timeline) and of the open ones that crossed a deadline meanwhile (they become due or overdue
    without any event)."""
    day = TruncDate("submitted_at")
    new = Appeal.objects.filter(submitted_at__gte=since).annotate(day=day)
    moved = AppealEvent.objects.filter(at__gte=since).annotate(day=TruncDate("appeal__submitted_at"))
    crossed = Appeal.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(resolution_due_at__gt=since, resolution_due_at__lte=now)
        | Q(responded_at__isnull=True, response_due_at__gt=since, response_due_at__lte=now)
    )
    days: set[dt.date] = set()
    for queryset in (new, moved, crossed.annotate(day=day)):
        days.update(queryset.order_by().values_list("day", flat=True).distinct())
    return days


def category_months(index: AreaIndex, days: Iterable[dt.date] | None) -> Totals:
    """CategoryMonth figures, keyed (area, (month, category id))."""
    rows = (
        Appeal.objects.filter(moments_on("submitted_at", days))
        .annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values("scope", "month", "category_id")
        .annotate(received=Count("pk"))
    )
    keyed = ({**row, "key": (as_date(row["month"]), row["category_id"])} for row in rows)
    return spread(index, keyed, key="key", figures=("received",))


def place_months(days: Iterable[dt.date] | None) -> list[dict[str, Any]]:
    """PlaceMonth rows: appeals per building (or estate as a whole) and month, under their scope."""
    rows = (
        Appeal.objects.filter(moments_on("submitted_at", days), estate__isnull=False)
        .annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values("scope", "month", "estate_id", "building_id")
        .annotate(received=Count("pk"))
    )
    return [{**row, "month": as_date(row["month"])} for row in rows]


# --- co-governance work (small tables: recomputed whole) --------------------------------------------


def work_days(index: AreaIndex, now: dt.datetime) -> Totals:
    """WorkDay figures for every day: list items by the day they were collected, meetings and
    activities by the day they took place, action items by the day they were set, ballots by the
    day they closed."""
    parts = [
        (
            GovernanceItem.objects.annotate(day=TruncDate("created_at")).values("scope", "day"),
            {
                "items_collected": Count("pk", filter=Q(status__in=COLLECTED_STATUSES)),
                "items_done": Count("pk", filter=Q(status=ItemStatus.DONE)),
            },
        ),
        (
            Meeting.objects.filter(status__in=(MeetingStatus.HELD, MeetingStatus.PUBLISHED))
            .annotate(day=TruncDate("starts_at"))
            .values("scope", "day"),
            {"meetings_held": Count("pk")},
        ),
        (
            ActionItem.objects.exclude(status=ActionStatus.CANCELLED)
            .annotate(day=TruncDate("created_at"))
            .values("scope", "day"),
            {"actions_added": Count("pk"), "actions_done": Count("pk", filter=Q(status=ActionStatus.DONE))},
        ),
        (
            Ballot.objects.filter(status=BallotStatus.CLOSED, closed_at__isnull=False)
            .annotate(day=TruncDate("closed_at"))
            .values("scope", "day"),
            {"ballots_closed": Count("pk")},
        ),
        (
            Matter.objects.filter(ballot__status=BallotStatus.CLOSED, ballot__closed_at__isnull=False)
            .annotate(day=TruncDate("ballot__closed_at"), scope=F("ballot__scope"))
            .values("scope", "day"),
            {
                "matters_decided": Count("pk", filter=Q(passed__isnull=False)),
                "matters_passed": Count("pk", filter=Q(passed=True)),
            },
        ),
        (
            Activity.objects.filter(status__in=(ActivityStatus.PUBLISHED, ActivityStatus.FINISHED), ends_at__lte=now)
            .annotate(day=TruncDate("starts_at"))
            .values("scope", "day"),
            {"activities_held": Count("pk")},
        ),
    ]
    totals: Totals = {}
    for queryset, aggregates in parts:
        rows = queryset.order_by().annotate(**aggregates)
        for key, figures in spread(index, rows, key="day", figures=tuple(aggregates)).items():
            totals.setdefault(key, dict.fromkeys(WORK_FIGURES, 0)).update(figures)
    return totals


# --- volunteer service ---------------------------------------------------------------------------


def service_days(index: AreaIndex, days: Iterable[dt.date] | None) -> Totals:
    """ServiceDay figures: net confirmed minutes (corrections carry signed differences) and the
    number of original records, by the day the service was given."""
    rows = (
        ServiceRecord.objects.filter(dates_on("served_on", days))
        .annotate(day=F("served_on"))
        .order_by()
        .values("scope", "day")
        .annotate(
            service_minutes=Sum("minutes"),
            service_records=Count("pk", filter=Q(corrects__isnull=True)),
        )
    )
    return spread(index, rows, key="day", figures=SERVICE_FIGURES)


def dirty_service_days(since: dt.datetime) -> set[dt.date]:
    """Days of service whose records were confirmed (or corrected) since ``since``."""
    return set(ServiceRecord.objects.filter(confirmed_at__gte=since).values_list("served_on", flat=True).distinct())


def volunteer_months(index: AreaIndex, months: Iterable[dt.date] | None) -> dict[tuple[int, dt.date], int]:
    """Distinct volunteers with net positive service in each month, by area. A volunteer counts
    once in an area however many of its grids they served in."""
    records = ServiceRecord.objects.annotate(month=TruncMonth("served_on"))
    if months is not None:
        months = sorted(set(months))
        records = records.filter(month__in=months) if months else records.none()
    rows = (
        records.order_by()
        .values("scope", "month", "person_id")
        .annotate(minutes=Sum("minutes"))
        .filter(minutes__gt=0)
        .values_list("scope", "month", "person_id")
    )
    people: dict[tuple[int, dt.date], set[int]] = {}
    for scope, month, person_id in rows:
        month = as_date(month)
        for area_id in index.areas_covering(scope):
            people.setdefault((area_id, month), set()).add(person_id)
    return {key: len(persons) for key, persons in people.items()}


# --- the points ledger ---------------------------------------------------------------------------


def points_days(index: AreaIndex, days: Iterable[dt.date] | None) -> Totals:
    """PointsDay figures, as points.selectors.overview counts them: issued = what left the issued
    books (net of reversals), redeemed = what people spent on rewards (net of refunds), expired =
    what went to the expired books; by the day the transaction was posted."""
    spending = Q(
        account__kind=AccountKind.PERSON, transaction__kind__in=(TransactionKind.REDEMPTION, TransactionKind.REFUND)
    )
    rows = (
        LedgerEntry.objects.filter(moments_on("transaction__created_at", days))
        .annotate(day=TruncDate("transaction__created_at"), scope=F("transaction__scope"))
        .order_by()
        .values("scope", "day")
        .annotate(
            issued=Sum("amount", filter=Q(account__kind=AccountKind.ISSUED)),
            spent=Sum("amount", filter=spending),
            points_expired=Sum("amount", filter=Q(account__kind=AccountKind.EXPIRED)),
        )
    )
    signed = ({**row, "points_issued": -(row["issued"] or 0), "points_redeemed": -(row["spent"] or 0)} for row in rows)
    return spread(index, signed, key="day", figures=POINTS_FIGURES)


def dirty_points_days(since: dt.datetime) -> set[dt.date]:
    """Days with transactions posted since ``since`` (the ledger is append-only: nothing older moves)."""
    from shuren.points.models import LedgerTransaction

    return set(
        LedgerTransaction.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )

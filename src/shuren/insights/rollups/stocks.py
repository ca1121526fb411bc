"""The stock figures: what each area holds at the moment of a run (people, organisations and
coverage, open work), counted from the raw tables by scope and spread to every area above."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from shuren.appeals.kpis import kpi_aggregates
from shuren.appeals.models import OPEN_STATUSES, Appeal
from shuren.governance.models import GovernanceItem, ItemStatus
from shuren.governance.selectors import overdue_q
from shuren.orgs.models import Organization, OrganizationKind, PostAssignment, PostKind, ServiceStation
from shuren.people.models import LeagueProfile, PartyMembership, Person, PersonTagging, Residence
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate
from shuren.points.models import Account, AccountKind
from shuren.volunteering.models import ProfileStatus, VolunteerProfile

from .tree import AreaIndex, spread

# Figures whose name carries a code after the colon: one per residence status, tag, organisation
# kind and post kind.
RESIDENCE = "residence:"
TAG = "tag:"
ORGANIZATION = "org:"
POST = "post:"
OPEN_ITEM_STATUSES = (ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.SUBMITTED)
# The state of work at the moment of counting: unlike the registry (people, places, organisations,
# posts), it changes with time alone, so a count says nothing about the days before it.
OPEN_WORK = (
    "appeals_open",
    "appeals_overdue",
    "appeals_supervised",
    "items_open",
    "items_overdue",
    "points_outstanding",
)


def _counted(queryset: QuerySet[Any], name: str, *, scope: str = "scope", value: Any = None) -> Iterator[dict]:
    rows = queryset.order_by().annotate(at_scope=F(scope)).values("at_scope").annotate(n=value or Count("pk"))
    for row in rows:
        yield {"scope": row["at_scope"], "figure": name, "n": row["n"] or 0}


def _counted_by(queryset: QuerySet[Any], prefix: str, field: str, *, scope: str = "scope") -> Iterator[dict]:
    rows = queryset.order_by().annotate(at_scope=F(scope)).values("at_scope", field).annotate(n=Count("pk"))
    for row in rows:
        yield {"scope": row["at_scope"], "figure": prefix + str(row[field]), "n": row["n"]}


def _rows(now: dt.datetime) -> Iterator[dict]:
    today = timezone.localdate(now)
    led = PostAssignment.objects.current(today).filter(kind__code=PostKind.BUILDING_LEADER).values("buildings")
    counted = kpi_aggregates(now)
    open_counted = counted["kpi_counted"].filter & Q(status__in=OPEN_STATUSES)

    # People (人口) and the special groups (特殊群体).
    yield from _counted(Person.objects.all(), "residents")
    yield from _counted(Dwelling.objects.all(), "dwellings")
    yield from _counted(
        Dwelling.objects.filter(residences__isnull=False), "households", value=Count("pk", distinct=True)
    )
    yield from _counted_by(Residence.objects.all(), RESIDENCE, "status")
    yield from _counted(PartyMembership.objects.all(), "party_members", scope="person__scope")
    yield from _counted(LeagueProfile.objects.all(), "league_members", scope="person__scope")
    yield from _counted_by(PersonTagging.objects.all(), TAG, "tag__code", scope="person__scope")
    yield from _counted(VolunteerProfile.objects.filter(status=ProfileStatus.APPROVED), "volunteers")
    # Places and organisations, and how well they are covered (支部建在小区上, 一小区一站点, 楼长制).
    yield from _counted(Area.objects.filter(kind=AreaKind.COMMUNITY), "communities", scope="path")
    yield from _counted(Area.objects.filter(kind=AreaKind.GRID), "grids", scope="path")
    yield from _counted(Estate.objects.all(), "estates")
    yield from _counted(
        Estate.objects.filter(organizations__kind=OrganizationKind.PARTY_BRANCH),
        "estates_with_branch",
        value=Count("pk", distinct=True),
    )
    yield from _counted(Estate.objects.filter(pk__in=ServiceStation.objects.values("estate")), "estates_with_station")
    yield from _counted(ServiceStation.objects.all(), "stations")
    yield from _counted(Building.objects.all(), "buildings")
    yield from _counted(Building.objects.filter(pk__in=led), "buildings_with_leader")
    yield from _counted_by(Organization.objects.all(), ORGANIZATION, "kind")
    yield from _counted_by(PostAssignment.objects.current(today), POST, "kind__code")
    # Open work.
    yield from _counted(Appeal.objects.filter(open_counted), "appeals_open")
    yield from _counted(Appeal.objects.filter(open_counted, resolution_due_at__lt=now), "appeals_overdue")
    yield from _counted(Appeal.objects.filter(open_counted, is_supervised=True), "appeals_supervised")
    yield from _counted(GovernanceItem.objects.filter(status__in=OPEN_ITEM_STATUSES), "items_open")
    yield from _counted(GovernanceItem.objects.filter(overdue_q(today)), "items_overdue")
    yield from _counted(Account.objects.filter(kind=AccountKind.PERSON), "points_outstanding", value=Sum("balance"))


def stocks(index: AreaIndex, now: dt.datetime) -> dict[tuple[int, str], int]:
    """Every stock figure of every area, keyed (area id, figure)."""
    totals = spread(index, _rows(now), key="figure", figures=("n",))
    return {key: int(values["n"]) for key, values in totals.items()}

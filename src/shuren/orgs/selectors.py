from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from shuren.core.scoping import scope_paths, scope_q, visible
from shuren.people.models import Person
from shuren.people.selectors import overdue_visits
from shuren.places.models import Area, Building, Estate

from .models import Membership, Organization, OrganizationKind, Partnership, PostAssignment, PostKind

COMMUNITY_DEPTH = 2  # district.subdistrict.community


def _enclosing_communities(paths: list[str]) -> set[str]:
    """The communities around grid-level paths: a grid worker also deals with their community's
    branches, committees, property managers and community-wide posts."""
    return {".".join(p.split(".")[: COMMUNITY_DEPTH + 1]) for p in paths if p.count(".") > COMMUNITY_DEPTH}


def _led_buildings() -> QuerySet[PostAssignment, Any]:
    """Ids of the buildings that have a building leader today (a subquery)."""
    return PostAssignment.objects.current().filter(kind__code=PostKind.BUILDING_LEADER).values("buildings")


def visible_organizations(user: Any, *, kind: str = "") -> QuerySet[Organization]:
    """Organisations in the user's areas, plus those of the community a grid-level user works in
    (a grid worker deals with the community's branches, committees and property managers)."""
    paths = scope_paths(user, "orgs.view_organization")
    enclosing = _enclosing_communities(paths)
    orgs = (
        Organization.objects.select_related("area", "estate").filter(scope_q(paths, "scope") | Q(scope__in=enclosing))
        if paths
        else Organization.objects.none()
    )
    if kind:
        orgs = orgs.filter(kind=kind)
    return orgs.annotate(member_count=Count("memberships", filter=Q(memberships__to_on__isnull=True))).order_by(
        "scope", "kind", "name"
    )


@dataclass(frozen=True)
class Coverage:
    estates: int
    with_branch: int
    with_station: int
    buildings: int = 0
    with_leader: int = 0

    @staticmethod
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.0%}" if whole else "—"

    @property
    def branch_share(self) -> str:
        return self.share(self.with_branch, self.estates)

    @property
    def station_share(self) -> str:
        return self.share(self.with_station, self.estates)

    @property
    def leader_share(self) -> str:
        return self.share(self.with_leader, self.buildings)


def coverage(user: Any) -> Coverage:
    """支部建在小区上, 一小区一站点, 楼长制: how many estates in scope have a party branch and a
    station, and how many buildings have a building leader today."""
    paths = scope_paths(user, "orgs.view_organization")
    estates = Estate.objects.filter(scope_q(paths, "scope")) if paths else Estate.objects.none()
    buildings = Building.objects.filter(scope_q(paths, "scope")) if paths else Building.objects.none()
    led = _led_buildings()
    return Coverage(
        estates=estates.count(),
        with_branch=estates.filter(organizations__kind=OrganizationKind.PARTY_BRANCH).distinct().count(),
        with_station=estates.filter(stations__isnull=False).distinct().count(),
        buildings=buildings.count(),
        with_leader=buildings.filter(pk__in=led).count(),
    )


def visible_assignments(user: Any, *, kind: str = "", current: bool = True) -> QuerySet[PostAssignment]:
    """Post assignments in the user's areas, grouped by area and post."""
    paths = scope_paths(user, "orgs.view_organization")
    enclosing = _enclosing_communities(paths)
    if not paths:
        return PostAssignment.objects.none()
    # Grid-level users see the posts of their grids and the community-wide posts above them.
    rows = PostAssignment.objects.filter(scope_q(paths, "scope") | Q(scope__in=enclosing))
    if current:
        rows = rows.current()
    if kind:
        rows = rows.filter(kind__code=kind)
    return (
        rows.select_related("kind", "person", "area")
        .prefetch_related("buildings__estate")
        .order_by("scope", "kind__position", "-from_on", "pk")
    )


def buildings_without_leader(user: Any) -> QuerySet[Building]:
    """Buildings in scope with no building leader today: the vacancies to fill."""
    paths = scope_paths(user, "orgs.view_organization")
    if not paths:
        return Building.objects.none()
    led = _led_buildings()
    return (
        Building.objects.filter(scope_q(paths, "scope"))
        .exclude(pk__in=led)
        .select_related("estate", "grid")
        .order_by("estate__name", "number")
    )


@dataclass
class LeaderHome:
    """What a post holder sees on their home page: their posts, buildings, residents and what is due."""

    assignments: list[PostAssignment]
    buildings: list[Building]
    residents: list[Any]
    due: list[Any]
    never_visited: int


def leader_home(user: Any) -> LeaderHome:
    person = Person.objects.filter(user=user).first()
    if person is None:
        return LeaderHome([], [], [], [], 0)
    assignments = list(
        person.post_assignments.current().select_related("kind", "area").prefetch_related("buildings__estate")
    )
    buildings = sorted({b for a in assignments for b in a.buildings.all()}, key=lambda b: (b.estate.name, b.number))
    # Residents of those buildings the user may see (their role grant still decides), masked later.
    residents = list(
        visible(Person.objects.all(), user, "people.view_person")
        .filter(
            residences__to_on__isnull=True,
            residences__dwelling__unit__building__in=buildings,
        )
        .annotate(last_visit=Max("visits__visited_on"))
        .prefetch_related("residences__dwelling__unit__building__estate")
        .distinct()
        .order_by("name_pinyin", "pk")
    )
    due = overdue_visits(user, among=[p.pk for p in residents])
    return LeaderHome(assignments, buildings, residents, due, sum(1 for p in residents if p.last_visit is None))


def current_members(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.filter(to_on__isnull=True).select_related("person").order_by("role")


def partnerships_of(organization: Organization) -> QuerySet[Partnership]:
    return organization.partnerships.select_related("community", "counterpart").order_by("-from_on")


def paired_with(organization: Organization) -> QuerySet[Partnership]:
    return organization.paired_with.select_related("unit").order_by("-from_on")


def counterparts_for(user: Any, unit: Organization, communities: QuerySet[Area]) -> QuerySet[Organization]:
    """The organisations of ``communities`` a unit may pair with (any but itself)."""
    return visible_organizations(user).filter(area__in=communities).exclude(pk=unit.pk)


def post_kinds() -> QuerySet[PostKind]:
    return PostKind.objects.all()


def building_leader_kind() -> PostKind | None:
    return PostKind.objects.filter(code=PostKind.BUILDING_LEADER).first()

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from shuren.core.scoping import scope_paths, scope_q
from shuren.places.models import Estate

from .models import Organization, OrganizationKind

COMMUNITY_DEPTH = 2  # district.subdistrict.community


def visible_organizations(user: Any, *, kind: str = "") -> QuerySet[Organization]:
    """Organisations in the user's areas, plus those of the community a grid-level user works in
    (a grid worker deals with the community's branches, committees and property managers)."""
    paths = scope_paths(user, "orgs.view_organization")
    enclosing = {".".join(p.split(".")[: COMMUNITY_DEPTH + 1]) for p in paths if p.count(".") > COMMUNITY_DEPTH}
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

    @staticmethod
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.0%}" if whole else "—"

    @property
    def branch_share(self) -> str:
        return self.share(self.with_branch, self.estates)

    @property
    def station_share(self) -> str:
        return self.share(self.with_station, self.estates)


def coverage(user: Any) -> Coverage:
    """支部建在小区上, 一小区一站点: how many estates in scope have a party branch and a station."""
    paths = scope_paths(user, "orgs.view_organization")
    estates = Estate.objects.filter(scope_q(paths, "scope")) if paths else Estate.objects.none()
    return Coverage(
        estates=estates.count(),
        with_branch=estates.filter(organizations__kind=OrganizationKind.PARTY_BRANCH).distinct().count(),
        with_station=estates.filter(stations__isnull=False).distinct().count(),
    )

"""Every read of sign-up: the places a resident may name, the staff's queue and its counts, a
resident's own requests."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from shuren.accounts.models import User
from shuren.core.scoping import resolve, visible
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Dwelling

from .models import LinkRequest, LinkStatus
from .services.links import REVIEW_ACTION, residents_of

__all__ = [
    "building_choices",
    "community_choices",
    "dwelling_choices",
    "filter_requests",
    "own_requests",
    "queue_counts",
    "request_for_review",
    "residents_of",
    "waiting_count",
]


SEARCH_MIN = 2


def community_choices(search: str = "", chosen: int | None = None) -> QuerySet[Area]:
    """The communities whose name holds ``search`` (at least two characters), and the one already
    chosen: a resident names theirs before anyone knows them, and the page never lists them all."""
    search = (search or "").strip()
    wanted = Q(pk=chosen) if chosen else Q(pk__in=[])
    if len(search) >= SEARCH_MIN:
        wanted |= Q(name__icontains=search)
    return Area.objects.filter(wanted, kind=AreaKind.COMMUNITY).select_related("parent").order_by("path")


def building_choices(community: Area | None) -> QuerySet[Building]:
    if community is None:
        return Building.objects.none()
    return (
        Building.objects.filter(estate__community=community).select_related("estate").order_by("estate__name", "number")
    )


def dwelling_choices(building: Building | None) -> QuerySet[Dwelling]:
    if building is None:
        return Dwelling.objects.none()
    return (
        Dwelling.objects.filter(unit__building=building)
        .select_related("unit__building__estate")
        .order_by("unit__number", "floor", "room")
    )


def own_requests(user: User) -> QuerySet[LinkRequest]:
    return LinkRequest.objects.filter(user=user).select_related("dwelling__unit__building__estate", "community")


def linked_person(user: User) -> Person | None:
    return Person.objects.filter(user=user).first()


def _queue(user: User) -> QuerySet[LinkRequest]:
    return visible(LinkRequest.objects.all(), user, REVIEW_ACTION)


def filter_requests(user: User, params: dict[str, Any]) -> QuerySet[LinkRequest]:
    """The requests ``user`` reviews, filtered by status (default: waiting), grid and name."""
    rows = _queue(user).select_related("dwelling__unit__building__estate", "dwelling__unit__building__grid", "user")
    status = params.get("status") or LinkStatus.PENDING
    if status in LinkStatus.values:
        rows = rows.filter(status=status)
    grid = str(params.get("grid") or "")
    if grid.isdigit():
        rows = rows.filter(dwelling__unit__building__grid_id=int(grid))
    name = str(params.get("q") or "").strip()
    if name:
        rows = rows.filter(name__icontains=name)
    if status == LinkStatus.PENDING:
        return rows.order_by("created_at", "pk")  # oldest first: who has waited longest
    return rows.order_by("-decided_at", "-pk")


def queue_counts(user: User) -> dict[str, int]:
    """How many requests of each status ``user`` reviews."""
    counts = dict.fromkeys(LinkStatus.values, 0)
    for row in _queue(user).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def waiting_count(user: User) -> int:
    return _queue(user).filter(status=LinkStatus.PENDING).count()


def queue_grids(user: User) -> QuerySet[Area]:
    grids = _queue(user).values("dwelling__unit__building__grid_id")
    return Area.objects.filter(Q(pk__in=grids)).order_by("path")


def request_for_review(user: User, pk: int) -> LinkRequest:
    """The request ``pk`` if ``user`` reviews it; 404 otherwise (OutOfScope)."""
    queryset = LinkRequest.objects.select_related(
        "dwelling__unit__building__estate", "dwelling__unit__building__grid", "community", "user", "person"
    )
    return resolve(user, REVIEW_ACTION, queryset, pk)

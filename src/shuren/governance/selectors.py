"""Reads of the governance list: what staff see, what residents may claim, their claims and wishes,
and the completion figures per place and per list ("9 items collected, 6 done")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from shuren.core.errors import OutOfScope
from shuren.core.scoping import scope_paths, scope_q, visible
from shuren.places.models import Area, AreaKind, Estate

from . import workflow
from .models import Claim, ClaimStatus, GovernanceItem, GovernanceList, ItemKind, ItemStatus

S = ItemStatus


def visible_items(user: Any) -> QuerySet[GovernanceItem]:
    """Items of the user's areas, for staff (governance.view)."""
    return visible(GovernanceItem.objects.all(), user, "governance.view")


def listed_items(queryset: QuerySet[GovernanceItem]) -> QuerySet[GovernanceItem]:
    """The joins a list of items needs."""
    return queryset.select_related("area", "area__parent", "estate", "building", "unit", "governance_list")


def portal_reach_q(user: Any) -> Q:
    """Items a resident may see in the portal: those of their community, and their own wishes."""
    reach = workflow.claim_reach(user)
    query = scope_q(reach, "scope") if reach else Q(pk__in=[])
    if getattr(user, "is_authenticated", False):
        query |= Q(created_by_id=user.pk)
    return query


def openable_item(user: Any, pk: int) -> GovernanceItem:
    """Item ``pk`` if ``user`` may open it: staff of its place, a resident of its community (once it
    is listed), the resident whose wish it is; OutOfScope otherwise."""
    query = Q(pk__in=[])
    paths = sorted(set(scope_paths(user, "governance.view")) | set(scope_paths(user, "governance.manage")))
    if paths:
        query |= scope_q(paths, "scope")
    reach = workflow.claim_reach(user)
    if reach:
        query |= scope_q(reach, "scope") & ~Q(status=S.PROPOSED)
    if getattr(user, "is_authenticated", False):
        query |= Q(created_by_id=user.pk)
    item = listed_items(GovernanceItem.objects.filter(pk=pk).filter(query)).first()
    if item is None:
        raise OutOfScope()
    return item


def claimable_items(user: Any) -> QuerySet[GovernanceItem]:
    """Open items and wishes of the user's community, soonest deadline first."""
    reach = workflow.claim_reach(user)
    if not reach:
        return GovernanceItem.objects.none()
    return listed_items(
        GovernanceItem.objects.filter(scope_q(reach, "scope"), status=S.OPEN).order_by(
            F("due_on").asc(nulls_last=True), "-created_at"
        )
    )


def my_claims(user: Any) -> QuerySet[Claim]:
    """Claims held by the user's person or by an organisation they are a current member of."""
    person = workflow.person_of(user)
    orgs = workflow.member_organization_ids(user)
    query = Q(pk__in=[])
    if person is not None:
        query |= Q(person=person)
    if orgs:
        query |= Q(organization_id__in=orgs)
    return (
        Claim.objects.filter(query)
        .select_related("item", "item__area", "item__estate", "item__building", "person", "organization")
        .order_by("-created_at")
    )


def my_wishes(user: Any) -> QuerySet[GovernanceItem]:
    if not getattr(user, "is_authenticated", False):
        return GovernanceItem.objects.none()
    return listed_items(GovernanceItem.objects.filter(kind=ItemKind.WISH, created_by=user))


def wishes_awaiting_review(user: Any) -> QuerySet[GovernanceItem]:
    return listed_items(
        visible(GovernanceItem.objects.filter(status=S.PROPOSED), user, "governance.manage").order_by("created_at")
    )


def visible_lists(user: Any) -> QuerySet[GovernanceList]:
    return visible(GovernanceList.objects.select_related("community"), user, "governance.view")


def overdue_q(today: dt.date | None = None) -> Q:
    """Items past their deadline and not finished (waiting, claimed or awaiting verification)."""
    today = today or timezone.localdate()
    return Q(due_on__lt=today, status__in=(S.OPEN, S.CLAIMED, S.SUBMITTED))


# --- completion figures --------------------------------------------------------------------------


@dataclass
class Figures:
    """Completion of a set of items. ``collected`` counts every item put on a list (open or later,
    not wishes still awaiting review, not cancelled ones); the rate is done / collected."""

    label: str
    collected: int = 0
    open: int = 0
    claimed: int = 0
    submitted: int = 0
    done: int = 0
    overdue: int = 0
    key: Any = None

    @property
    def rate(self) -> float | None:
        return round(self.done * 100 / self.collected, 1) if self.collected else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "collected": self.collected,
            "open": self.open,
            "claimed": self.claimed,
            "awaiting_verification": self.submitted,
            "done": self.done,
            "overdue": self.overdue,
            "completion_rate": self.rate,
        }


COLLECTED_STATUSES = (S.OPEN, S.CLAIMED, S.SUBMITTED, S.DONE)


def _counts(today: dt.date) -> dict[str, Count]:
    return {
        "collected": Count("pk", filter=Q(status__in=COLLECTED_STATUSES)),
        "open": Count("pk", filter=Q(status=S.OPEN)),
        "claimed": Count("pk", filter=Q(status=S.CLAIMED)),
        "submitted": Count("pk", filter=Q(status=S.SUBMITTED)),
        "done": Count("pk", filter=Q(status=S.DONE)),
        "overdue": Count("pk", filter=overdue_q(today)),
    }


def figures_of(items: QuerySet[GovernanceItem], label: str = "", today: dt.date | None = None) -> Figures:
    """The figures of ``items`` as one row."""
    counts = items.order_by().aggregate(**_counts(today or timezone.localdate()))
    return Figures(label=label, **counts)


BREAKDOWNS = ("community", "grid", "estate", "list")


def figures_by(items: QuerySet[GovernanceItem], by: str, today: dt.date | None = None) -> list[Figures]:
    """One row per community, grid, estate or governance list of ``items`` (the caller has scoped
    them), ordered by name; items without such a place (e.g. community-wide for ``grid``) are left out."""
    today = today or timezone.localdate()
    items = items.filter(status__in=COLLECTED_STATUSES)  # no rows for places with only wishes under review
    if by == "community":
        # An item filed under a grid belongs to the grid's community.
        grid_items = items.filter(area__kind=AreaKind.GRID).values(key=F("area__parent_id"))
        own_items = items.filter(area__kind=AreaKind.COMMUNITY).values(key=F("area_id"))
        rows: dict[Any, dict[str, int]] = {}
        for part in (grid_items, own_items):
            for row in part.order_by().annotate(**_counts(today)):
                total = rows.setdefault(row["key"], dict.fromkeys(_counts(today), 0))
                for name in total:
                    total[name] += row[name]
        names = dict(Area.objects.filter(pk__in=rows).values_list("pk", "name"))
        result = [Figures(label=names.get(k, "?"), key=k, **v) for k, v in rows.items()]
    elif by in ("grid", "estate", "list"):
        field = {"grid": "area_id", "estate": "estate_id", "list": "governance_list_id"}[by]
        base = items.filter(area__kind=AreaKind.GRID) if by == "grid" else items.exclude(**{field: None})
        grouped = base.values(key=F(field)).order_by().annotate(**_counts(today))
        keys = [row["key"] for row in grouped]
        if by == "grid":
            names = {
                pk: f"{parent} {name}"
                for pk, name, parent in Area.objects.filter(pk__in=keys).values_list("pk", "name", "parent__name")
            }
        elif by == "estate":
            names = dict(Estate.objects.filter(pk__in=keys).values_list("pk", "name"))
        else:
            names = dict(GovernanceList.objects.filter(pk__in=keys).values_list("pk", "title"))
        result = [
            Figures(label=names.get(row["key"], "?"), key=row["key"], **{k: row[k] for k in _counts(today)})
            for row in grouped
        ]
    else:
        raise ValueError(by)
    return sorted(result, key=lambda f: f.label)


def active_claims_of(items: QuerySet[GovernanceItem]) -> dict[int, Claim]:
    """The active claim of each item (one query for a page of items)."""
    claims = Claim.objects.filter(item__in=items, status=ClaimStatus.ACTIVE).select_related("person", "organization")
    return {claim.item_id: claim for claim in claims}

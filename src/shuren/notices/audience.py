"""Who a notice is for: the households and residents of its place, narrowed by tags, roles and
organisations. Pure reads; the publishing service fixes the answer when the notice goes out.

Within one kind of criterion any match is enough (either tag); across kinds all must hold (a party
member AND a volunteer). A household is in the audience when one of its current residents is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shuren.accounts.models import RoleGrant
from shuren.core.scoping import scope_q
from shuren.people.models import Residence

from .models import Notice


@dataclass(frozen=True)
class Member:
    person_id: int
    dwelling_id: int
    building_id: int
    scope: str
    user_id: int | None
    name: str


def place_q(notice: Notice) -> Q:
    """The dwellings of the notice's place (a filter on a Residence's dwelling)."""
    if notice.unit_id:
        return Q(dwelling__unit_id=notice.unit_id)
    if notice.building_id:
        return Q(dwelling__unit__building_id=notice.building_id)
    if notice.estate_id:
        query = Q(dwelling__unit__building__estate_id=notice.estate_id)
        return query & scope_q([notice.area.path], "dwelling__scope")
    return scope_q([notice.area.path], "dwelling__scope")


def residences(notice: Notice) -> QuerySet[Residence]:
    """The current residences of the audience."""
    rows = Residence.objects.filter(place_q(notice), to_on__isnull=True)
    tag_ids = list(notice.tags.values_list("pk", flat=True)) if notice.pk else []
    if tag_ids:
        rows = rows.filter(person__taggings__tag_id__in=tag_ids)
    if notice.roles:
        holders = RoleGrant.objects.active().filter(role__in=list(notice.roles)).values("user")
        rows = rows.filter(person__user__in=holders)
    org_ids = list(notice.organizations.values_list("pk", flat=True)) if notice.pk else []
    if org_ids:
        rows = rows.filter(person__memberships__organization_id__in=org_ids, person__memberships__to_on__isnull=True)
    return rows.distinct()


def members(notice: Notice) -> list[Member]:
    """Each resident of the audience with their dwelling, building and account (if any)."""
    seen: set[int] = set()
    found: list[Member] = []
    values = residences(notice).values_list(
        "person_id", "dwelling_id", "dwelling__unit__building_id", "dwelling__scope", "person__user_id", "person__name"
    )
    for person_id, dwelling_id, building_id, scope, user_id, name in values.order_by("dwelling_id", "person_id"):
        if person_id in seen:  # a person living in two dwellings counts once, at the first
            continue
        seen.add(person_id)
        found.append(Member(person_id, dwelling_id, building_id, scope, user_id, name))
    return found


def household_count(notice: Notice) -> int:
    return residences(notice).values("dwelling").distinct().count()

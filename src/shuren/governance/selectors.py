"""Reads of the governance list: what staff see, what residents may claim, their claims and wishes,
and the completion figures per place and per list ("9 items collected, 6 done")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.appeals.selectors import visible_appeals
from shuren.core.errors import OutOfScope
from shuren.core.scoping import covering_paths, path_covers, roles_of, scope_paths, scope_q, visible
from shuren.orgs.models import Membership, Organization, OrganizationKind
from shuren.people.models import PartyMembership, Person, Residence
from shuren.places.models import Area, AreaKind, Building, Estate, Unit
from shuren.places.selectors import communities_where

from .models import (
    Claim,
    ClaimStatus,
    GovernanceItem,
    GovernanceList,
    GovernancePolicy,
    ItemKind,
    ItemPhoto,
    ItemStatus,
    UpdateKind,
)

S = ItemStatus

# How long before a claim lapses its claimant is warned (a message, and a card on their home page).
LAPSE_WARNING = dt.timedelta(days=2)

# Roles whose holders may claim for themselves without being party members.
CLAIMING_ROLES = frozenset({"volunteer", "building_leader"})


# --- who the user is ------------------------------------------------------------------------------


def person_of(user: Any) -> Person | None:
    """The resident record the user signs in as, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_shuren_person"):
        user._shuren_person = Person.objects.filter(user=user).first()
    person: Person | None = user._shuren_person
    return person


def current_membership_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return (Q(from_on__isnull=True) | Q(from_on__lte=today)) & (Q(to_on__isnull=True) | Q(to_on__gte=today))


def member_organization_ids(user: Any) -> list[int]:
    """Organisations the user's person is a current member of."""
    person = person_of(user)
    if person is None:
        return []
    return list(
        Membership.objects.filter(current_membership_q(), person=person).values_list("organization_id", flat=True)
    )


def is_party_member(person: Person) -> bool:
    return PartyMembership.objects.filter(person=person).exists()


def person_may_claim(person: Person) -> bool:
    """Party members, volunteers (a volunteer account or a volunteer team's member) and building
    leaders may hold a claim themselves."""
    if is_party_member(person):
        return True
    if person.user is not None and roles_of(person.user) & CLAIMING_ROLES:
        return True
    return Membership.objects.filter(
        current_membership_q(), person=person, organization__kind=OrganizationKind.VOLUNTEER_TEAM
    ).exists()


def claim_reach(user: Any) -> list[str]:
    """Paths of the communities where ``user`` may claim: a resident granted on a grid claims in the
    whole community around it (a task at the estate gate is anyone's in the community)."""
    paths = scope_paths(user, "governance.claim")
    if not paths:
        return []
    if "" in paths:
        return [""]
    wanted = {p for path in paths for p in covering_paths(path)}
    communities = list(Area.objects.filter(path__in=wanted, kind=AreaKind.COMMUNITY).values_list("path", flat=True))
    # A grant above community level (unusual for residents) reaches what it covers.
    wider = [p for p in paths if not any(path_covers(c, p) for c in communities)]
    return sorted(set(communities) | set(wider))


def community_of(item: GovernanceItem) -> Area:
    """The community of the item's place (the grid's parent for an item filed under a grid)."""
    area = item.area
    community = area.parent if area.kind == AreaKind.GRID else area
    assert community is not None
    return community


def policy_for(community: Area) -> GovernancePolicy:
    """The community's policy, or the defaults (a week without progress; wishes reviewed) unsaved."""
    return GovernancePolicy.objects.filter(community=community).first() or GovernancePolicy(community=community)


def communities_with_policy(user: Any) -> list[Area]:
    """The communities where ``user`` manages governance, each with its ``policy``."""
    communities = list(communities_where(user, "governance.manage"))
    for community in communities:
        setattr(community, "policy", policy_for(community))  # noqa: B010  (shown by the template)
    return communities


def managed_community(user: Any, pk: int) -> Area | None:
    """Community ``pk`` if ``user`` manages governance there, None otherwise."""
    return communities_where(user, "governance.manage").filter(pk=pk).first()


def home_building(user: Any) -> Building | None:
    """The building of the resident's current home (their Residence without an end date)."""
    person = person_of(user)
    if person is None:
        return None
    residence = (
        Residence.objects.filter(person=person, to_on__isnull=True)
        .select_related("dwelling__unit__building")
        .order_by("-from_on", "-pk")
        .first()
    )
    return residence.dwelling.unit.building if residence else None


# --- items ----------------------------------------------------------------------------------------


def visible_items(user: Any) -> QuerySet[GovernanceItem]:
    """Items of the user's areas, for staff (governance.view)."""
    return visible(GovernanceItem.objects.all(), user, "governance.view")


def listed_items(queryset: QuerySet[GovernanceItem]) -> QuerySet[GovernanceItem]:
    """The joins a list of items needs (a building's and a unit's place is named with its estate's
    name: without those joins each such row cost one or two more queries)."""
    return queryset.select_related(
        "area", "area__parent", "estate", "building__estate", "unit__building__estate", "governance_list"
    )


def portal_reach_q(user: Any) -> Q:
    """Items a resident may see in the portal: those of their community, and their own wishes."""
    reach = claim_reach(user)
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
    reach = claim_reach(user)
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
    reach = claim_reach(user)
    if not reach:
        return GovernanceItem.objects.none()
    return listed_items(
        GovernanceItem.objects.filter(scope_q(reach, "scope"), status=S.OPEN).order_by(
            F("due_on").asc(nulls_last=True), "-created_at"
        )
    )


def my_claims(user: Any) -> QuerySet[Claim]:
    """Claims held by the user's person or by an organisation they are a current member of."""
    person = person_of(user)
    orgs = member_organization_ids(user)
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


def my_active_claims(user: Any) -> QuerySet[Claim]:
    return my_claims(user).filter(status=ClaimStatus.ACTIVE)


def my_lapsing_claims(user: Any, *, at: dt.datetime | None = None) -> QuerySet[Claim]:
    """The user's active claims (their own or their organisation's) that lapse within LAPSE_WARNING
    unless progress is reported, the soonest first."""
    at = at or timezone.now()
    return (
        my_active_claims(user)
        .filter(item__status=S.CLAIMED, lapses_at__gt=at, lapses_at__lte=at + LAPSE_WARNING)
        .order_by("lapses_at", "pk")
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
            for counted in part.order_by().annotate(**_counts(today)):
                row: dict[str, Any] = dict(counted)
                total = rows.setdefault(row["key"], dict.fromkeys(_counts(today), 0))
                for name in total:
                    total[name] += row[name]
        names = dict(Area.objects.filter(pk__in=rows).values_list("pk", "name"))
        result = [Figures(label=names.get(k, "?"), key=k, **v) for k, v in rows.items()]
    elif by in ("grid", "estate", "list"):
        field = {"grid": "area_id", "estate": "estate_id", "list": "governance_list_id"}[by]
        base = items.filter(area__kind=AreaKind.GRID) if by == "grid" else items.exclude(**{field: None})
        grouped: list[dict[str, Any]] = [
            dict(row) for row in base.values(key=F(field)).order_by().annotate(**_counts(today))
        ]
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


def items_by_ids(ids: list[int]) -> QuerySet[GovernanceItem]:
    return GovernanceItem.objects.filter(pk__in=ids)


def with_holders(items: Iterable[GovernanceItem], today: dt.date | None = None) -> list[GovernanceItem]:
    """``items`` (a page or a list's items) as the tables show them: each with ``holder`` (its
    active claim, one query for them all) and ``overdue``."""
    rows = list(items)
    holders = active_claims_of(items_by_ids([item.pk for item in rows]))
    today = today or timezone.localdate()
    for item in rows:
        setattr(item, "holder", holders.get(item.pk))  # noqa: B010  (shown by the templates)
        setattr(item, "overdue", is_overdue(item, today))  # noqa: B010
    return rows


def is_overdue(item: GovernanceItem, today: dt.date | None = None) -> bool:
    return overdue(item.due_on, item.status, today or timezone.localdate())


def overdue(due_on: dt.date | None, status: str, today: dt.date) -> bool:
    """An item due before ``today`` that is still open, claimed or awaiting verification."""
    return due_on is not None and due_on < today and status in (S.OPEN, S.CLAIMED, S.SUBMITTED)


# The columns of an item's list row (api.serializers.item_rows), read as values: the place's label
# from the names of its parts, without loading a building's estate or a unit's building per row.
ITEM_COLUMNS = (
    "id",
    "reference",
    "kind",
    "title",
    "description",
    "source",
    "appeal_id",
    "governance_list_id",
    "governance_list__title",
    "area_id",
    "area__name",
    "area__kind",
    "estate_id",
    "estate__name",
    "building_id",
    "building__number",
    "building__estate__name",
    "unit_id",
    "unit__number",
    "unit__building__number",
    "unit__building__estate__name",
    "priority",
    "due_on",
    "points",
    "status",
    "version",
    "created_at",
    "verified_at",
)


def item_rows_of(ids: list[int]) -> list[dict[str, Any]]:
    """The list rows of the items ``ids``, in that order. A page is chosen first on the items table
    alone; the places and lists are joined for the page's rows only."""
    rows = {row["id"]: row for row in GovernanceItem.objects.filter(pk__in=ids).values(*ITEM_COLUMNS)}
    return [rows[pk] for pk in ids if pk in rows]


def place_label_of(row: dict[str, Any]) -> str:
    """``PlacedModel.place_label`` of an item row read as values (ITEM_COLUMNS)."""
    if row["unit_id"] is not None:
        return f"{row['unit__building__estate__name']} {row['unit__building__number']} {row['unit__number']}"
    if row["building_id"] is not None:
        return f"{row['building__estate__name']} {row['building__number']}"
    if row["estate_id"] is not None:
        if row["area__kind"] == AreaKind.GRID:
            return f"{row['area__name']} · {row['estate__name']}"
        return str(row["estate__name"])
    return str(row["area__name"])


def active_claims_of(items: QuerySet[GovernanceItem]) -> dict[int, Claim]:
    """The active claim of each item (one query for a page of items)."""
    claims = Claim.objects.filter(item__in=items, status=ClaimStatus.ACTIVE).select_related("person", "organization")
    return {claim.item_id: claim for claim in claims}


def active_claim(item: GovernanceItem) -> Claim | None:
    """The item's active claim (at most one: a partial unique constraint), cached on the item."""
    if not hasattr(item, "_active_claim"):
        item._active_claim = (  # type: ignore[attr-defined]  # a per-instance cache
            item.claims.filter(status=ClaimStatus.ACTIVE).select_related("person", "organization").first()
            if item.pk
            else None
        )
    claim: Claim | None = item._active_claim  # type: ignore[attr-defined]  # the cache above
    return claim


def past_claims(item: GovernanceItem) -> QuerySet[Claim]:
    return item.claims.exclude(status=ClaimStatus.ACTIVE).select_related("person", "organization")


def item_photos(item: GovernanceItem) -> QuerySet[ItemPhoto]:
    """The photos of the item's progress notes (served one by one)."""
    return ItemPhoto.objects.filter(update__item=item)


def staff_item(user: Any, pk: int) -> GovernanceItem:
    """An item of the staff member's areas (governance.view); OutOfScope otherwise."""
    item = listed_items(visible_items(user).filter(pk=pk)).first()
    if item is None:
        raise OutOfScope()
    return item


# --- filters: the console list, its export and the API answer from these ------------------------------


def place_choices(user: Any) -> list[tuple[str, str]]:
    """Filter choices: the user's communities and grids, then estates."""
    paths = scope_paths(user, "governance.view")
    areas = visible(Area.objects.filter(kind__in=(AreaKind.COMMUNITY, AreaKind.GRID)), user, "governance.view")
    choices = [(f"area:{a.pk}", a.name) for a in areas.order_by("path")[:200]]
    if paths:
        estates = visible(Estate.objects.all(), user, "governance.view").order_by("name")[:200]
        choices += [(f"estate:{e.pk}", e.name) for e in estates]
    return choices


def readable_items(user: Any) -> QuerySet[GovernanceItem]:
    """What the API lists: staff (governance.view) the items of their areas; residents the items of
    their community, without other people's wishes still under review."""
    if scope_paths(user, "governance.view"):
        return visible_items(user)
    return GovernanceItem.objects.filter(portal_reach_q(user)).filter(~Q(status=S.PROPOSED) | Q(created_by=user))


def filter_items(
    items: QuerySet[GovernanceItem],
    *,
    q: str = "",
    status: str = "",
    kind: str = "",
    source: str = "",
    governance_list: int | None = None,
    place: str = "",
    overdue: bool = False,
) -> QuerySet[GovernanceItem]:
    """``items`` narrowed by the filters of the console list and the API (empty ones ignored):
    words in the reference, title or description; status, kind, source; a governance list; a place
    (``area:<id>`` with everything under it, or ``estate:<id>``); only overdue items."""
    if q and q.strip():
        words = q.strip()
        items = items.filter(
            Q(reference__icontains=words) | Q(title__icontains=words) | Q(description__icontains=words)
        )
    for name, value in (("status", status), ("kind", kind), ("source", source)):
        if value:
            items = items.filter(**{name: value})
    if governance_list:
        items = items.filter(governance_list_id=governance_list)
    if place:
        prefix, _sep, pk = place.partition(":")
        if prefix == "area":
            area = Area.objects.get(pk=pk)
            items = items.filter(Q(scope=area.path) | Q(scope__startswith=area.path + "."))
        elif prefix == "estate":
            items = items.filter(estate_id=pk)
    if overdue:
        items = items.filter(overdue_q())
    return items


# --- lists, lookups for the forms and the API -----------------------------------------------------


def manageable_lists(user: Any) -> QuerySet[GovernanceList]:
    return visible(GovernanceList.objects.select_related("community"), user, "governance.manage")


def manageable_list(user: Any, pk: int) -> GovernanceList | None:
    """List ``pk`` if ``user`` manages it, None otherwise."""
    return manageable_lists(user).filter(pk=pk).first()


def lists_with_figures(user: Any) -> list[GovernanceList]:
    """The user's lists, each with its completion ``figures``."""
    lists = list(visible_lists(user))
    figures = {row.key: row for row in figures_by(visible_items(user), "list")}
    for batch in lists:
        setattr(batch, "figures", figures.get(batch.pk) or Figures(label=batch.title))  # noqa: B010
    return lists


def visible_list(user: Any, pk: int) -> GovernanceList | None:
    return visible_lists(user).filter(pk=pk).first()


def list_items(user: Any, batch: GovernanceList) -> QuerySet[GovernanceItem]:
    """The items of one list among those ``user`` sees, as its page shows them."""
    return listed_items(visible_items(user).filter(governance_list=batch)).order_by("status", "due_on", "pk")


def appeal_by_reference(user: Any, reference: str) -> Any:
    """The appeal ``user`` may see with this reference; None when none is given; ValidationError
    (on ``appeal_reference``) when it names none of theirs."""
    reference = (reference or "").strip()
    if not reference:
        return None
    appeal = visible_appeals(user).filter(reference=reference).first()
    if appeal is None:
        raise ValidationError({"appeal_reference": [_("No appeal with this reference in your areas.")]})
    return appeal


def visible_appeal(user: Any, pk: int) -> Any:
    """Appeal ``pk`` if ``user`` may see it, None otherwise."""
    return visible_appeals(user).filter(pk=pk).first()


def may_see_appeal(user: Any, pk: int) -> bool:
    return visible_appeals(user).filter(pk=pk).exists()


def may_see_meeting(user: Any, pk: int) -> bool:
    """Whether ``user`` may see meeting ``pk``. Governance does not import meetings (meetings files
    items into governance): the model is the one the item's ``meeting`` field points to."""
    meeting_model = GovernanceItem._meta.get_field("meeting").related_model
    assert meeting_model is not None and not isinstance(meeting_model, str)
    return visible(meeting_model._default_manager.filter(pk=pk), user, "meetings.view").exists()


PLACE_MODELS: dict[str, type[Area] | type[Estate] | type[Building] | type[Unit]] = {
    "area": Area,
    "estate": Estate,
    "building": Building,
    "unit": Unit,
}


def place_by_id(kind: str, pk: int) -> Any:
    """The area, estate, building or unit ``pk``, or None."""
    return PLACE_MODELS[kind].objects.filter(pk=pk).first()


def organization_by_id(pk: Any) -> Organization | None:
    return Organization.objects.filter(pk=pk).first()


def person_by_id(pk: Any) -> Person | None:
    return Person.objects.filter(pk=pk).first()


def community_organizations(community: Area) -> QuerySet[Organization]:
    """The organisations of the community (staff may record a claim for any of them)."""
    return Organization.objects.filter(Q(scope=community.path) | Q(scope__startswith=community.path + ".")).order_by(
        "kind", "name"
    )


def organizations_of(user: Any) -> QuerySet[Organization]:
    """The organisations ``user`` is a current member of."""
    return Organization.objects.filter(pk__in=member_organization_ids(user)).order_by("name")


def eligible_people(community: Area) -> list[Person]:
    """Residents of the community who may hold a claim (party members, volunteers, building leaders)."""
    people = Person.objects.filter(Q(scope=community.path) | Q(scope__startswith=community.path + ".")).select_related(
        "user"
    )
    candidates = people.filter(
        Q(party_membership__isnull=False)
        | Q(memberships__organization__kind="volunteer_team", memberships__to_on__isnull=True)
        | Q(user__role_grants__role__in=CLAIMING_ROLES)
    ).distinct()
    return list(candidates.order_by("name_pinyin")[:500])


# --- the timeline ---------------------------------------------------------------------------------


def timeline_of(item: GovernanceItem, viewer: Any, *, staff: bool) -> list[dict[str, Any]]:
    """The item's updates as the timeline shows them, with their photos. Residents see the holder's
    name masked and staff as "Community"."""
    rows = []
    for update in item.updates.select_related(
        "actor", "claim", "claim__person", "claim__organization"
    ).prefetch_related("photos"):
        claim = update.claim
        who: Any
        if update.actor is None:
            who = _("System")
        elif staff:
            who = update.actor.label
        elif update.actor_id == viewer.pk:
            who = _("You")
        elif claim is not None and update.kind in (UpdateKind.PROGRESS, UpdateKind.SUBMITTED, UpdateKind.CLAIMED):
            who = claim.public_holder_label
        else:
            who = _("Community")
        text = update.text
        if update.kind in (UpdateKind.CLAIMED, UpdateKind.LAPSED) and claim is not None and not staff:
            text = claim.public_holder_label
        rows.append(
            {
                "at": update.at,
                "actor": who,
                "kind": update.kind,
                "label": UpdateKind(update.kind).label,
                "text": text,
                "points": update.points,
                "photos": list(update.photos.all()),
            }
        )
    return rows

"""Every read of the lists: needs and resources as a user may see them, a member unit's own
resources and the matches asked of it, the serviceable list, the suggestions for a need (one query
with LIMIT, ``matching``) and the figures the dashboards read (``done_needs_count``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shuren.core.scoping import path_covers, scope_q, visible
from shuren.orgs.models import Membership, MembershipRole, Organization
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind

from .models import (
    LIVE_MATCH_STATUSES,
    Match,
    MatchStatus,
    Need,
    NeedEvent,
    NeedStatus,
    Resource,
)


def person_of(user: Any) -> Person | None:
    """The resident record the user signs in as, or None (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_shuren_person"):
        user._shuren_person = Person.objects.filter(user=user).first()
    person: Person | None = user._shuren_person
    return person


# Who speaks for an organisation on the resource list: its contact people and officers, not every
# member (a member unit's staff keep its entries; its other members do not).
PROVIDER_ROLES = (
    MembershipRole.SECRETARY,
    MembershipRole.DEPUTY_SECRETARY,
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.CAPTAIN,
    MembershipRole.CONTACT,
)

NEED_RELATED = ("area", "estate", "building__estate", "dwelling__unit__building__estate")
RESOURCE_RELATED = ("area", "organization", "person")


# --- who provides ----------------------------------------------------------------------------------


def provider_organization_ids(user: Any) -> list[int]:
    """The organisations ``user`` keeps resources for: current memberships as a contact or officer.
    Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[int] | None = getattr(user, "_shuren_provider_orgs", None)
    if cached is None:
        person = person_of(user)
        cached = []
        if person is not None:
            today = timezone.localdate()
            cached = list(
                Membership.objects.filter(person=person, role__in=PROVIDER_ROLES)
                .filter(Q(from_on__isnull=True) | Q(from_on__lte=today))
                .filter(Q(to_on__isnull=True) | Q(to_on__gte=today))
                .values_list("organization_id", flat=True)
            )
        user._shuren_provider_orgs = cached
    return cached


def _provided_by_q(user: Any, prefix: str = "") -> Q:
    orgs = provider_organization_ids(user)
    person = person_of(user)
    query = Q(pk__in=[])
    if orgs:
        query |= Q(**{f"{prefix}organization_id__in": orgs})
    if person is not None:
        query |= Q(**{f"{prefix}person": person})
    return query


def is_provider(user: Any, resource: Resource) -> bool:
    """Whether ``user`` speaks for the resource's provider (its organisation, or the resident)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if resource.organization_id is not None:
        return resource.organization_id in provider_organization_ids(user)
    person = person_of(user)
    return person is not None and resource.person_id == person.pk


def is_any_provider(user: Any) -> bool:
    return bool(provider_organization_ids(user)) or (
        person_of(user) is not None and Resource.objects.filter(person=person_of(user)).exists()
    )


# --- needs ---------------------------------------------------------------------------------------


def visible_needs(user: Any) -> QuerySet[Need]:
    return visible(Need.objects.all(), user, "lists.view")


def staff_need(user: Any, pk: int) -> Need:
    need = visible_needs(user).select_related(*NEED_RELATED, "person").filter(pk=pk).first()
    if need is None:
        raise Http404
    return need


def filter_needs(
    needs: QuerySet[Need],
    *,
    status: str = "",
    category: str = "",
    urgency: str = "",
    source: str = "",
    area: Area | None = None,
    q: str = "",
    **_ignored: Any,
) -> QuerySet[Need]:
    """The one filter of the needs list: the console page and the API alike."""
    if status == "live":
        needs = needs.filter(status__in=(NeedStatus.OPEN, NeedStatus.MATCHED, NeedStatus.IN_PROGRESS))
    elif status:
        needs = needs.filter(status=status)
    if category:
        needs = needs.filter(category=category)
    if urgency:
        needs = needs.filter(urgency=urgency)
    if source:
        needs = needs.filter(source=source)
    if area is not None:
        needs = needs.filter(scope_q([area.path], "scope"))
    if q:
        needs = needs.filter(Q(title__icontains=q) | Q(concerned_text__icontains=q))
    return needs


def listed_needs(needs: QuerySet[Need]) -> QuerySet[Need]:
    return needs.select_related(*NEED_RELATED)


def need_events(need: Need) -> QuerySet[NeedEvent]:
    return need.events.select_related("actor").order_by("at", "pk")


def matches_of(need: Need) -> QuerySet[Match]:
    return need.matches.select_related("resource", "resource__organization", "resource__person").order_by(
        "-created_at", "-pk"
    )


def need_from_source(source_type: str, source_id: int) -> Need | None:
    """The live need already recorded from that object, if any (one-click creation keeps one)."""
    return (
        Need.objects.filter(source_type=source_type, source_id=source_id)
        .exclude(status=NeedStatus.CLOSED)
        .order_by("pk")
        .first()
    )


def my_requests(user: Any) -> QuerySet[Need]:
    """The needs a resident asked for from the serviceable list (their own, wherever they are)."""
    if not getattr(user, "is_authenticated", False):
        return Need.objects.none()
    return (
        Need.objects.filter(requested_by=user)
        .select_related("area")
        .prefetch_related("matches__resource__organization")
        .order_by("-created_at", "-pk")
    )


def my_request(user: Any, pk: int) -> Need:
    need = my_requests(user).filter(pk=pk).first()
    if need is None:
        raise Http404
    return need


def done_needs_count(area: Area, since: dt.datetime | None = None) -> int:
    """民生实事: needs of ``area`` (and everything beneath it) done since ``since`` (ever, without)."""
    needs = Need.objects.filter(scope_q([area.path], "scope"), status=NeedStatus.DONE)
    if since is not None:
        needs = needs.filter(done_at__gte=since)
    return needs.count()


def need_figures(needs: QuerySet[Need]) -> dict[str, int]:
    """How many needs of each status the list holds, in one query."""
    counts = {row["status"]: row["n"] for row in needs.order_by().values("status").annotate(n=Count("pk"))}
    return {status: counts.get(status, 0) for status in NeedStatus.values}


# --- resources -----------------------------------------------------------------------------------


def visible_resources(user: Any) -> QuerySet[Resource]:
    return visible(Resource.objects.all(), user, "lists.view")


def staff_resource(user: Any, pk: int) -> Resource:
    resource = visible_resources(user).select_related(*RESOURCE_RELATED).filter(pk=pk).first()
    if resource is None:
        raise Http404
    return resource


def filter_resources(
    resources: QuerySet[Resource],
    *,
    kind: str = "",
    category: str = "",
    active: str = "",
    q: str = "",
    **_ignored: Any,
) -> QuerySet[Resource]:
    if kind:
        resources = resources.filter(kind=kind)
    if category:
        resources = resources.filter(category=category)
    if active == "yes":
        resources = resources.filter(is_active=True)
    elif active == "no":
        resources = resources.filter(is_active=False)
    if q:
        resources = resources.filter(Q(title__icontains=q) | Q(organization__name__icontains=q))
    return resources


def listed_resources(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.select_related(*RESOURCE_RELATED)


def own_resources(user: Any) -> QuerySet[Resource]:
    """The resources ``user`` keeps for their organisations (or offers themselves); nobody else's."""
    if not getattr(user, "is_authenticated", False):
        return Resource.objects.none()
    return Resource.objects.filter(_provided_by_q(user)).select_related(*RESOURCE_RELATED)


def own_resource(user: Any, pk: int) -> Resource:
    resource = own_resources(user).filter(pk=pk).first()
    if resource is None:
        raise Http404
    return resource


def matches_to_me(user: Any) -> QuerySet[Match]:
    """The matches asked of the resources ``user`` speaks for."""
    if not getattr(user, "is_authenticated", False):
        return Match.objects.none()
    return (
        Match.objects.filter(_provided_by_q(user, "resource__"))
        .select_related("need", "need__area", "resource", "resource__organization")
        .order_by("-created_at", "-pk")
    )


def waiting_matches_count(user: Any) -> int:
    return matches_to_me(user).filter(status=MatchStatus.PROPOSED).count()


def provider_match(user: Any, pk: int) -> Match:
    match = matches_to_me(user).filter(pk=pk).first()
    if match is None:
        raise Http404
    return match


def staff_match(user: Any, need: Need, pk: int) -> Match:
    match = need.matches.select_related("resource", "resource__organization", "need").filter(pk=pk).first()
    if match is None:
        raise Http404
    return match


def organization_choices(user: Any) -> QuerySet[Organization]:
    """Organisations staff may name as a resource's provider: those of their areas."""
    return visible(Organization.objects.all(), user, "lists.manage").order_by("scope", "name")


def provider_organizations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=provider_organization_ids(user)).order_by("name")


def place_choices(user: Any, action: str = "lists.manage") -> QuerySet[Area]:
    """Communities and grids where ``user`` may record needs or resources."""
    return visible(Area.objects.filter(kind__in=[AreaKind.COMMUNITY, AreaKind.GRID]), user, action).order_by("path")


def people_choices(user: Any) -> QuerySet[Person]:
    return visible(Person.objects.all(), user, "lists.manage").order_by("name")


def may_see_source(user: Any, source_type: str, source_id: int) -> bool:
    """Whether the object a need comes from is one ``user`` may read (appeals: appeals.view)."""
    from django.apps import apps

    from shuren.core.scoping import can

    try:
        model = apps.get_model(source_type)
    except (LookupError, ValueError):
        return False
    obj = model._default_manager.filter(pk=source_id).first()
    if obj is None:
        return False
    action = {"appeals.appeal": "appeals.view"}.get(source_type, "lists.manage")
    return can(user, action, obj)


# --- the serviceable list ------------------------------------------------------------------------


def public_community(pk: int) -> Area:
    community = Area.objects.filter(pk=pk, kind=AreaKind.COMMUNITY).first()
    if community is None:
        raise Http404
    return community


def serviceable_resources(community: Area, *, today: dt.date | None = None) -> QuerySet[Resource]:
    """The community's public, active resources with something left, valid today: its serviceable
    list (可服务清单)."""
    today = today or timezone.localdate()
    return (
        Resource.objects.filter(scope_q([community.path], "scope"), is_public=True, is_active=True, remaining__gt=0)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("organization", "person", "area")
        .order_by("category", "title", "pk")
    )


def requestable_resource(user: Any, pk: int) -> Resource:
    """A resource of the serviceable list of the requester's own community; 404 otherwise."""
    person = person_of(user)
    if person is None:
        raise Http404
    resource = serviceable_resources(person.community).filter(pk=pk).first()
    if resource is None:
        raise Http404
    return resource


def home_area(person: Person) -> Area:
    """Where a resident's request is placed: their home's grid when the registry knows it."""
    if person.scope and person.scope != person.community.path:
        grid = Area.objects.filter(path=person.scope).first()
        if grid is not None:
            return grid
    community: Area = person.community
    return community


def live_matches(need: Need) -> QuerySet[Match]:
    return need.matches.filter(status__in=LIVE_MATCH_STATUSES)


def community_path_of(need: Need) -> str:
    """The path of the need's community (a grid's parent: its path without the last code)."""
    area = need.area
    if area.kind == AreaKind.GRID:
        return str(area.path).rsplit(".", 1)[0]
    return str(area.path)


def within(prefix: str, path: str) -> bool:
    return path_covers(prefix, path)


def provider_places(user: Any) -> QuerySet[Area]:
    """Communities and grids where a contact may offer their organisations' resources: those of
    the organisations' own areas."""
    paths = list(provider_organizations(user).values_list("scope", flat=True))
    if not paths:
        return Area.objects.none()
    return Area.objects.filter(scope_q(paths, "path"), kind__in=[AreaKind.COMMUNITY, AreaKind.GRID]).order_by("path")

"""Every read of the notices: who may write where (building leaders: their own buildings only),
the notices a user may open, the residents' current notices, the households not yet reached, the
figures, the groups' robots and the public notices of a community."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shuren.accounts.models import RoleGrant
from shuren.accounts.roles import Role, actions_for
from shuren.core.errors import OutOfScope
from shuren.core.scoping import GLOBAL, path_covers, scope_q
from shuren.orgs.models import Organization, PostAssignment, PostKind
from shuren.people.models import Person, PersonTag
from shuren.places.models import Area, AreaKind, Building

from .models import GroupWebhook, Notice, NoticeHousehold, NoticePhoto, NoticeReader, NoticeStatus

VIEW = "notices.view"
WRITE = "notices.write"
TELL = "notices.tell"
GROUPS = "notices.manage_groups"
# Roles a notice may be narrowed to (those residents hold: their account's role).
TARGET_ROLES = (Role.RESIDENT, Role.VOLUNTEER, Role.BUILDING_LEADER)


# --- reach: areas, and a building leader's own buildings ------------------------------------------


@dataclass(frozen=True)
class Reach:
    """Where a user may perform an action on notices: whole areas (staff and grid workers), and the
    buildings they lead (a building leader acts for their own buildings only)."""

    paths: tuple[str, ...]
    buildings: frozenset[int]

    @property
    def empty(self) -> bool:
        return not self.paths and not self.buildings

    def q(self, *, scope: str = "scope", building: str = "building") -> Q:
        query = scope_q(list(self.paths), scope) if self.paths else Q(pk__in=[])
        if self.buildings:
            query |= Q(**{f"{building}__in": sorted(self.buildings)})
        return query

    def covers(self, scope: str, building_id: int | None) -> bool:
        if any(path_covers(p, scope) for p in self.paths):
            return True
        return building_id is not None and building_id in self.buildings


def led_buildings(user: Any) -> QuerySet[Building]:
    """The buildings ``user`` leads today (their person's current building-leader posts)."""
    if not getattr(user, "is_authenticated", False):
        return Building.objects.none()
    posts = PostAssignment.objects.current().filter(person__user=user, kind__code=PostKind.BUILDING_LEADER)
    return Building.objects.filter(pk__in=posts.values("buildings")).select_related("estate", "grid")


def reach(user: Any, action: str) -> Reach:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Reach((), frozenset())
    paths: set[str] = set()
    leader_paths: set[str] = set()
    for grant in RoleGrant.objects.active().filter(user=user).select_related("area"):
        if action not in actions_for(grant.role):
            continue
        path = grant.area.path if grant.area is not None else GLOBAL
        (leader_paths if grant.role == Role.BUILDING_LEADER else paths).add(path)
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path_covers(k, path) for k in kept):
            kept.append(path)
    buildings: frozenset[int] = frozenset()
    if leader_paths:
        led = led_buildings(user).filter(scope_q(sorted(leader_paths), "scope"))
        buildings = frozenset(led.values_list("pk", flat=True))
    return Reach(tuple(kept), buildings)


def may(user: Any, action: str, notice: Notice) -> bool:
    return reach(user, action).covers(notice.scope, notice.building_id)


def require(user: Any, action: str, notice: Notice) -> None:
    """OutOfScope (404) unless ``user`` may perform ``action`` on ``notice``."""
    if not may(user, action, notice):
        raise OutOfScope()


# --- notices -----------------------------------------------------------------------------------------


def _notices() -> QuerySet[Notice]:
    return Notice.objects.select_related("area", "estate", "building__estate", "unit__building__estate", "author")


def staff_notices(user: Any) -> QuerySet[Notice]:
    """The notices ``user`` may open in the console (their areas, or their buildings)."""
    found = reach(user, VIEW)
    if found.empty:
        return Notice.objects.none()
    return _notices().filter(found.q())


def filter_notices(notices: QuerySet[Notice], *, status: str = "", q: str = "") -> QuerySet[Notice]:
    """The one filter of the notices list (console, API, export)."""
    if status:
        notices = notices.filter(status=status)
    if q:
        notices = notices.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return notices.order_by("-created_at", "-pk")


def staff_notice(user: Any, pk: int | str) -> Notice:
    notice = staff_notices(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if notice is None:
        raise OutOfScope()
    return notice


def photos_of(notice: Notice) -> QuerySet[NoticePhoto]:
    return notice.photos.all()


def writable_areas(user: Any) -> QuerySet[Area]:
    found = reach(user, WRITE)
    if not found.paths:
        return Area.objects.none()
    enclosing = [p.rsplit(".", 1)[0] for p in found.paths if p.count(".") >= 3]
    return (
        Area.objects.filter(kind__in=(AreaKind.GRID, AreaKind.COMMUNITY))
        .filter(scope_q(list(found.paths), "path") | Q(path__in=enclosing))
        .order_by("path")
    )


def target_tags() -> QuerySet[PersonTag]:
    return PersonTag.objects.order_by("name")


def target_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations of the areas where ``user`` writes (and, for a building leader, of their grid)."""
    found = reach(user, WRITE)
    paths = list(found.paths) + sorted(
        {p for p in Building.objects.filter(pk__in=found.buildings).values_list("scope", flat=True)}
    )
    if not paths:
        return Organization.objects.none()
    covering = {p.rsplit(".", 1)[0] for p in paths if p.count(".") >= 3}
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=covering)).order_by("name")


# --- residents ---------------------------------------------------------------------------------------


def my_notices(user: Any, *, at: dt.datetime | None = None) -> QuerySet[Notice]:
    """The current notices of a resident's places: published, not ended, meant for them."""
    at = at or timezone.now()
    mine = NoticeReader.objects.filter(user=user).values("notice")
    return (
        _notices()
        .filter(pk__in=mine, status=NoticeStatus.PUBLISHED)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .order_by("-urgency", "-published_at", "-pk")
    )


def my_reads(user: Any, notices: list[Notice]) -> dict[int, NoticeReader]:
    return {r.notice_id: r for r in NoticeReader.objects.filter(user=user, notice__in=notices)}


def my_notice(user: Any, pk: int | str) -> tuple[Notice, NoticeReader]:
    """A notice meant for ``user`` that they may open now (404 otherwise)."""
    reader = (
        NoticeReader.objects.filter(user=user, notice_id=pk, notice__status__in=(NoticeStatus.PUBLISHED,))
        .select_related("notice")
        .first()
        if str(pk).isdigit()
        else None
    )
    if reader is None or not reader.notice.is_current():
        raise OutOfScope()
    return reader.notice, reader


def my_unread_notices(user: Any, *, at: dt.datetime | None = None) -> QuerySet[Notice]:
    """The current notices meant for the user that they have not opened yet, most urgent first."""
    return my_notices(user, at=at).filter(readers__user=user, readers__read_at__isnull=True)


def unread_count(user: Any) -> int:
    return my_unread_notices(user).count()


# --- households and figures ---------------------------------------------------------------------


def households_of(notice: Notice) -> QuerySet[NoticeHousehold]:
    return (
        notice.targets.select_related("dwelling__unit__building__estate", "told_by")
        .prefetch_related("readers__person")
        .order_by("building__estate__name", "building__number", "dwelling__unit__number", "dwelling__room")
    )


def unreached_for(user: Any, buildings: list[Building]) -> list[NoticeHousehold]:
    """Households of ``buildings`` (a building leader's) not yet reached by a current notice."""
    if not buildings:
        return []
    found = reach(user, TELL)
    ids = [b.pk for b in buildings if found.covers(b.scope, b.pk)]
    now = timezone.now()
    return list(
        NoticeHousehold.objects.filter(
            building_id__in=ids,
            read_at__isnull=True,
            told_at__isnull=True,
            notice__status=NoticeStatus.PUBLISHED,
        )
        .filter(Q(notice__ends_at__isnull=True) | Q(notice__ends_at__gt=now))
        .select_related("notice", "dwelling__unit__building__estate")
        .prefetch_related("dwelling__residences__person")
        .order_by("-notice__published_at", "dwelling__unit__number", "dwelling__room")
    )


def tellable_household(user: Any, pk: int | str) -> NoticeHousehold:
    """A household ``user`` may mark as told (in their reach, of a current notice); 404 otherwise."""
    household = (
        NoticeHousehold.objects.select_related("notice", "building").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if household is None or not reach(user, TELL).covers(household.scope, household.building_id):
        raise OutOfScope()
    return household


@dataclass
class Figures:
    """How far a notice (or a place's notices) reached: households targeted, read in the app, told
    at the door, reached (read or told)."""

    label: str
    households: int = 0
    read: int = 0
    told: int = 0
    reached: int = 0
    pk: int | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.reached / self.households) if self.households else 0


def _tallies(via: str = "") -> dict[str, Count]:
    """The counts of ``Figures`` over households, reached through ``via`` ("targets__" from notices)."""
    read, told = Q(**{f"{via}read_at__isnull": False}), Q(**{f"{via}told_at__isnull": False})
    counted = f"{via}pk"
    return {
        "n_households": Count(counted),
        "n_read": Count(counted, filter=read),
        "n_told": Count(counted, filter=told),
        "n_reached": Count(counted, filter=read | told),
    }


def _figures(label: str, tally: Mapping[str, Any], pk: int | None) -> Figures:
    return Figures(label, tally["n_households"], tally["n_read"], tally["n_told"], tally["n_reached"], pk=pk)


def notice_figures(notice: Notice) -> Figures:
    return _figures(notice.title, notice.targets.aggregate(**_tallies()), notice.pk)


def _per_place(rows: QuerySet[NoticeHousehold], place: str) -> list[Figures]:
    """``rows`` counted per ``place`` (a path from a household to a building or a grid), labelled by
    the place above it and its own name or number."""
    above, own = (
        ("building__estate__name", "building__number")
        if place == "building"
        else (f"{place}__parent__name", f"{place}__name")
    )
    grouped = rows.values(place, above, own).annotate(**_tallies()).order_by(above, own)
    return [_figures(f"{r[above]} {r[own]}", r, r[place]) for r in grouped]


def building_figures(notice: Notice) -> list[Figures]:
    """A notice's figures per building."""
    return _per_place(notice.targets.all(), "building")


def figures_by_notice(notices: QuerySet[Notice]) -> list[Figures]:
    """Every published (or ended) notice of ``notices`` with its figures, newest first."""
    rows = (
        notices.exclude(status__in=(NoticeStatus.DRAFT, NoticeStatus.SCHEDULED))
        .values("pk", "title")
        .annotate(**_tallies("targets__"))
        .order_by("-published_at", "-pk")
    )
    return [_figures(r["title"], r, r["pk"]) for r in rows]


def figures_by_place(user: Any, notices: QuerySet[Notice]) -> list[Figures]:
    """The households of ``notices`` per grid: how many of the notices' households were reached."""
    found = reach(user, VIEW)
    rows = NoticeHousehold.objects.filter(notice__in=notices.exclude(status=NoticeStatus.DRAFT)).filter(
        found.q(building="building")
    )
    return _per_place(rows, "building__grid")


# --- group robots -----------------------------------------------------------------------------------


def group_webhooks(user: Any) -> QuerySet[GroupWebhook]:
    found = reach(user, GROUPS)
    if not found.paths:
        return GroupWebhook.objects.none()
    return (
        GroupWebhook.objects.filter(scope_q(list(found.paths), "scope"))
        .select_related("building__estate", "grid__parent")
        .order_by("scope", "pk")
    )


def group_webhook(user: Any, pk: int | str) -> GroupWebhook:
    hook = group_webhooks(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if hook is None:
        raise OutOfScope()
    return hook


def group_buildings(user: Any) -> QuerySet[Building]:
    found = reach(user, GROUPS)
    if not found.paths:
        return Building.objects.none()
    return (
        Building.objects.filter(scope_q(list(found.paths), "scope"))
        .select_related("estate")
        .order_by("estate__name", "number")
    )


def group_grids(user: Any) -> QuerySet[Area]:
    found = reach(user, GROUPS)
    if not found.paths:
        return Area.objects.none()
    return Area.objects.filter(kind=AreaKind.GRID).filter(scope_q(list(found.paths), "path")).select_related("parent")


def webhooks_for(buildings: list[Building]) -> list[GroupWebhook]:
    """The groups a notice to ``buildings`` goes to: each building's own group, and for buildings
    without one, their grid's group (once)."""
    ids = {b.pk for b in buildings}
    own = list(GroupWebhook.objects.filter(active=True, building_id__in=ids))
    covered = {h.building_id for h in own}
    grids = {b.grid_id for b in buildings if b.pk not in covered}
    return own + list(GroupWebhook.objects.filter(active=True, grid_id__in=grids))


# --- the public page ------------------------------------------------------------------------------


def public_community(pk: int | str) -> Area:
    community = Area.objects.filter(pk=pk, kind=AreaKind.COMMUNITY).first() if str(pk).isdigit() else None
    if community is None:
        raise OutOfScope()
    return community


def public_notices(community: Area) -> QuerySet[Notice]:
    """Notices marked public of a community that were published (current or ended, never withdrawn)."""
    return (
        Notice.objects.filter(is_public=True, status__in=(NoticeStatus.PUBLISHED, NoticeStatus.ENDED))
        .filter(scope_q([community.path], "scope"))
        .select_related("area", "estate", "building__estate", "unit__building__estate")
        .order_by("-published_at", "-pk")
    )


def people_names(person_ids: list[int]) -> list[str]:
    return list(Person.objects.filter(pk__in=person_ids).values_list("name", flat=True))

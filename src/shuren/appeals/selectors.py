"""Reads of appeals: who sees which, the one list filter (console, API, export and bench alike), the
working lists (mine, due soon, overdue), the places a user works on or reports from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role, actions_for
from shuren.core.models import WorkdayOverride
from shuren.core.scoping import covering_paths, has_action, path_covers, scope_paths, scope_q, visible
from shuren.core.workdays import WorkingCalendar
from shuren.notifications.models import Channel as MessageChannel
from shuren.notifications.models import Message
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate
from shuren.places.selectors import by_number

from .kpis import AppealKpis, appeal_kpis_by, in_period
from .models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Category,
    Channel,
    DispatchRule,
    Handler,
    IntakePolicy,
    Level,
    Publication,
    Status,
    category_label,
)


def handler_organization_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_shuren_handler_orgs", None)
    if cached is None:
        cached = list(Handler.objects.filter(user=user, is_active=True).values_list("organization_id", flat=True))
        user._shuren_handler_orgs = cached
    return cached


def visibility_q(user: Any) -> Q:
    """Staff see the appeals of their areas; a handler only those dispatched to their organisation
    (within the areas of their handler grant)."""
    query = Q(pk__in=[])
    view_paths = scope_paths(user, "appeals.view")
    if view_paths:
        query |= scope_q(view_paths, "scope")
    handle_paths = scope_paths(user, "appeals.handle")  # the organisations only for those who handle
    orgs = handler_organization_ids(user) if handle_paths else []
    if orgs:
        query |= Q(organization_id__in=orgs) & scope_q(handle_paths, "scope")
    return query


def visible_appeals(user: Any) -> QuerySet[Appeal]:
    """Every appeal ``user`` may open as staff or handler (not as reporter: see ``my_appeals``)."""
    return Appeal.objects.filter(visibility_q(user))


def listed_appeals(queryset: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """The joins a list of appeals needs."""
    return queryset.select_related("category", "area", "estate", "building", "organization")


# The columns of a list row (api.serializers.list_items), read as values: no model instances.
LIST_COLUMNS = (
    "id",
    "reference",
    "status",
    "category__code",
    "category__name",
    "category__name_en",
    "description",
    "channel",
    "level",
    "is_supervised",
    "area_id",
    "area__name",
    "estate_id",
    "estate__name",
    "building_id",
    "building__number",
    "organization_id",
    "organization__name",
    "organization__kind",
    "submitted_at",
    "response_due_at",
    "resolution_due_at",
    "version",
)


# A row of the staff console's list: the API's columns, and what its place and summary need.
CONSOLE_COLUMNS = (*LIST_COLUMNS, "dwelling_id", "address", "contact_shared")


def list_rows_of(ids: list[int], columns: tuple[str, ...] = LIST_COLUMNS) -> list[dict[str, Any]]:
    """The list rows of the appeals ``ids``, in that order, read as values (``columns``: the API's,
    or the console's ``CONSOLE_COLUMNS``). A page is chosen first on the appeals table alone (its
    sort and LIMIT need no join); the joins run for the page's rows only."""
    rows = {row["id"]: row for row in Appeal.objects.filter(pk__in=ids).values(*columns)}
    return [rows[pk] for pk in ids if pk in rows]


def my_appeals(user: Any) -> QuerySet[Appeal]:
    """Appeals the user reported, or recorded for someone else."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return Appeal.objects.filter(Q(reporter=user) | Q(recorded_by=user))


def my_appeal_list_rows(user: Any) -> QuerySet[Appeal]:
    """The portal's list of my appeals: the latest change first."""
    return my_appeals(user).select_related("category", "estate", "building").order_by("-updated_at", "-pk")


def my_appeal_details(user: Any) -> QuerySet[Appeal]:
    """My appeals with what their page shows (look one up with ``.get(pk=...)``)."""
    return my_appeals(user).select_related(
        "category", "estate", "building__estate", "dwelling__unit__building__estate", "duplicate_of"
    )


def mine_among(user: Any, appeal_ids: list[int]) -> set[int]:
    """Those of ``appeal_ids`` that the user reported or recorded."""
    return set(my_appeals(user).filter(pk__in=appeal_ids).values_list("pk", flat=True))


def public_events(appeal: Appeal) -> QuerySet[AppealEvent]:
    """The appeal's timeline as its reporter sees it: public events, oldest first."""
    return AppealEvent.objects.filter(appeal=appeal, is_public=True).select_related("organization").order_by("at", "pk")


def openable_appeal(user: Any, pk: int) -> Appeal:
    """The appeal ``pk`` if ``user`` may open it (staff, handler or reporter); OutOfScope otherwise."""
    from shuren.core.errors import OutOfScope

    appeal = (
        Appeal.objects.filter(pk=pk)
        .filter(
            visibility_q(user) | Q(reporter_id=getattr(user, "pk", None)) | Q(recorded_by_id=getattr(user, "pk", None))
        )
        .select_related(
            "category", "area", "area__parent", "estate", "building", "dwelling", "organization", "duplicate_of"
        )
        .first()
    )
    if appeal is None:
        raise OutOfScope()
    return appeal


def due_soon_limit(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return WorkingCalendar().add_working_hours(now, float(settings.SHUREN_APPEAL_DUE_SOON_HOURS))


def overdue_q(now: dt.datetime) -> Q:
    """Open appeals past their resolution deadline, or dispatched and not taken up in time.
    (Written as ``status IN (open) AND (...)`` so that PostgreSQL uses the open-appeals indexes.)"""
    return Q(status__in=OPEN_STATUSES) & (
        Q(resolution_due_at__lt=now) | Q(status=Status.DISPATCHED, response_due_at__lt=now)
    )


def due_soon_q(now: dt.datetime, limit: dt.datetime) -> Q:
    """Open appeals whose next deadline falls between now and ``limit`` (not yet overdue)."""
    return (
        Q(status__in=OPEN_STATUSES)
        & (
            Q(resolution_due_at__gte=now, resolution_due_at__lte=limit)
            | Q(status=Status.DISPATCHED, response_due_at__gte=now, response_due_at__lte=limit)
        )
        & ~overdue_q(now)
    )


def overdue_appeals(queryset: QuerySet[Appeal], now: dt.datetime | None = None) -> QuerySet[Appeal]:
    return queryset.filter(overdue_q(now or timezone.now()))


def due_soon_appeals(queryset: QuerySet[Appeal], now: dt.datetime | None = None) -> QuerySet[Appeal]:
    now = now or timezone.now()
    return queryset.filter(due_soon_q(now, due_soon_limit(now)))


def open_appeals_for_handler(user: Any) -> QuerySet[Appeal]:
    """What a handler's organisation must act on now."""
    orgs = handler_organization_ids(user)
    return visible_appeals(user).filter(organization_id__in=orgs, status__in=(Status.DISPATCHED, Status.IN_PROGRESS))


def open_appeals_in_scope(user: Any) -> QuerySet[Appeal]:
    """A grid worker's or community's open appeals (the list benchmarked at scale)."""
    return visible_appeals(user).filter(status__in=OPEN_STATUSES)


def was_notified(appeal: Appeal, key: str) -> bool:
    """Whether the outbox already holds the appeal's message for the event ``key``."""
    return Message.objects.filter(event_key=f"appeal:{appeal.pk}:{key}").exists()


def publication_queue(user: Any) -> QuerySet[Appeal]:
    """Resolved appeals awaiting the publication review in the places where ``user`` dispatches."""
    from shuren.core.scoping import visible

    from .models import Publication

    return visible(Appeal.objects.filter(publication=Publication.PENDING), user, "appeals.dispatch")


# --- the list filter -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealFilter:
    """The terms of an appeal list, however they were asked for. The console's form fields and the
    API's query parameters map to these terms (``from_console``, ``from_api``), and one function,
    ``filter_appeals``, applies them: the console, the API and the export answer alike.

    ``category`` is a category's primary key (console) or code (API); it covers the category's
    descendants to any depth. ``submitted_from`` is inclusive, ``submitted_before`` exclusive
    (local dates). ``tab`` is a working list of the console (``CONSOLE_TABS``)."""

    q: str = ""
    category: int | str | None = None
    status: str = ""  # a status, "open" or "finished"
    estate: int | None = None
    building: int | None = None
    organization: int | None = None
    level: str = ""
    supervised: bool | None = None
    due: str = ""  # "soon" or "overdue"
    submitted_from: dt.date | None = None
    submitted_before: dt.date | None = None
    tab: str = ""

    @classmethod
    def from_console(cls, data: Mapping[str, Any], *, tab: str = "") -> AppealFilter:
        """The terms of the console's filter form (its cleaned data: ``start`` and ``end`` inclusive)."""
        end = data.get("end")
        return cls(
            q=(data.get("q") or "").strip(),
            category=data.get("category") or None,
            status=data.get("status") or "",
            estate=data.get("estate") or None,
            building=data.get("building") or None,
            organization=data.get("organization") or None,
            submitted_from=data.get("start"),
            submitted_before=end + dt.timedelta(days=1) if end else None,
            tab=tab,
        )

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> AppealFilter:
        """The terms of the API's query parameters (validated; ``mine`` chooses the appeals filtered)."""
        return cls(
            q=(data.get("q") or "").strip(),
            category=data.get("category") or None,
            status=data.get("status") or "",
            estate=data.get("estate"),
            building=data.get("building"),
            organization=data.get("organization"),
            level=data.get("level") or "",
            supervised=data.get("supervised"),
            due=data.get("due") or "",
            submitted_from=data.get("submitted_after"),
            submitted_before=data.get("submitted_before"),
        )


# The console's working lists; the tab itself is chosen by the page (``console_tab``).
CONSOLE_TABS = (
    "open",
    "submitted",
    "accepted",
    "ours",
    "due_soon",
    "overdue",
    "supervised",
    "escalated",
    "finished",
    "all",
)
DESK_TABS = frozenset({"submitted", "accepted", "escalated"})


def category_family(category: int | str) -> list[int]:
    """The category (by primary key or code) and its descendants to any depth; [] if unknown."""
    children: dict[int | None, list[int]] = defaultdict(list)
    found: int | None = None
    for pk, parent_id, code in Category.objects.values_list("pk", "parent_id", "code"):
        children[parent_id].append(pk)
        if (pk if isinstance(category, int) else code) == category:
            found = pk
    if found is None:
        return []
    family, frontier = [found], [found]
    seen = {found}
    while frontier:
        frontier = [child for pk in frontier for child in children[pk] if child not in seen]
        seen.update(frontier)
        family += frontier
    return family


def filter_appeals(appeals: QuerySet[Appeal], *, user: Any, filters: AppealFilter) -> QuerySet[Appeal]:
    """``appeals`` (what ``user`` may see: ``visible_appeals`` or ``my_appeals``) narrowed by the
    terms, in the list's order: newest first; by deadline for the due-soon and overdue tabs."""
    if filters.q:
        appeals = appeals.filter(Q(description__icontains=filters.q) | Q(reference=filters.q))
    if filters.category is not None:
        appeals = appeals.filter(category_id__in=category_family(filters.category))
    if filters.status == "open":
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    elif filters.status == "finished":
        appeals = appeals.filter(status__in=FINISHED_STATUSES)
    elif filters.status:
        appeals = appeals.filter(status=filters.status)
    if filters.estate:
        appeals = appeals.filter(estate_id=filters.estate)
    if filters.building:
        appeals = appeals.filter(building_id=filters.building)
    if filters.organization:
        appeals = appeals.filter(organization_id=filters.organization)
    if filters.level:
        appeals = appeals.filter(level=filters.level)
    if filters.supervised is not None:
        appeals = appeals.filter(is_supervised=filters.supervised)
    now = timezone.now()
    if filters.due == "overdue":
        appeals = appeals.filter(overdue_q(now))
    elif filters.due == "soon":
        appeals = appeals.filter(due_soon_q(now, due_soon_limit(now)))
    tz = timezone.get_current_timezone()
    if filters.submitted_from:
        appeals = appeals.filter(submitted_at__gte=dt.datetime.combine(filters.submitted_from, dt.time.min, tz))
    if filters.submitted_before:
        appeals = appeals.filter(submitted_at__lt=dt.datetime.combine(filters.submitted_before, dt.time.min, tz))
    return _in_tab(appeals, filters.tab, user, now)


def _in_tab(appeals: QuerySet[Appeal], tab: str, user: Any, now: dt.datetime) -> QuerySet[Appeal]:
    if tab == "open":
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    elif tab in ("submitted", "accepted"):
        appeals = appeals.filter(status=tab)
    elif tab == "ours":
        orgs = handler_organization_ids(user)
        appeals = appeals.filter(organization_id__in=orgs, status__in=(Status.DISPATCHED, Status.IN_PROGRESS))
    elif tab == "due_soon":
        return due_soon_appeals(appeals, now).order_by("resolution_due_at", "pk")
    elif tab == "overdue":
        return overdue_appeals(appeals, now).order_by("resolution_due_at", "pk")
    elif tab == "supervised":
        appeals = appeals.filter(is_supervised=True, status__in=OPEN_STATUSES)
    elif tab == "escalated":
        appeals = appeals.filter(level__in=desk_levels(user), status__in=OPEN_STATUSES)
    elif tab == "finished":
        appeals = appeals.filter(status__in=FINISHED_STATUSES)
    return appeals.order_by("-submitted_at", "-pk")


def desk_levels(user: Any) -> list[str]:
    """The levels above the grid at which the user sits at the dispatching desk."""
    paths = scope_paths(user, "appeals.dispatch")
    if not paths:
        return []
    if "" in paths:
        return [Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT]
    kinds = set(Area.objects.filter(path__in=paths).values_list("kind", flat=True))
    return [str(level) for level in (Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT) if level.value in kinds]


def console_tabs(user: Any) -> list[str]:
    """The working lists the console shows ``user``: the desk's only to the desk, "ours" only to a
    handler, "escalated" only to those who sit at a desk above the grid."""
    desk = has_action(user, "appeals.view")
    handler = bool(handler_organization_ids(user)) and has_action(user, "appeals.handle")
    levels = desk_levels(user)
    shown = []
    for key in CONSOLE_TABS:
        if key in DESK_TABS and not desk:
            continue
        if key == "ours" and not handler:
            continue
        if key == "escalated" and not levels:
            continue
        shown.append(key)
    return shown


def console_tab(user: Any, requested: str, *, default: str = "", status_filtered: bool = False) -> str:
    """The working list a console request shows: the one asked for if the user has it; otherwise
    all appeals when filtering by status, a handler's own, or all open ones."""
    tabs = console_tabs(user)
    tab = requested or default
    if not tab:
        handler_only = "ours" in tabs and "submitted" not in tabs
        tab = "all" if status_filtered else "ours" if handler_only else "open"
    return tab if tab in tabs else "open"


# --- places and organisations a console user works with -----------------------------------------


def _paths(user: Any, *actions: str) -> list[str]:
    return sorted({p for action in actions for p in scope_paths(user, action)})


def reachable_estates(user: Any, *actions: str) -> QuerySet[Estate]:
    """Estates of the user's areas, and for grid-level users the estates with a building in their grid."""
    paths = _paths(user, *actions)
    if not paths:
        return Estate.objects.none()
    via_buildings = Building.objects.filter(scope_q(paths, "scope")).values("estate")
    return Estate.objects.filter(scope_q(paths, "scope") | Q(pk__in=via_buildings)).order_by("name")


def buildings_of_estate(estates: QuerySet[Estate], estate_id: str | int | None) -> QuerySet[Building]:
    """The buildings, in counting order, of the estate ``estate_id`` if it is one of ``estates``."""
    if not str(estate_id or "").isdigit():
        return Building.objects.none()
    return by_number(Building.objects.filter(estate__in=estates, estate_id=estate_id))


def buildings_of_estates(estates: QuerySet[Estate]) -> QuerySet[Building]:
    return by_number(Building.objects.filter(estate__in=estates))


def dwellings_of_building(estates: QuerySet[Estate], building_id: str | int | None) -> QuerySet[Dwelling]:
    """The dwellings of building ``building_id`` if it lies in one of ``estates``."""
    if not str(building_id or "").isdigit():
        return Dwelling.objects.none()
    return (
        Dwelling.objects.filter(unit__building_id=int(str(building_id)), unit__building__estate__in=estates)
        .select_related("unit")
        .order_by("unit__number", "floor", "room")
    )


def recordable_dwellings() -> QuerySet[Dwelling]:
    """Every dwelling, for staff entry (the form narrows them to the chosen building)."""
    return Dwelling.objects.select_related("unit").order_by("unit__number", "floor", "room")


def reporting_areas(user: Any) -> QuerySet[Area]:
    """Grids and communities where the user may record an appeal: their own, and the community
    around a grid they work in (an estate's garden is filed under the community)."""
    paths = scope_paths(user, "appeals.record")
    if not paths:
        return Area.objects.none()
    enclosing = [p.rsplit(".", 1)[0] for p in paths if p.count(".") >= 3]
    return Area.objects.filter(kind__in=(AreaKind.GRID, AreaKind.COMMUNITY)).filter(
        scope_q(paths, "path") | Q(path__in=enclosing)
    )


def filter_organizations(user: Any) -> QuerySet[Organization]:
    """The organisations a user may filter by: those of their areas and above them; a handler's own."""
    paths = scope_paths(user, "appeals.view")
    if not paths:
        return Organization.objects.filter(pk__in=handler_organization_ids(user)).order_by("name")
    above = {".".join(p.split(".")[:i]) for p in paths for i in range(1, p.count(".") + 1)}
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=above)).order_by("scope", "kind", "name")


def dispatch_candidates(appeal: Appeal) -> QuerySet[Organization]:
    """Organisations the appeal may be given to: those of its community, and those above it."""
    from .workflow import community_of

    community = community_of(appeal)
    return Organization.objects.filter(
        Q(scope__in=covering_paths(appeal.scope)) | Q(scope=community.path) | Q(scope__startswith=community.path + ".")
    ).order_by("scope", "kind", "name")


def organization_by_pk(pk: int) -> Organization | None:
    """An organisation to dispatch to (whether it may handle the appeal, the service decides)."""
    return Organization.objects.filter(pk=pk).first()


def visible_appeal_by(user: Any, *, pk: int | None = None, reference: str = "") -> Appeal | None:
    """One appeal ``user`` may open as staff or handler, by primary key or reference (merging)."""
    appeals = visible_appeals(user)
    if pk:
        return appeals.filter(pk=pk).first()
    return appeals.filter(reference=reference.strip()).first() if reference.strip() else None


def visible_among(user: Any, appeals: list[Appeal]) -> set[int]:
    """The primary keys of those of ``appeals`` that ``user`` may open."""
    return set(visible_appeals(user).filter(pk__in=[a.pk for a in appeals]).values_list("pk", flat=True))


def appeal_messages(user: Any, *, unread: bool = False) -> QuerySet[Message]:
    """The user's in-app messages about appeals (the outbox's inbox), newest first (``unread``: only
    those not yet read)."""
    messages = Message.objects.filter(recipient=user, channel=MessageChannel.INAPP, kind__startswith="appeals.")
    if unread:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-pk").only(
        "pk", "kind", "event_key", "text", "created_at", "read_at", "recipient_id"
    )


def appeal_of_message(message: Message) -> int | None:
    """The appeal a message is about, from its event ("appeal:42:…")."""
    head, _sep, rest = message.event_key.partition(":")
    number = rest.split(":", 1)[0]
    return int(number) if head == "appeal" and number.isdigit() else None


def references_of(ids: Iterable[int]) -> dict[int, str]:
    return dict(Appeal.objects.filter(pk__in=set(ids)).values_list("pk", "reference"))


# --- KPIs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiRow:
    name: str
    kpis: AppealKpis


@dataclass(frozen=True)
class KpiTable:
    field: str  # organization, area, estate or category
    title: str
    rows: list[KpiRow]


def kpi_period_appeals(user: Any, start: dt.date | None, end: dt.date | None) -> QuerySet[Appeal]:
    """The appeals ``user`` may see, submitted from ``start`` to ``end`` inclusive."""
    return in_period(visible_appeals(user), start, end)


def kpi_tables(appeals: QuerySet[Appeal]) -> list[KpiTable]:
    """The KPIs of ``appeals`` per handling organisation, grid, estate and category, each group named."""
    from django.utils.translation import gettext as _

    now = timezone.now()
    tables = []
    groups: list[tuple[str, str, str, Any]] = [
        ("organization", _("By handling organisation"), _("Not dispatched"), Organization),
        ("area", _("By grid (or community)"), "—", Area),
        ("estate", _("By estate"), _("Not in an estate"), Estate),
        ("category", _("By category"), "—", Category),
    ]
    for group, title, missing, model in groups:
        grouped = appeal_kpis_by(appeals, group, now=now)
        names = {obj.pk: obj for obj in model.objects.filter(pk__in=[key for key, _k in grouped if key is not None])}
        rows = []
        for key, kpis in grouped:
            obj = names.get(key)
            label = missing if obj is None else (category_label(obj) if model is Category else obj.name)
            rows.append(KpiRow(label, kpis))
        tables.append(KpiTable(group, title, rows))
    return tables


COMMUNITY_DEPTH = 2  # district.subdistrict.community


def leaf_categories() -> QuerySet[Category]:
    """The categories an appeal can be filed under: active, without sub-categories."""
    return Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")


# --- where a reporter may say the problem is (the resident portal) ------------------------------


@dataclass
class ReportingPlaces:
    """The places offered to one user: their homes (or a picked resident's), the buildings and
    estates they may choose, and the area a bare point is filed under."""

    homes: list[Dwelling] = field(default_factory=list)
    buildings: QuerySet[Building] = field(default_factory=Building.objects.none)
    estates: QuerySet[Estate] = field(default_factory=Estate.objects.none)
    area: Area | None = None

    @property
    def is_empty(self) -> bool:
        return self.area is None

    @property
    def community(self) -> Area | None:
        if self.area is None:
            return None
        return self.area.parent if self.area.kind == AreaKind.GRID else self.area

    def has_building(self, pk: int) -> bool:
        return self.buildings.filter(pk=pk).exists()

    def home_choices(self) -> QuerySet[Dwelling]:
        return Dwelling.objects.filter(pk__in=[d.pk for d in self.homes]).select_related("unit__building__estate")

    def allows_anonymous(self) -> bool:
        community = self.community
        return bool(
            community is not None and IntakePolicy.objects.filter(community=community, allow_anonymous=True).exists()
        )


def _communities_of(paths: list[str]) -> list[str]:
    """The communities holding (or equal to) grid- and community-level paths."""
    return sorted({".".join(p.split(".")[: COMMUNITY_DEPTH + 1]) for p in paths if p.count(".") >= COMMUNITY_DEPTH})


def _within(paths: list[str], scope: str) -> bool:
    """Whether a place of ``scope`` lies in the community of one of ``paths`` (people report
    anywhere in their own community)."""
    return any(path_covers(p, scope) or path_covers(scope, p) for p in paths) or any(
        path_covers(c, scope) for c in _communities_of(paths)
    )


def resident_places(user: Any) -> ReportingPlaces:
    """A resident's places: their current homes (people.Residence of their linked Person), the
    buildings and common areas of those estates; without a recorded home, the estates of the
    community they are registered in."""
    paths = scope_paths(user, "appeals.report")
    if not paths:
        return ReportingPlaces()
    person = Person.objects.filter(user=user).first()
    homes: list[Dwelling] = []
    if person is not None:
        homes = [
            d
            for d in Dwelling.objects.filter(residences__person=person, residences__to_on__isnull=True)
            .select_related("unit__building__estate__community", "unit__building__grid")
            .distinct()
            .order_by("pk")
            if _within(paths, d.scope)
        ]
    if homes:
        estate_ids = {d.unit.building.estate_id for d in homes}
        estates = Estate.objects.filter(pk__in=estate_ids)
        area: Area | None = homes[0].unit.building.grid
    else:
        communities = _communities_of(paths)
        estates = Estate.objects.filter(scope__in=communities)
        area = Area.objects.filter(path__in=communities).order_by("path").first()
    return ReportingPlaces(
        homes=homes,
        buildings=Building.objects.filter(estate__in=estates).select_related("estate").order_by("estate__name", "pk"),
        estates=estates.select_related("community").order_by("name"),
        area=area,
    )


def led_buildings(user: Any) -> QuerySet[Building]:
    """The buildings a building leader (or unit leader) looks after today: their post assignments."""
    from shuren.orgs.models import PostAssignment

    posts = PostAssignment.objects.current().filter(person__user=user)
    return Building.objects.filter(post_assignments__in=posts).distinct()


def collection_channels(user: Any) -> list[tuple[str, Any]]:
    """How an account collects appeals for others: on a building leader's round and/or on patrol."""
    roles = {grant.role for grant in RoleGrant.objects.active().filter(user=user)}
    channels = []
    if Role.BUILDING_LEADER in roles:
        channels.append((Channel.BUILDING_LEADER.value, Channel.BUILDING_LEADER.label))
    if any(role != Role.BUILDING_LEADER and "appeals.record" in actions_for(role) for role in roles):
        channels.append((Channel.PATROL.value, Channel.PATROL.label))
    return channels


def collection_places(user: Any) -> ReportingPlaces:
    """The places a collector may choose: a building leader's own buildings, a grid worker's (or
    community staff's) buildings of their areas; the estates of those buildings. Subdistrict and
    district staff record calls at the console instead: their whole area is no list for a phone."""
    record_paths = scope_paths(user, "appeals.record")
    if not record_paths:
        return ReportingPlaces()
    desk_paths = [
        path or ""
        for role, path in RoleGrant.objects.active().filter(user=user).values_list("role", "area__path")
        if role != Role.BUILDING_LEADER
        and "appeals.record" in actions_for(role)
        and (path or "").count(".") >= COMMUNITY_DEPTH
    ]
    query = Q(pk__in=led_buildings(user).values("pk"))
    if desk_paths:
        query |= scope_q(desk_paths, "scope")
    buildings = Building.objects.filter(query)
    building_ids = [b.pk for b in buildings.only("pk", "scope") if _within(record_paths, b.scope)]
    buildings = Building.objects.filter(pk__in=building_ids).select_related("estate", "grid")
    estates = Estate.objects.filter(buildings__in=building_ids).distinct()
    first = buildings.order_by("estate__name", "pk").first()
    area = first.grid if first is not None else None
    if area is None:
        area = Area.objects.filter(path__in=_communities_of(record_paths)).order_by("path").first()
    return ReportingPlaces(
        buildings=buildings.order_by("estate__name", "pk"),
        estates=estates.select_related("community").order_by("name"),
        area=area,
    )


def residents_of(user: Any, buildings: Any) -> QuerySet[Person]:
    """People living now in ``buildings`` whom ``user`` may see (for "on behalf of")."""
    from shuren.core.scoping import visible

    return (
        visible(Person.objects.all(), user, "people.view_person")
        .filter(residences__to_on__isnull=True, residences__dwelling__unit__building__in=buildings)
        .distinct()
        .order_by("name_pinyin", "pk")
    )


def residents_of_building(residents: QuerySet[Person], building_id: int) -> QuerySet[Person]:
    """Those of ``residents`` living now in building ``building_id``."""
    return residents.filter(residences__to_on__isnull=True, residences__dwelling__unit__building_id=building_id)


def current_homes(people: list[Person]) -> dict[int, Dwelling]:
    """Each person's current home (one of them), by the person's primary key."""
    from shuren.people.models import Residence

    return {
        r.person_id: r.dwelling
        for r in Residence.objects.filter(person__in=people, to_on__isnull=True).select_related(
            "dwelling__unit__building"
        )
    }


def current_home(person: Person, buildings: Any) -> Dwelling | None:
    return (
        Dwelling.objects.filter(residences__person=person, residences__to_on__isnull=True, unit__building__in=buildings)
        .select_related("unit__building__estate", "unit__building__grid")
        .order_by("pk")
        .first()
    )


# --- the public board ----------------------------------------------------------------------------


def published_appeals() -> QuerySet[Appeal]:
    """What the public board shows: published, resolved or closed appeals, newest first."""
    return (
        Appeal.objects.filter(
            is_published=True,
            publication__in=(Publication.PUBLISHED, Publication.MINIMAL),
            status__in=(Status.RESOLVED, Status.CLOSED),
            category__is_published=True,
        )
        .select_related("category", "estate", "area")
        .only(
            "pk",
            "reference",
            "public_summary",
            "public_reply",
            "publication",
            "is_published",
            "submitted_at",
            "resolved_at",
            "status",
            "satisfaction",
            "category__name",
            "category__name_en",
            "category__code",
            "estate__name",
            "area__name",
        )
        .order_by("-resolved_at", "-pk")
    )


BOARD_ESTATES_SECONDS = 300


def board_estates() -> QuerySet[Estate]:
    """Estates with at least one published appeal (cached for a few minutes), for the board's filter."""
    from django.core.cache import cache

    key = "appeals:board:estates"
    ids = cache.get(key)
    if ids is None:
        ids = list(
            published_appeals().order_by().filter(estate__isnull=False).values_list("estate_id", flat=True).distinct()
        )
        cache.set(key, ids, BOARD_ESTATES_SECONDS)
    return Estate.objects.select_related("community").order_by("community__path", "name").filter(pk__in=ids)


def board_categories() -> QuerySet[Category]:
    """The categories the board may show."""
    return Category.objects.filter(is_published=True).order_by("sort_order", "code")


def board_appeals(*, estate: Estate | None = None, words: list[str] | tuple[str, ...] = ()) -> QuerySet[Appeal]:
    """The published appeals of ``estate`` whose confirmed public text holds every one of ``words``
    (only the confirmed public text is searched, never the original reply)."""
    appeals = published_appeals()
    if estate is not None:
        appeals = appeals.filter(estate=estate)
    for word in words:
        appeals = appeals.filter(publication=Publication.PUBLISHED).filter(
            Q(public_summary__icontains=word) | Q(public_reply__icontains=word)
        )
    return appeals


def in_board_category(appeals: QuerySet[Appeal], category: Category) -> QuerySet[Appeal]:
    """The board's category filter: the category and its children (the board shows two levels)."""
    return appeals.filter(Q(category=category) | Q(category__parent=category))


def count_by_category(appeals: QuerySet[Appeal]) -> dict[int, int]:
    return dict(appeals.order_by().values("category_id").annotate(n=Count("pk")).values_list("category_id", "n"))


def categories_by_pk() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.all()}


# --- the API's lookups ------------------------------------------------------------------------------


def category_list(*, active_only: bool = False) -> QuerySet[Category]:
    """The category tree, flat in display order (``active_only``: those open for appeals)."""
    categories = Category.objects.select_related("parent").order_by("sort_order", "code")
    return categories.filter(is_active=True) if active_only else categories


def category_by_code(code: str) -> Category | None:
    """The category ``code``, knowing in the same query whether it has sub-categories
    (``has_children``: appeals are filed under a category without any)."""
    children = Category.objects.filter(parent=OuterRef("pk"))
    # One row by a unique key: no ORDER BY (first() would add one).
    return next(iter(Category.objects.filter(code=code).annotate(has_children=Exists(children)).order_by()[:1]), None)


def _area(prefix: str, *, parent: bool) -> tuple[str, ...]:
    """What services.AppealLocation reads of an area (and of its parent, a grid's community)."""
    own = (prefix, f"{prefix}__kind", f"{prefix}__path", f"{prefix}__name", f"{prefix}__parent")
    return own + (_area(f"{prefix}__parent", parent=False) if parent else ())


def _building(prefix: str) -> tuple[str, ...]:
    estate = f"{prefix}__estate" if prefix else "estate"
    grid = f"{prefix}__grid" if prefix else "grid"
    own = (prefix, f"{prefix}__number") if prefix else ("number",)
    return (
        *own,
        estate,
        f"{estate}__scope",
        f"{estate}__name",
        *_area(f"{estate}__community", parent=False),
        *_area(grid, parent=True),
    )


# Each kind of place with the joins and the fields services.AppealLocation, submit_appeal and the
# audit record (the place's name) read:
# the lookup loads those few columns, not every column of five tables.
_PLACES: dict[str, tuple[type[Any], tuple[str, ...], tuple[str, ...]]] = {
    "dwelling": (
        Dwelling,
        ("unit__building__estate__community", "unit__building__grid__parent"),
        ("room", "unit", "unit__number", *_building("unit__building")),
    ),
    "building": (Building, ("estate__community", "grid__parent"), _building("")),
    "estate": (Estate, ("community",), ("scope", "name", *_area("community", parent=False))),
    "area": (Area, ("parent",), ("kind", "path", "name", *_area("parent", parent=False))),
}


def reporting_place(kind: str, pk: int) -> Any:
    """The dwelling, building, estate or area ``pk`` (``kind``) with what ``AppealLocation`` reads."""
    model, joins, fields = _PLACES[kind]
    return next(iter(model.objects.select_related(*joins).only(*fields).filter(pk=pk).order_by()[:1]), None)


def kpi_group_labels(group: str, keys: list[Any]) -> dict[Any, tuple[str, str | None]]:
    """(name, code) of each group key of a KPI breakdown; the key None (not dispatched, no estate)
    is named too."""
    from django.utils.translation import gettext as _

    ids = [key for key in keys if key is not None]
    labels: dict[Any, tuple[str, str | None]] = {}
    if group == "category":
        labels = {
            pk: (name, code) for pk, name, code in Category.objects.filter(pk__in=ids).values_list("pk", "name", "code")
        }
    else:
        named: dict[str, QuerySet[Any]] = {
            "organization": Organization.objects.all(),
            "area": Area.objects.all(),
            "estate": Estate.objects.all(),
        }
        labels = {pk: (name, None) for pk, name in named[group].filter(pk__in=ids).values_list("pk", "name")}
    labels[None] = ({"organization": _("Not dispatched yet"), "estate": _("No estate")}.get(group, ""), None)
    return labels


# --- configuration ---------------------------------------------------------------------------------

CONFIGURE_RULES = "appeals.configure_rules"


def all_categories() -> QuerySet[Category]:
    return Category.objects.all()


def category_tree(*, active_only: bool = False) -> list[tuple[Category, int]]:
    """Categories in tree order with their depth (parents before children, siblings by order)."""
    categories = list(Category.objects.filter(is_active=True) if active_only else Category.objects.all())
    children: dict[int | None, list[Category]] = defaultdict(list)
    known = {c.pk for c in categories}
    for category in categories:
        children[category.parent_id if category.parent_id in known else None].append(category)
    ordered: list[tuple[Category, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for category in children.get(parent, []):
            ordered.append((category, depth))
            if depth < 10:
                walk(category.pk, depth + 1)

    walk(None, 0)
    return ordered


def config_rules(user: Any) -> QuerySet[DispatchRule]:
    """The dispatch rules of the user's areas."""
    return visible(
        DispatchRule.objects.select_related("area", "category", "estate", "organization"), user, CONFIGURE_RULES
    ).order_by("scope", "priority", "pk")


def _areas_above(paths: list[str]) -> set[str]:
    return {".".join(p.split(".")[:i]) for p in paths for i in range(1, p.count(".") + 1)}


def rule_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations a rule of the user's areas may name: those of the areas, and departments above."""
    paths = scope_paths(user, CONFIGURE_RULES)
    if not paths:
        return Organization.objects.none()
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=_areas_above(paths))).order_by(
        "scope", "kind", "name"
    )


def rule_areas(user: Any) -> QuerySet[Area]:
    return visible(Area.objects.order_by("path"), user, CONFIGURE_RULES)


def rule_estates(user: Any) -> QuerySet[Estate]:
    return visible(Estate.objects.all(), user, CONFIGURE_RULES).order_by("name")


def rule_test_buildings(user: Any) -> QuerySet[Building]:
    """The buildings the rule tester offers: those of the user's areas, in counting order."""
    from django.db.models.functions import Length

    return visible(Building.objects.select_related("estate"), user, CONFIGURE_RULES).order_by(
        "estate__name", Length("number"), "number"
    )


def configured_handlers(user: Any) -> QuerySet[Handler]:
    """The handler accounts linked to organisations of the user's areas."""
    paths = scope_paths(user, CONFIGURE_RULES)
    if not paths:
        return Handler.objects.none()
    return (
        Handler.objects.filter(scope_q(paths, "organization__scope"))
        .select_related("user", "organization")
        .order_by("organization__scope", "organization__name", "user__username")
    )


def handler_candidates(user: Any) -> QuerySet[User]:
    """Active accounts holding the handler role in the user's areas."""
    paths = scope_paths(user, CONFIGURE_RULES)
    grants = RoleGrant.objects.active().filter(role=Role.HANDLER).filter(scope_q(paths, "area__path"))
    return User.objects.filter(pk__in=grants.values("user"), is_active=True).order_by("username")


def handler_organizations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_q(scope_paths(user, CONFIGURE_RULES), "scope")).order_by("scope", "name")


def configurable_communities(user: Any) -> QuerySet[Area]:
    return visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, CONFIGURE_RULES).order_by("path")


def intake_policies(communities: list[Area]) -> dict[int, IntakePolicy]:
    return {p.community_id: p for p in IntakePolicy.objects.filter(community__in=communities)}


def intake_policy_of(community: Area) -> IntakePolicy:
    """The community's intake policy (a new, unsaved one with the defaults if it has none)."""
    return IntakePolicy.objects.filter(community=community).first() or IntakePolicy(community=community)


def workday_overrides(since: dt.date | None = None) -> QuerySet[WorkdayOverride]:
    overrides = WorkdayOverride.objects.all()
    return overrides.filter(on__gte=since).order_by("on") if since else overrides


def appeals_awaiting_my_rating(user: Any) -> QuerySet[Appeal]:
    """Appeals the user reported that have been resolved and wait for them to say whether the
    problem is solved and rate the handling (only the reporter rates); the longest waiting first."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return Appeal.objects.filter(reporter=user, status=Status.RESOLVED).order_by("resolved_at", "pk")

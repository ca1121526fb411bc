"""Staff console pages for appeals (/appeals/): the working lists and their export, staff entry of
an appeal, notifications, and the helpers the other console modules share. One appeal with its
actions is in ``detail_views``, the KPIs in ``kpi_views``, configuration in ``config_views``.

Views only adapt: what a user may see comes from ``selectors``, what they may do from
``workflow.allowed_actions``, every change from ``services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.decorators import reauth_required
from shuren.audit.services import record_event
from shuren.core.forms import add_validation_errors
from shuren.core.masking import mask_address
from shuren.core.permissions import authenticated, requires
from shuren.core.redaction import redact_text
from shuren.core.scoping import has_action, scope_paths, scope_q
from shuren.orgs.models import Organization
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate

from . import services
from .forms import AppealFilterForm, StaffAppealForm, category_label
from .models import FINISHED_STATUSES, OPEN_STATUSES, Appeal, Category, Level, Notification, Status
from .selectors import (
    due_soon_appeals,
    due_soon_limit,
    handler_organization_ids,
    listed_appeals,
    overdue_appeals,
    visible_appeals,
)

PAGE_SIZE = 50


staff_or_handler = requires("appeals.view", "appeals.handle")


# --- places the user works on --------------------------------------------------------------------


def _paths(user: Any, *actions: str) -> list[str]:
    return sorted({p for action in actions for p in scope_paths(user, action)})


def reachable_estates(user: Any, *actions: str) -> QuerySet[Estate]:
    """Estates of the user's areas, and for grid-level users the estates with a building in their grid."""
    paths = _paths(user, *actions)
    if not paths:
        return Estate.objects.none()
    via_buildings = Building.objects.filter(scope_q(paths, "scope")).values("estate")
    return Estate.objects.filter(scope_q(paths, "scope") | Q(pk__in=via_buildings)).order_by("name")


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


def by_number(buildings: QuerySet[Building]) -> QuerySet[Building]:
    """Buildings in the order people count them: 2座 before 10座."""
    from django.db.models.functions import Length

    return buildings.order_by(Length("number"), "number")


def place_label(appeal: Appeal, *, room: bool) -> str:
    parts: list[str] = []
    if appeal.estate_id:
        parts.append(appeal.estate.name)
    if appeal.building_id:
        parts.append(appeal.building.number)
    if appeal.dwelling_id:
        parts.append(f"{appeal.dwelling.unit.number} {appeal.dwelling.room}" if room else "****")
    if appeal.address:
        parts.append(appeal.address if room else mask_address(appeal.address))
    return " ".join(parts) or appeal.area.name


# --- deadlines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    which: str  # "response" or "resolution"
    due_at: dt.datetime
    state: str  # "overdue", "due_soon" or ""

    @property
    def label(self) -> str:
        return _("Take up by") if self.which == "response" else _("Resolve by")


def next_deadline(appeal: Appeal, now: dt.datetime, limit: dt.datetime) -> Deadline | None:
    """The deadline that matters now for an open appeal, marked overdue or due soon."""
    candidates: list[tuple[str, dt.datetime]] = []
    if appeal.status == Status.DISPATCHED and appeal.response_due_at:
        candidates.append(("response", appeal.response_due_at))
    if appeal.status in OPEN_STATUSES and appeal.resolution_due_at:
        candidates.append(("resolution", appeal.resolution_due_at))
    if not candidates:
        return None
    which, due = min(candidates, key=lambda c: c[1])
    state = "overdue" if due < now else "due_soon" if due <= limit else ""
    return Deadline(which, due, state)


# --- the list ------------------------------------------------------------------------------------

TABS: list[tuple[str, Any]] = [
    ("open", gettext_lazy("All open")),
    ("submitted", gettext_lazy("To accept")),
    ("accepted", gettext_lazy("Awaiting dispatch")),
    ("ours", gettext_lazy("Dispatched to us")),
    ("due_soon", gettext_lazy("Due soon")),
    ("overdue", gettext_lazy("Overdue")),
    ("supervised", gettext_lazy("Supervised")),
    ("escalated", gettext_lazy("Escalated to my level")),
    ("finished", gettext_lazy("Finished")),
    ("all", gettext_lazy("All")),
]
DESK_TABS = {"submitted", "accepted", "escalated"}
PRIMARY_FILTERS = ("q", "category", "status")


def desk_levels(user: Any) -> list[str]:
    """The levels above the grid at which the user sits at the dispatching desk."""
    paths = scope_paths(user, "appeals.dispatch")
    if not paths:
        return []
    if "" in paths:
        return [Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT]
    kinds = set(Area.objects.filter(path__in=paths).values_list("kind", flat=True))
    return [str(level) for level in (Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT) if level.value in kinds]


def _tabs_for(user: Any) -> list[tuple[str, Any]]:
    desk = has_action(user, "appeals.view")
    handler = bool(handler_organization_ids(user)) and has_action(user, "appeals.handle")
    levels = desk_levels(user)
    shown = []
    for key, label in TABS:
        if key in DESK_TABS and not desk:
            continue
        if key == "ours" and not handler:
            continue
        if key == "escalated" and not levels:
            continue
        shown.append((key, label))
    return shown


def _in_tab(appeals: QuerySet[Appeal], tab: str, user: Any, now: dt.datetime) -> QuerySet[Appeal]:
    if tab == "open":
        return appeals.filter(status__in=OPEN_STATUSES)
    if tab in ("submitted", "accepted"):
        return appeals.filter(status=tab)
    if tab == "ours":
        orgs = handler_organization_ids(user)
        return appeals.filter(organization_id__in=orgs, status__in=(Status.DISPATCHED, Status.IN_PROGRESS))
    if tab == "due_soon":
        return due_soon_appeals(appeals, now).order_by("resolution_due_at", "pk")
    if tab == "overdue":
        return overdue_appeals(appeals, now).order_by("resolution_due_at", "pk")
    if tab == "supervised":
        return appeals.filter(is_supervised=True, status__in=OPEN_STATUSES)
    if tab == "escalated":
        return appeals.filter(level__in=desk_levels(user), status__in=OPEN_STATUSES)
    if tab == "finished":
        return appeals.filter(status__in=FINISHED_STATUSES)
    return appeals


def _list_organizations(user: Any) -> QuerySet[Organization]:
    """The organisations a user may filter by: those of their areas and above them; a handler's own."""
    paths = scope_paths(user, "appeals.view")
    if not paths:
        return Organization.objects.filter(pk__in=handler_organization_ids(user)).order_by("name")
    above = {".".join(p.split(".")[:i]) for p in paths for i in range(1, p.count(".") + 1)}
    return Organization.objects.filter(scope_q(paths, "scope") | Q(scope__in=above)).order_by("scope", "kind", "name")


def _filtered(request: HttpRequest, default_tab: str = "") -> tuple[AppealFilterForm, str, QuerySet[Appeal]]:
    user = request.user
    tabs = [key for key, _label in _tabs_for(user)]
    tab = request.GET.get("tab") or default_tab
    if not tab:
        handler_only = "ours" in tabs and "submitted" not in tabs
        tab = "all" if request.GET.get("status") else "ours" if handler_only else "open"
    if tab not in tabs:
        tab = "open"
    staff = has_action(user, "appeals.view")
    estates = reachable_estates(user, "appeals.view") if staff else Estate.objects.none()
    estate_id = request.GET.get("estate", "")
    buildings = (
        by_number(Building.objects.filter(estate__in=estates, estate_id=estate_id))
        if estate_id.isdigit()
        else Building.objects.none()
    )
    form = AppealFilterForm(
        request.GET or None,
        estates=estates,
        buildings=buildings,
        organizations=_list_organizations(user),
        building_options_url=reverse("appeals:building_options"),
    )
    if not staff:
        del form.fields["estate"], form.fields["building"]
    appeals = visible_appeals(user)
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply even when another is not; the form shows that one's error
        data = form.cleaned_data
    if data.get("q"):
        query = data["q"].strip()
        appeals = appeals.filter(Q(reference=query) | Q(description__icontains=query))
    if data.get("category"):
        category = Category.objects.filter(pk=data["category"]).first()
        if category is not None:
            appeals = appeals.filter(category__in=_with_descendants(category))
    status = data.get("status")
    if status == "open":
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    elif status == "finished":
        appeals = appeals.filter(status__in=FINISHED_STATUSES)
    elif status:
        appeals = appeals.filter(status=status)
    for field in ("estate", "building", "organization"):
        if data.get(field):
            appeals = appeals.filter(**{f"{field}_id": data[field]})
    from .kpis import in_period

    appeals = in_period(appeals, data.get("start"), data.get("end"))
    return form, tab, _in_tab(appeals, tab, user, timezone.now())


def _with_descendants(category: Category) -> list[int]:
    ids, frontier = [category.pk], [category.pk]
    for _depth in range(10):
        frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


def _appeal_list(request: HttpRequest, default_tab: str = "") -> HttpResponse:
    form, tab, appeals = _filtered(request, default_tab)
    page = Paginator(listed_appeals(appeals), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    limit = due_soon_limit(now)
    staff = has_action(request.user, "appeals.view")
    for appeal in page.object_list:
        # A handler reads descriptions without phone and door numbers unless the contact was shared.
        plain = staff or appeal.contact_shared
        appeal.summary_text = appeal.summary if plain else Appeal(description=redact_text(appeal.description)).summary
        appeal.deadline = next_deadline(appeal, now, limit)
        appeal.place_label = place_label(appeal, room=False)
        appeal.category_label = category_label(appeal.category)
    scope = visible_appeals(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tab", None)
    return render(
        request,
        "appeals/console/appeal_list.html",
        {
            "form": form,
            "primary_fields": [form[name] for name in PRIMARY_FILTERS],
            "more_fields": [field for field in form.visible_fields() if field.name not in PRIMARY_FILTERS],
            "more_open": any(request.GET.get(name) for name in form.fields if name not in PRIMARY_FILTERS),
            "tab": tab,
            "tabs": _tabs_for(request.user),
            "filters": query.urlencode(),
            "page": page,
            "headings": [
                _("Reference"),
                _("Submitted"),
                _("Category"),
                _("Place"),
                _("Status"),
                _("Handling organisation"),
                _("Deadline"),
            ],
            "overdue_count": overdue_appeals(scope, now).count(),
            "due_soon_count": due_soon_appeals(scope, now).count(),
            "can_review_publication": has_action(request.user, "appeals.dispatch"),
            "can_record": has_action(request.user, "appeals.record"),
            "can_export": has_action(request.user, "appeals.view"),
        },
    )


@staff_or_handler
def appeal_list(request: HttpRequest) -> HttpResponse:
    return _appeal_list(request)


@requires("appeals.handle")
def handler_list(request: HttpRequest) -> HttpResponse:
    """The handler's start page: what is dispatched to their organisation now."""
    return _appeal_list(request, default_tab="ours")


EXPORT_HEADINGS = [
    "编号 Reference",
    "提交时间 Submitted",
    "渠道 Channel",
    "类别 Category",
    "地点 Place",
    "诉求内容 Description",
    "状态 Status",
    "层级 Level",
    "承办单位 Handling organisation",
    "督办 Supervised",
    "签收时限 Response due",
    "办结时限 Resolution due",
    "签收时间 Taken up",
    "办结时间 Resolved",
    "按期办结 Resolved on time",
    "是否解决 Solved",
    "满意度 Satisfaction",
]


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


@requires("appeals.view")
@reauth_required
def appeal_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx, audited. Nobody's name or phone is exported; numbers and door
    numbers in the descriptions are replaced by placeholders, as on the public board."""
    from shuren.core.exports import xlsx_response

    _form, tab, appeals = _filtered(request)
    rows = [
        (
            a.reference,
            _local(a.submitted_at),
            a.get_channel_display(),
            a.category.name,
            place_label(a, room=False),
            redact_text(a.description),
            a.get_status_display(),
            a.get_level_display(),
            a.organization.name if a.organization_id else "",
            _yes_no(a.is_supervised),
            _local(a.response_due_at),
            _local(a.resolution_due_at),
            _local(a.responded_at),
            _local(a.resolved_at),
            _yes_no(a.resolved_on_time),
            _yes_no(a.is_solved),
            a.satisfaction or "",
        )
        for a in listed_appeals(appeals).iterator(chunk_size=2000)
    ]
    filters = {k: v[:80] for k, v in request.GET.items() if k != "page"}
    record_event("appeals.export", request=request, detail={"rows": len(rows), "tab": tab, "filters": filters})
    return xlsx_response("appeals.xlsx", "诉求 Appeals", EXPORT_HEADINGS, rows, user=request.user)


@requires("appeals.view", "appeals.record")
def building_options(request: HttpRequest) -> HttpResponse:
    """<option>s of the buildings of an estate the user works on (htmx, for dependent selects)."""
    estate_id = request.GET.get("estate", "")
    estates = reachable_estates(request.user, "appeals.view", "appeals.record")
    estate = estates.filter(pk=estate_id).first() if estate_id.isdigit() else None
    buildings = by_number(estate.buildings.all()) if estate else Building.objects.none()
    return render(
        request,
        "appeals/console/_options.html",
        {
            "options": [(b.pk, b.number) for b in buildings],
            "blank": _("All buildings") if request.GET.get("for") != "new" else "---------",
            "reset_dwelling": request.GET.get("for") == "new",
        },
    )


@requires("appeals.record")
def dwelling_options(request: HttpRequest) -> HttpResponse:
    building_id = request.GET.get("building", "")
    estates = reachable_estates(request.user, "appeals.record")
    dwellings = (
        Dwelling.objects.filter(unit__building_id=building_id, unit__building__estate__in=estates)
        .select_related("unit")
        .order_by("unit__number", "floor", "room")
        if building_id.isdigit()
        else Dwelling.objects.none()
    )
    return render(
        request,
        "appeals/console/_options.html",
        {"options": [(d.pk, f"{d.unit.number} {d.room}") for d in dwellings], "blank": "---------"},
    )


# --- staff entry ---------------------------------------------------------------------------------


@requires("appeals.record")
def appeal_new(request: HttpRequest) -> HttpResponse:
    """An appeal taken by phone, from the hotline, at the desk or on a round. After saving, the page
    of the new appeal shows the similar open appeals so the desk can merge at once."""
    user = request.user
    estates = reachable_estates(user, "appeals.record")
    form = StaffAppealForm(
        request.POST or None,
        request.FILES or None,
        areas=reporting_areas(user),
        estates=estates,
        buildings=by_number(Building.objects.filter(estate__in=estates)),
        dwellings=Dwelling.objects.select_related("unit").order_by("unit__number", "floor", "room"),
        urls={
            "buildings": reverse("appeals:building_options") + "?for=new",
            "dwellings": reverse("appeals:dwelling_options"),
        },
        initial={"channel": "phone"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            location = services.AppealLocation(
                area=data["area"], estate=data["estate"], building=data["building"], dwelling=data["dwelling"]
            )
            appeal = services.submit_appeal(
                actor=user,
                category=data["category"],
                description=data["description"],
                location=location,
                channel=data["channel"],
                address=data["address"],
                is_anonymous=data["is_anonymous"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                photos=data["photos"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Appeal %(ref)s has been recorded.") % {"ref": appeal.reference})
            if visible_appeals(user).filter(pk=appeal.pk).exists():
                return redirect(reverse("appeals:appeal_detail", args=[appeal.pk]) + "?recorded=1")
            return redirect("appeals:appeal_new")
    return render(request, "appeals/console/appeal_form.html", {"form": form})


# --- notifications -------------------------------------------------------------------------------


@authenticated
def notification_list(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user).select_related("appeal")
    if request.GET.get("unread") == "1":
        notes = notes.filter(read_at__isnull=True)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/console/notifications.html",
        {
            "page": page,
            "unread_only": request.GET.get("unread") == "1",
            "can_open": has_action(request.user, "appeals.view") or has_action(request.user, "appeals.handle"),
        },
    )


@authenticated
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of the user's notifications as read."""
    chosen = request.POST.get("id", "")
    if chosen.isdigit():
        services.mark_notifications_read(request.user, pk=int(chosen))
    elif request.POST.get("all") == "1":
        services.mark_notifications_read(request.user)
    else:
        raise Http404
    return redirect("appeals:notification_list")

"""Staff console of the governance list (/governance/): the items with filters and export, one item
with its timeline, photos, holder and exactly the actions allowed, and the forms to add and edit items.
Governance lists, wishes and figures are in ``list_views``, each community's policy in ``config_views``;
the workflow actions and their forms in ``item_actions``.

Views only adapt: what a user may see comes from ``selectors``, what they may do from
``workflow.allowed_actions``, every change from ``services``.
"""

from __future__ import annotations

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
from django.views.decorators.http import require_POST

from shuren.accounts.decorators import reauth_required
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.photos import photo_response
from shuren.core.scoping import can, has_action, scope_paths, visible
from shuren.places.models import Area, AreaKind, Estate

from . import selectors, services, workflow
from .forms import FilterForm, ItemForm
from .item_actions import ACTIONS, TEXT_FIELDS, make_form, timeline_of
from .models import GovernanceItem, GovernanceList, ItemPhoto

PAGE_SIZE = 50


def _detail(
    request: HttpRequest,
    item: GovernanceItem,
    *,
    bound: dict[str, Any] | None = None,
    stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    actions = [a for a in workflow.allowed_actions(user, item) if a in ACTIONS]
    panel = [
        {
            "action": action,
            "label": workflow.ACTION_LABELS[action],
            "form": bound.get(action) or make_form(action, item, user, staff=True),
            "open": action in bound,
            "url": reverse("governance:item_action", args=[item.pk, action]),
            "multipart": action in ("progress", "submit"),
            "danger": action in ("decline", "cancel", "withdraw", "return", "release"),
        }
        for action in actions
    ]
    kept = {
        name: value
        for action, form in bound.items()
        if action not in actions
        for name, value in form.data.items()
        if name in TEXT_FIELDS and value
    }
    claim = workflow.active_claim(item)
    return render(
        request,
        "governance/console/item_detail.html",
        {
            "item": item,
            "claim": claim,
            "past_claims": item.claims.exclude(status="active").select_related("person", "organization"),
            "timeline": timeline_of(item, user, staff=True),
            "panel": panel,
            "kept": kept,
            "stale": stale,
            "can_edit": "edit" in workflow.allowed_actions(user, item),
            "is_overdue": workflow.is_overdue(item),
            "photo_url": "governance:item_photo",
        },
        status=status,
    )


def staff_item(user: Any, pk: int) -> GovernanceItem:
    """An item of the staff member's areas (governance.view); OutOfScope otherwise."""
    item = selectors.listed_items(selectors.visible_items(user).filter(pk=pk)).first()
    if item is None:
        raise OutOfScope()
    return item


@requires("governance.view")
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, staff_item(request.user, pk))


@requires("governance.view")
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow action from the panel. The form carries the version the user read: if the item
    changed meanwhile nothing is written and the page comes back fresh with what they typed."""
    item = staff_item(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    form = make_form(action, item, request.user, request.POST, request.FILES, staff=True)
    if not form.is_valid():
        return _detail(request, item, bound={action: form}, status=400)
    try:
        if action == "claim":
            services.check_claimable(request.user, item)
        if form.cleaned_data["version"] != item.version:
            return _stale(request, item, action)
        ACTIONS[action].perform(request.user, item, form.cleaned_data)
    except StaleVersion:
        return _stale(request, item, action)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
        return redirect("governance:item_detail", pk=item.pk)
    except NotPermitted as exc:
        if exc.code == "not-eligible":
            form.add_error(None, exc.detail)
            return _detail(request, item, bound={action: form}, status=403)
        raise
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return _detail(request, item, bound={action: form}, status=400)
    messages.success(request, str(ACTIONS[action].done))
    return redirect("governance:item_detail", pk=item.pk)


def _stale(request: HttpRequest, item: GovernanceItem, action: str) -> HttpResponse:
    fresh = staff_item(request.user, item.pk)
    data = request.POST.copy()
    data["version"] = str(fresh.version)
    form = make_form(action, fresh, request.user, data, staff=True)
    form.is_valid()
    form.add_error(
        None,
        _(
            "This item was changed by someone else meanwhile. The page has been reloaded: check what "
            "changed, then submit again. Your text is kept."
        ),
    )
    return _detail(request, fresh, bound={action: form}, stale=True, status=409)


@requires("governance.view")
def item_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    item = staff_item(request.user, pk)
    return photo_response(ItemPhoto.objects.filter(update__item=item), photo_pk)


# --- the list ------------------------------------------------------------------------------------


def _places(user: Any) -> list[tuple[str, str]]:
    """Filter choices: the user's communities and grids, then estates."""
    paths = scope_paths(user, "governance.view")
    areas = visible(Area.objects.filter(kind__in=(AreaKind.COMMUNITY, AreaKind.GRID)), user, "governance.view")
    choices = [(f"area:{a.pk}", a.name) for a in areas.order_by("path")[:200]]
    if paths:
        estates = visible(Estate.objects.all(), user, "governance.view").order_by("name")[:200]
        choices += [(f"estate:{e.pk}", e.name) for e in estates]
    return choices


def _filtered(request: HttpRequest) -> tuple[FilterForm, QuerySet[GovernanceItem]]:
    user = request.user
    lists = selectors.visible_lists(user)
    form = FilterForm(request.GET or None, places=_places(user), lists=lists)
    items = selectors.visible_items(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            items = items.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q))
        for name in ("status", "kind", "source"):
            if data[name]:
                items = items.filter(**{name: data[name]})
        if data["governance_list"]:
            items = items.filter(governance_list_id=data["governance_list"])
        if data["place"]:
            kind, _sep, pk = data["place"].partition(":")
            if kind == "area":
                area = Area.objects.get(pk=pk)
                items = items.filter(Q(scope=area.path) | Q(scope__startswith=area.path + "."))
            elif kind == "estate":
                items = items.filter(estate_id=pk)
        if data["overdue"]:
            items = items.filter(selectors.overdue_q())
    return form, items


@requires("governance.view")
def item_list(request: HttpRequest) -> HttpResponse:
    form, items = _filtered(request)
    page = Paginator(selectors.listed_items(items).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    holders = selectors.active_claims_of(GovernanceItem.objects.filter(pk__in=[i.pk for i in page.object_list]))
    today = timezone.localdate()
    for item in page.object_list:
        item.holder = holders.get(item.pk)
        item.overdue = workflow.is_overdue(item, today)
    return render(
        request,
        "governance/console/item_list.html",
        {
            "form": form,
            "page": page,
            "figures": selectors.figures_of(items),
            "can_manage": has_action(request.user, "governance.manage"),
            "headings": [_("Item"), _("Place"), _("Status"), _("Held by"), _("Deadline"), _("Points")],
        },
    )


EXPORT_HEADINGS = [
    "编号 Reference",
    "类型 Kind",
    "事项 Title",
    "来源 Source",
    "清单 List",
    "地点 Place",
    "优先级 Priority",
    "期限 Deadline",
    "积分 Points",
    "状态 Status",
    "认领方 Held by",
    "逾期 Overdue",
    "核实时间 Verified at",
]


@requires("governance.view")
@reauth_required
def item_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx, audited. Residents who hold claims appear masked."""
    from shuren.core.exports import xlsx_response

    _form, items = _filtered(request)
    items = selectors.listed_items(items).order_by("-created_at")
    holders = selectors.active_claims_of(items)
    today = timezone.localdate()
    rows = [
        (
            i.reference,
            i.get_kind_display(),
            i.title,
            i.get_source_display(),
            i.governance_list.title if i.governance_list_id else "",
            i.place_label,
            i.get_priority_display(),
            i.due_on.isoformat() if i.due_on else "",
            i.points,
            i.get_status_display(),
            holders[i.pk].public_holder_label if i.pk in holders else "",
            _("Yes") if workflow.is_overdue(i, today) else "",
            timezone.localtime(i.verified_at).strftime("%Y-%m-%d %H:%M") if i.verified_at else "",
        )
        for i in items.iterator(chunk_size=2000)
    ]
    filters = {k: v[:80] for k, v in request.GET.items() if k != "page"}
    record_event("governance.export", request=request, detail={"rows": len(rows), "filters": filters})
    return xlsx_response("governance.xlsx", "治理清单 Governance list", EXPORT_HEADINGS, rows, user=request.user)


# --- new and edit --------------------------------------------------------------------------------


def _manage_lists(user: Any) -> QuerySet[GovernanceList]:
    return visible(GovernanceList.objects.select_related("community"), user, "governance.manage")


def _appeal_by_reference(user: Any, reference: str) -> Any:
    from shuren.appeals.selectors import visible_appeals

    reference = (reference or "").strip()
    if not reference:
        return None
    appeal = visible_appeals(user).filter(reference=reference).first()
    if appeal is None:
        raise ValidationError({"appeal_reference": [_("No appeal with this reference in your areas.")]})
    return appeal


@requires("governance.manage")
def item_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial: dict[str, Any] = {}
    if request.GET.get("list", "").isdigit():
        initial["governance_list"] = int(request.GET["list"])
    form = ItemForm(request.POST or None, user=user, lists=_manage_lists(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = _appeal_by_reference(user, data.get("appeal_reference", ""))
            item = services.create_item(
                user,
                title=data["title"],
                description=data["description"],
                area=data["area"],
                estate=data["estate"],
                building=data["building"],
                unit=data["unit"],
                kind=data["kind"],
                source=data["source"],
                appeal=appeal,
                governance_list=data["governance_list"],
                priority=data["priority"],
                due_on=data["due_on"],
                points=data["points"],
            )
        except ValidationError as exc:
            add_validation_errors(form, _renamed(exc))
        except (NotPermitted, OutOfScope):
            form.add_error("area", _("You cannot add items to this place."))
        else:
            messages.success(request, _("Item %(ref)s is on the list.") % {"ref": item.reference})
            return redirect("governance:item_detail", pk=item.pk)
    return render(
        request, "governance/console/item_form.html", {"form": form, "item": None}, status=400 if form.errors else 200
    )


def _renamed(exc: ValidationError) -> ValidationError:
    """Service field names to form field names."""
    if hasattr(exc, "error_dict"):
        renamed = {("appeal_reference" if k == "appeal" else k): v for k, v in exc.message_dict.items()}
        return ValidationError(renamed)
    return exc


@requires("governance.manage")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = staff_item(user, pk)
    if "edit" not in workflow.allowed_actions(user, item):
        if not can(user, "governance.manage", item):
            raise NotPermitted()
        messages.error(request, _("A finished item cannot be edited."))
        return redirect("governance:item_detail", pk=item.pk)
    form = ItemForm(request.POST or None, instance=item, user=user, lists=_manage_lists(user))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in services.items.EDITABLE_FIELDS if name in data}
        try:
            item = services.edit_item(user, staff_item(user, pk), version=data["version"] or 0, **fields)
        except StaleVersion:
            form.add_error(None, _("This item was changed by someone else meanwhile. Reload it and edit again."))
            status = 409
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except (NotPermitted, OutOfScope):
            form.add_error("area", _("You cannot move items to this place."))
        else:
            messages.success(request, _("The item has been saved."))
            return redirect("governance:item_detail", pk=item.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "governance/console/item_form.html", {"form": form, "item": item}, status=status)

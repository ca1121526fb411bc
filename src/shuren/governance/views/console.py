"""Staff console of the governance list (/governance/): the items with filters and export, one item
with its timeline, photos, holder and exactly the actions allowed, and the forms to add and edit items.

Views only adapt: what a user may see comes from ``selectors``, what they may do from
``workflow.allowed_actions``, every change from ``services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.photos import photo_response
from shuren.core.reauth import reauth_required
from shuren.core.scoping import can, has_action

from .. import selectors, services, workflow
from ..exports import ItemExporter
from ..forms import FilterForm, ItemForm
from ..models import GovernanceItem
from .actions import ACTIONS, TEXT_FIELDS, make_form

PAGE_SIZE = 50


def _detail(
    request: HttpRequest,
    item: GovernanceItem,
    *,
    bound: dict[str, Any] | None = None,
    stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    bound = bound or {}
    allowed = workflow.allowed_actions(item, actor=user)
    actions = [a for a in allowed if a in ACTIONS]
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
    claim = selectors.active_claim(item)
    return render(
        request,
        "governance/console/item_detail.html",
        {
            "item": item,
            "claim": claim,
            "past_claims": selectors.past_claims(item),
            "timeline": selectors.timeline_of(item, user, staff=True),
            "panel": panel,
            "kept": kept,
            "stale": stale,
            "can_edit": "edit" in allowed,
            "is_overdue": selectors.is_overdue(item),
            "photo_url": "governance:item_photo",
        },
        status=status,
    )


@requires("governance.view")
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.staff_item(request.user, pk))


@requires("governance.view")
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow action from the panel. The form carries the version the user read: if the item
    changed meanwhile nothing is written and the page comes back fresh with what they typed."""
    user = acting_user(request)
    item = selectors.staff_item(user, pk)
    if action not in ACTIONS:
        raise Http404
    form = make_form(action, item, user, request.POST, request.FILES, staff=True)
    if not form.is_valid():
        return _detail(request, item, bound={action: form}, status=400)
    try:
        if action == "claim":
            services.check_claimable(actor=user, item=item)
        if form.cleaned_data["version"] != item.version:
            return _stale(request, item, action)
        ACTIONS[action].perform(user, item, form.cleaned_data)
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
    user = acting_user(request)
    fresh = selectors.staff_item(user, item.pk)
    data = request.POST.copy()
    data["version"] = str(fresh.version)
    form = make_form(action, fresh, user, data, staff=True)
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
def item_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    item = selectors.staff_item(request.user, pk)
    return photo_response(selectors.item_photos(item), photo_pk)


# --- the list ------------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[FilterForm, QuerySet[GovernanceItem]]:
    """The filter form and the items it selects (``selectors.filter_items``, as the API does)."""
    user = request.user
    form = FilterForm(request.GET or None, places=selectors.place_choices(user), lists=selectors.visible_lists(user))
    items = selectors.visible_items(user)
    if form.is_valid():
        items = selectors.filter_items(items, **form.cleaned_data)
    return form, items


@requires("governance.view")
def item_list(request: HttpRequest) -> HttpResponse:
    form, items = _filtered(request)
    page = Paginator(selectors.listed_items(items).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_holders(page.object_list)
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


@requires("governance.view")
@reauth_required
def item_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx, audited. Residents who hold claims appear masked."""
    _form, items = _filtered(request)
    ordered = selectors.listed_items(items).order_by("-created_at")
    return ItemExporter(request.user).response(request, ordered)


# --- new and edit --------------------------------------------------------------------------------


@requires("governance.manage")
def item_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    initial: dict[str, Any] = {}
    if request.GET.get("list", "").isdigit():
        initial["governance_list"] = int(request.GET["list"])
    form = ItemForm(request.POST or None, user=user, lists=selectors.manageable_lists(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = selectors.appeal_by_reference(user, data.get("appeal_reference", ""))
            item = services.create_item(
                actor=user,
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
    user = acting_user(request)
    item = selectors.staff_item(user, pk)
    if "edit" not in workflow.allowed_actions(item, actor=user):
        if not can(user, "governance.manage", item):
            raise NotPermitted()
        messages.error(request, _("A finished item cannot be edited."))
        return redirect("governance:item_detail", pk=item.pk)
    form = ItemForm(request.POST or None, instance=item, user=user, lists=selectors.manageable_lists(user))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in services.items.EDITABLE_FIELDS if name in data}
        try:
            item = services.edit_item(
                actor=user, item=selectors.staff_item(user, pk), version=data["version"] or 0, **fields
            )
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

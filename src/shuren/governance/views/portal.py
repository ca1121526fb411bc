"""The resident's side of the governance list (/my/governance/), phone first: items and wishes open
for claiming in my community, claiming them, my claims with progress notes and photos, release and
report done; making a small wish and following it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, NotPermitted, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.photos import photo_response
from shuren.core.scoping import has_action
from shuren.places.selectors import acting_buildings, by_number

from .. import selectors, services, workflow
from ..forms import WishForm, model_choice_field
from ..models import GovernanceItem
from .actions import ACTIONS, make_form

PORTAL_LAYOUT = "governance/portal/layout_portal.html"
CONSOLE_LAYOUT = "governance/portal/layout_console.html"
# What residents may do from the portal; staff actions stay in the console.
PORTAL_ACTIONS = ("claim", "progress", "submit", "release")


def _layout(user: Any) -> str:
    return CONSOLE_LAYOUT if has_action(user, "web.view_dashboard") else PORTAL_LAYOUT


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"layout": _layout(request.user), **context}, status=status)


@requires("governance.claim")
def home(request: HttpRequest) -> HttpResponse:
    """Open items and wishes of my community, and what I hold now."""
    user = request.user
    page = Paginator(selectors.claimable_items(user), 30).get_page(request.GET.get("page"))
    holding = selectors.my_active_claims(user)
    return _page(
        request,
        "governance/portal/home.html",
        {
            "page": page,
            "holding": holding,
            "can_claim": workflow.has_claim_capacity(user),
            "can_wish": has_action(user, "governance.wish"),
        },
    )


@requires("governance.claim")
def my_claims(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_claims(request.user), 30).get_page(request.GET.get("page"))
    return _page(request, "governance/portal/my_claims.html", {"page": page})


def _detail(
    request: HttpRequest, item: GovernanceItem, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    bound = bound or {}
    actions = [a for a in workflow.allowed_actions(item, actor=user) if a in PORTAL_ACTIONS]
    panel = [
        {
            "action": action,
            "label": workflow.ACTION_LABELS[action],
            "form": bound.get(action) or make_form(action, item, user, staff=False),
            "open": action in bound or action == "claim",
            "url": reverse("governance_portal:action", args=[item.pk, action]),
            "multipart": action in ("progress", "submit"),
            "danger": action == "release",
        }
        for action in actions
    ]
    claim = selectors.active_claim(item)
    return _page(
        request,
        "governance/portal/detail.html",
        {
            "item": item,
            "claim": claim,
            "is_holder": workflow.is_holder(user, claim),
            "timeline": selectors.timeline_of(item, user, staff=False),
            "panel": panel,
            "photo_url": "governance_portal:photo",
            "is_overdue": selectors.is_overdue(item),
            "declined": item.status == "cancelled" and item.kind == "wish",
        },
        status=status,
    )


@requires("governance.claim")
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.openable_item(request.user, pk))


@requires("governance.claim")
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    item = selectors.openable_item(user, pk)
    if action not in PORTAL_ACTIONS:
        raise Http404
    form = make_form(action, item, user, request.POST, request.FILES, staff=False)
    if not form.is_valid():
        return _detail(request, item, bound={action: form}, status=400)
    try:
        if action == "claim":
            services.check_claimable(actor=user, item=item)
        if form.cleaned_data["version"] != item.version:
            raise StaleVersion()
        ACTIONS[action].perform(user, item, form.cleaned_data)
    except StaleVersion:
        fresh = selectors.openable_item(user, pk)
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        form = make_form(action, fresh, user, data, staff=False)
        form.is_valid()
        form.add_error(None, _("This item was changed meanwhile. Check it and send again; your text is kept."))
        return _detail(request, fresh, bound={action: form}, status=409)
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
        return redirect("governance_portal:detail", pk=item.pk)
    except NotPermitted as exc:
        if exc.code != "not-eligible":
            raise
        messages.error(request, exc.detail)
        return redirect("governance_portal:detail", pk=item.pk)
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return _detail(request, item, bound={action: form}, status=400)
    messages.success(request, str(ACTIONS[action].done))
    return redirect("governance_portal:detail", pk=item.pk)


@requires("governance.claim")
def item_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    item = selectors.openable_item(request.user, pk)
    return photo_response(selectors.item_photos(item), photo_pk)


# --- wishes --------------------------------------------------------------------------------------


@requires("governance.wish")
def my_wishes(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_wishes(request.user).order_by("-created_at"), 30).get_page(request.GET.get("page"))
    return _page(request, "governance/portal/my_wishes.html", {"page": page})


@requires("governance.wish")
def make_wish(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    home = selectors.home_building(user)
    form = WishForm(request.POST or None, buildings=by_number(acting_buildings(user, "governance.wish")))
    if home is None:
        model_choice_field(form, "building").empty_label = _("Choose the building")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wish = services.make_wish(
                actor=user, title=data["title"], description=data["description"], building=data["building"]
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except NotPermitted:
            form.add_error("building", _("You can make wishes only for the buildings of your area."))
        else:
            if wish.status == "proposed":
                messages.success(request, _("Thank you. The community will look at your wish and list it."))
            else:
                messages.success(request, _("Thank you. Your wish is listed; neighbours can now claim it."))
            return redirect("governance_portal:detail", pk=wish.pk)
    return _page(
        request,
        "governance/portal/wish_form.html",
        {"form": form, "home": home},
        status=400 if form.errors else 200,
    )

"""Staff console of governance: governance lists (index, one list, add and edit), wishes awaiting
review, and completion figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.acting import acting_user
from shuren.core import charts
from shuren.core.errors import OutOfScope
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action
from shuren.places.selectors import communities_where

from .. import selectors, services
from ..forms import ListForm
from ..models import GovernanceList
from .actions import make_form

# --- lists ---------------------------------------------------------------------------------------


@requires("governance.view")
def list_index(request: HttpRequest) -> HttpResponse:
    lists = selectors.lists_with_figures(request.user)
    return render(
        request,
        "governance/console/list_index.html",
        {"lists": lists, "can_manage": has_action(request.user, "governance.manage")},
    )


@requires("governance.view")
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.visible_list(request.user, pk)
    if batch is None:
        raise OutOfScope()
    items = selectors.list_items(request.user, batch)
    rows = selectors.with_holders(items)
    return render(
        request,
        "governance/console/list_detail.html",
        {
            "batch": batch,
            "items": rows,
            "figures": selectors.figures_of(items, batch.title),
            "can_manage": can(request.user, "governance.manage", batch),
        },
    )


@requires("governance.manage")
def list_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    batch: GovernanceList | None = None
    if pk is not None:
        batch = selectors.manageable_list(user, pk)
        if batch is None:
            raise OutOfScope()
    form = ListForm(request.POST or None, instance=batch, communities=communities_where(user, "governance.manage"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if batch is None:
                batch = services.create_list(
                    actor=user,
                    community=data["community"],
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                )
            else:
                batch = services.edit_list(
                    actor=user,
                    batch=batch,
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The list has been saved."))
            return redirect("governance:list_detail", pk=batch.pk)
    return render(
        request,
        "governance/console/list_form.html",
        {"form": form, "batch": batch},
        status=400 if form.errors else 200,
    )


# --- wishes, figures -----------------------------------------------------------------------------


@requires("governance.manage")
def wish_review(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    wishes = list(selectors.wishes_awaiting_review(user).select_related("beneficiary", "created_by"))
    panels = [
        {
            "item": wish,
            "list_form": make_form("list", wish, user, staff=True),
            "decline_form": make_form("decline", wish, user, staff=True),
        }
        for wish in wishes
    ]
    return render(request, "governance/console/wish_review.html", {"panels": panels})


FIGURE_BREAKDOWNS = [
    ("community", gettext_lazy("Community")),
    ("grid", gettext_lazy("Grid")),
    ("estate", gettext_lazy("Estate")),
    ("list", gettext_lazy("Governance list")),
]


@requires("governance.view")
def figures_page(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "community")
    if by not in selectors.BREAKDOWNS:
        by = "community"
    items = selectors.visible_items(request.user)
    rows = selectors.figures_by(items, by)
    return render(
        request,
        "governance/console/figures.html",
        {
            "by": by,
            "breakdowns": FIGURE_BREAKDOWNS,
            "rows": rows,
            "total": selectors.figures_of(items, _("Total")),
            "chart": charts.chart(
                "bar",
                [r.label for r in rows],
                [
                    {"name": _("Done"), "data": [r.done for r in rows]},
                    {"name": _("In hand"), "data": [r.claimed + r.submitted for r in rows]},
                    {"name": _("Open"), "data": [r.open for r in rows]},
                ],
            ),
        },
    )

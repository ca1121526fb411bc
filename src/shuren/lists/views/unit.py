"""A member unit's own pages (/lists/unit/): the resources it offers, which only its contacts keep
(another organisation's answer 404), and the matches asked of it, which it accepts or declines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition
from shuren.core.permissions import authenticated

from .. import selectors, services, workflow
from ..forms import OutcomeForm, ReasonForm
from ..models import MatchStatus
from .common import layout_for
from .console import resource_form_page


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"layout": layout_for(request.user), **context}, status=status)


@authenticated
def our_resources(request: HttpRequest) -> HttpResponse:
    user = request.user
    resources = selectors.own_resources(user).order_by("-created_at", "-pk")
    return _page(
        request,
        "lists/unit/resources.html",
        {
            "page": Paginator(resources, 50).get_page(request.GET.get("page")),
            "organizations": selectors.provider_organizations(user),
            "waiting": selectors.waiting_matches_count(user),
        },
    )


@authenticated
def our_resource(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.own_resource(request.user, pk)
    matches = resource.matches.select_related("need", "need__area").order_by("-created_at", "-pk")[:50]
    return _page(
        request,
        "lists/unit/resource_detail.html",
        {"resource": resource, "matches": matches, "live": (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)},
    )


@authenticated
def our_resource_new(request: HttpRequest) -> HttpResponse:
    if not selectors.provider_organization_ids(request.user):
        raise Http404
    return resource_form_page(
        request,
        staff=False,
        resource=None,
        done_url="lists:unit_resource",
        template="lists/unit/resource_form.html",
        context={"layout": layout_for(request.user)},
    )


@authenticated
def our_resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.own_resource(request.user, pk)
    return resource_form_page(
        request,
        staff=False,
        resource=resource,
        done_url="lists:unit_resource",
        template="lists/unit/resource_form.html",
        context={"layout": layout_for(request.user)},
    )


@authenticated
def requests_to_us(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    matches = selectors.matches_to_me(user)
    status = request.GET.get("status", "")
    if status in MatchStatus.values:
        matches = matches.filter(status=status)
    page = Paginator(matches, 50).get_page(request.GET.get("page"))
    rows = [{"match": match, "actions": workflow.match_actions(match, actor=user)} for match in page.object_list]
    return _page(
        request,
        "lists/unit/requests.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": MatchStatus.choices,
            "reason_form": ReasonForm(),
            "outcome_form": OutcomeForm(),
        },
    )


@authenticated
@require_POST
def answer_request(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept, decline (with a reason) or report done a match asked of one's organisation."""
    user = acting_user(request)
    match = selectors.provider_match(user, pk)
    try:
        if action == "accept":
            services.accept_match(actor=user, match=match)
            messages.success(request, _("Accepted: the community's staff see it on the need."))
        elif action == "decline":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why you decline."))
                return redirect("lists:unit_requests")
            services.decline_match(actor=user, match=match, reason=form.cleaned_data["reason"])
            messages.success(request, _("Declined."))
        elif action == "complete":
            outcome = OutcomeForm(request.POST)
            if not outcome.is_valid():
                messages.error(request, _("Say what was done."))
                return redirect("lists:unit_requests")
            services.complete_match(actor=user, match=match, outcome=outcome.cleaned_data["outcome"])
            messages.success(request, _("Done: thank you."))
        else:
            raise Http404
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    return redirect("lists:unit_requests")

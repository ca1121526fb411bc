"""Staff console of the lists (/lists/): the needs with filters, one need with its suggested
resources and its matches, the forms to record needs and resources, and the resources list.

Views only adapt: what a user may see comes from ``selectors``, the suggestions from ``matching``,
what they may do from ``workflow``, every change from ``services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action

from .. import matching, selectors, services, workflow
from ..forms import NeedFilterForm, NeedForm, OutcomeForm, ReasonForm, ResourceFilterForm, ResourceForm
from ..models import MatchStatus, Need, Resource
from .common import resource_fields

PAGE_SIZE = 50


# --- needs ---------------------------------------------------------------------------------------


@requires("lists.view")
def need_list(request: HttpRequest) -> HttpResponse:
    form = NeedFilterForm(request.GET or None)
    needs = selectors.visible_needs(request.user)
    if form.is_valid():
        needs = selectors.filter_needs(needs, **form.cleaned_data)
    page = Paginator(selectors.listed_needs(needs).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "lists/console/need_list.html",
        {
            "form": form,
            "page": page,
            "figures": selectors.need_figures(needs),
            "can_manage": has_action(request.user, "lists.manage"),
        },
    )


def _need_page(
    request: HttpRequest, need: Need, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    allowed = workflow.allowed_actions(need, actor=user)
    forms = forms or {}
    matches = [
        {"match": match, "actions": workflow.match_actions(match, actor=user)} for match in selectors.matches_of(need)
    ]
    suggestions = matching.candidates(need) if "propose" in allowed else []
    return render(
        request,
        "lists/console/need_detail.html",
        {
            "need": need,
            "events": selectors.need_events(need),
            "matches": matches,
            "suggestions": suggestions,
            "can_propose": "propose" in allowed,
            "can_close": "close" in allowed,
            "close_form": forms.get("close") or ReasonForm(),
            "reason_form": forms.get("reason") or ReasonForm(),
            "outcome_form": forms.get("outcome") or OutcomeForm(),
            "source_url": _source_url(need),
        },
        status=status,
    )


def _source_url(need: Need) -> str:
    if need.source_type == "appeals.appeal" and need.source_id:
        return reverse("appeals:appeal_detail", args=[need.source_id])
    return ""


@requires("lists.view")
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _need_page(request, selectors.staff_need(request.user, pk))


@requires("lists.manage")
def need_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = NeedForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            need = services.create_need(actor=user, **data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The need is on the list."))
            return redirect("lists:need_detail", pk=need.pk)
    return render(request, "lists/console/need_form.html", {"form": form}, status=400 if form.errors else 200)


@requires("lists.manage")
@require_POST
def need_from_appeal(request: HttpRequest, appeal_pk: int) -> HttpResponse:
    """One click on an appeal: the need it shows, linked back to it (the same need on a second click)."""
    from shuren.appeals.models import Appeal

    user = acting_user(request)
    appeal = Appeal.objects.select_related("category", "area", "estate", "building", "dwelling").filter(pk=appeal_pk)
    found = appeal.first()
    if found is None:
        raise Http404
    need = services.need_from_appeal(actor=user, appeal=found)
    messages.success(request, _("The need is on the list, linked to the appeal."))
    return redirect("lists:need_detail", pk=need.pk)


@requires("lists.manage")
@require_POST
def need_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    need = selectors.staff_need(user, pk)
    try:
        resource_pk = int(request.POST.get("resource", ""))
        quantity = int(request.POST.get("quantity") or need.quantity)
    except ValueError:
        raise Http404 from None
    resource = Resource.objects.select_related("organization", "person").filter(pk=resource_pk).first()
    if resource is None:
        raise Http404
    try:
        services.propose_match(actor=user, need=need, resource=resource, quantity=quantity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The resource is proposed; its provider is asked to accept."))
    return redirect("lists:need_detail", pk=need.pk)


@requires("lists.manage")
@require_POST
def need_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    need = selectors.staff_need(user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _need_page(request, need, forms={"close": form}, status=400)
    try:
        services.close_need(actor=user, need=need, version=need.version, reason=form.cleaned_data["reason"])
    except (InvalidTransition, StaleVersion) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The need is closed."))
    return redirect("lists:need_detail", pk=need.pk)


@requires("lists.view")
@require_POST
def match_action(request: HttpRequest, pk: int, match_pk: int, action: str) -> HttpResponse:
    """Staff withdraw a match or record it done (the provider answers from its own pages)."""
    user = acting_user(request)
    need = selectors.staff_need(user, pk)
    match = selectors.staff_match(user, need, match_pk)
    if action == "withdraw":
        form: Any = ReasonForm(request.POST)
        key = "reason"
    elif action == "complete":
        form = OutcomeForm(request.POST)
        key = "outcome"
    else:
        raise Http404
    if not form.is_valid():
        return _need_page(request, need, forms={key: form}, status=400)
    try:
        if action == "withdraw":
            services.withdraw_match(actor=user, match=match, reason=form.cleaned_data["reason"])
            messages.success(request, _("The match is withdrawn."))
        else:
            services.complete_match(actor=user, match=match, outcome=form.cleaned_data["outcome"])
            messages.success(request, _("Done: the need is met."))
    except InvalidTransition as exc:
        messages.error(request, exc.detail)
    return redirect("lists:need_detail", pk=need.pk)


# --- resources -----------------------------------------------------------------------------------


@requires("lists.view")
def resource_list(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    resources = selectors.visible_resources(request.user)
    if form.is_valid():
        resources = selectors.filter_resources(resources, **form.cleaned_data)
    page = Paginator(selectors.listed_resources(resources).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "lists/console/resource_list.html",
        {"form": form, "page": page, "can_manage": has_action(request.user, "lists.manage")},
    )


@requires("lists.view")
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.staff_resource(request.user, pk)
    matches = (
        resource.matches.filter(need__in=selectors.visible_needs(request.user))
        .select_related("need")
        .order_by("-created_at", "-pk")[:50]
    )
    return render(
        request,
        "lists/console/resource_detail.html",
        {
            "resource": resource,
            "matches": matches,
            "can_edit": can(request.user, "lists.manage", resource),
            "edit_url": "lists:resource_edit",
            "live": (MatchStatus.PROPOSED, MatchStatus.ACCEPTED),
        },
    )


def resource_form_page(
    request: HttpRequest,
    *,
    staff: bool,
    resource: Resource | None,
    done_url: str,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The resource form, for staff (console) and for a member unit's contact (its own pages)."""
    user = acting_user(request)
    form = ResourceForm(request.POST or None, user=user, staff=staff, instance=resource)
    if request.method == "POST" and form.is_valid():
        data = resource_fields(form.cleaned_data)
        version = data.pop("version", None)
        try:
            if resource is None:
                organization = data.pop("organization")
                saved = services.create_resource(actor=user, organization=organization, **data)
            else:
                data.pop("organization", None)
                if data.get("remaining") is None:
                    data["remaining"] = resource.remaining
                if data.get("area") is None:
                    data["area"] = resource.area
                saved = services.edit_resource(
                    actor=user, resource=resource, version=version or resource.version, **data
                )
        except StaleVersion:
            form.add_error(None, _("Someone changed this resource meanwhile: reload the page and try again."))
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect(done_url, pk=saved.pk)
    if resource is not None and not form.is_bound:
        form.initial["version"] = resource.version
    return render(
        request, template, {"form": form, "resource": resource, **(context or {})}, status=400 if form.errors else 200
    )


@requires("lists.manage")
def resource_new(request: HttpRequest) -> HttpResponse:
    return resource_form_page(
        request,
        staff=True,
        resource=None,
        done_url="lists:resource_detail",
        template="lists/console/resource_form.html",
    )


@requires("lists.manage")
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.staff_resource(request.user, pk)
    if not can(request.user, "lists.manage", resource):
        raise Http404
    return resource_form_page(
        request,
        staff=True,
        resource=resource,
        done_url="lists:resource_detail",
        template="lists/console/resource_form.html",
    )

"""The staff's queue of link requests: the grid worker of the dwelling's grid and the community's
staff (``signup.review`` there) link each to a resident of the home, or refuse it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shuren.accounts.acting import acting_user
from shuren.core.permissions import requires
from shuren.core.scoping import can

from .. import selectors
from ..forms import ApproveForm, RefuseForm
from ..models import LinkRequest, LinkStatus
from ..services import approve_link, refuse_link
from ..services.links import REVIEW_ACTION


@requires(REVIEW_ACTION)
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    status = request.GET.get("status") or LinkStatus.PENDING
    rows = selectors.filter_requests(user, request.GET.dict())
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(user)
    tabs = [(value, label, counts[value]) for value, label in LinkStatus.choices]
    context = {
        "page": page,
        "tabs": tabs,
        "status": status,
        "grids": selectors.queue_grids(user),
        "grid": request.GET.get("grid", ""),
        "q": request.GET.get("q", ""),
    }
    return render(request, "signup/console/queue.html", context)


def _detail(request: HttpRequest, link: LinkRequest, approve: ApproveForm, refuse: RefuseForm) -> HttpResponse:
    residents = list(selectors.residents_of(link.dwelling).select_related("user"))
    context = {
        "link": link,
        "approve": approve,
        "refuse": refuse,
        "residents": residents,
        "pending": link.status == LinkStatus.PENDING,
    }
    status = 400 if approve.errors or refuse.errors else 200
    return render(request, "signup/console/detail.html", context, status=status)


def _approve_form(request: HttpRequest, link: LinkRequest, data: Any = None) -> ApproveForm:
    candidates = list(selectors.residents_of(link.dwelling).filter(user__isnull=True))
    may_register = can(acting_user(request), "people.change_person", link.community)
    return ApproveForm(data, candidates=candidates, may_register=may_register)


@requires(REVIEW_ACTION)
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.request_for_review(acting_user(request), pk)
    return _detail(request, link, _approve_form(request, link), RefuseForm())


@requires(REVIEW_ACTION)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    link = selectors.request_for_review(user, pk)
    form = _approve_form(request, link, request.POST)
    if form.is_valid():
        person = form.chosen_person()
        register_as = (
            None if person is not None else (form.cleaned_data["relation"], form.cleaned_data["residence_status"])
        )
        try:
            approve_link(actor=user, request=link, person=person, register_as=register_as)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The account is linked to the resident."))
            return redirect("signup:queue")
    return _detail(request, link, form, RefuseForm())


@requires(REVIEW_ACTION)
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    link = selectors.request_for_review(user, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            refuse_link(actor=user, request=link, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason", exc.messages)
        else:
            messages.success(request, _("The request was refused; the resident sees why."))
            return redirect("signup:queue")
    return _detail(request, link, _approve_form(request, link), form)

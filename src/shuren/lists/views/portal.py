"""The resident's side (/my/lists/): asking for a resource of the serviceable list, and one's own
requests with what became of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from .. import selectors, services
from ..forms import RequestForm
from .common import layout_for


@requires("lists.request")
def my_requests(request: HttpRequest) -> HttpResponse:
    user = request.user
    person = selectors.person_of(user)
    return render(
        request,
        "lists/portal/my_requests.html",
        {
            "layout": layout_for(user),
            "page": Paginator(selectors.my_requests(user), 30).get_page(request.GET.get("page")),
            "community": person.community if person is not None else None,
        },
    )


@requires("lists.request")
def my_request(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.my_request(request.user, pk)
    return render(
        request,
        "lists/portal/my_request.html",
        {"layout": layout_for(request.user), "need": need, "matches": need.matches.all()},
    )


@requires("lists.request")
def request_resource(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for one resource of one's own community's serviceable list (404 for any other)."""
    user = acting_user(request)
    resource = selectors.requestable_resource(user, pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.request_resource(actor=user, resource=resource, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your request is sent. You can follow it here."))
            return redirect("lists_portal:my_request", pk=need.pk)
    return render(
        request,
        "lists/portal/request_form.html",
        {"layout": layout_for(user), "resource": resource, "form": form},
        status=400 if form.errors else 200,
    )

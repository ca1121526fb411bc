"""Organisations: the scoped list with coverage figures, one organisation with its members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shuren.core.masking import display_name
from shuren.core.permissions import requires
from shuren.core.scoping import has_action, visible
from shuren.places.models import Area, AreaKind, Estate

from .forms import OrganizationFilterForm, OrganizationForm
from .selectors import coverage, visible_organizations
from .services import create_organization


@requires("orgs.view_organization")
def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = Paginator(visible_organizations(request.user, kind=kind), 50).get_page(request.GET.get("page"))
    headings = [_("Name"), _("Kind"), _("Area"), _("Estate"), _("Members")]
    return render(
        request,
        "orgs/organization_list.html",
        {
            "form": form,
            "page": page,
            "headings": headings,
            "coverage": coverage(request.user),
            "can_add": has_action(request.user, "orgs.change_organization"),
        },
    )


@requires("orgs.view_organization")
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(visible_organizations(request.user), pk=pk)
    full = has_action(request.user, "people.change_person")
    members = org.memberships.filter(to_on__isnull=True).select_related("person").order_by("role")
    for membership in members:
        membership.shown_name = display_name(membership.person.name, full=full)
    return render(request, "orgs/organization_detail.html", {"org": org, "members": members})


@requires("orgs.change_organization")
def organization_new(request: HttpRequest) -> HttpResponse:
    areas = visible(Area.objects.filter(kind=AreaKind.COMMUNITY), request.user, "orgs.change_organization")
    estates = visible(Estate.objects.all(), request.user, "orgs.change_organization")
    form = OrganizationForm(request.POST or None, areas=areas, estates=estates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = create_organization(
                actor=request.user,
                kind=data["kind"],
                name=data["name"],
                area=data["area"],
                estate=data["estate"],
                pledged_resources=data["pledged_resources"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The organisation has been registered."))
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(request, "orgs/organization_form.html", {"form": form})

"""Organisations: the scoped list with coverage figures, one organisation with its members,
registering and editing organisations, members, partnerships and service stations, the export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.exports import requested_format
from shuren.core.forms import add_validation_errors
from shuren.core.masking import display_name
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action, require
from shuren.people.selectors import people_of_community
from shuren.places.selectors import communities_where, estates_of_community, estates_where

from ..exports import OrganizationExporter
from ..forms import (
    MemberForm,
    OrganizationEditForm,
    OrganizationFilterForm,
    OrganizationForm,
    PartnershipForm,
    StationForm,
)
from ..models import Organization
from ..selectors import (
    counterparts_for,
    coverage,
    current_members,
    paired_with,
    partnerships_of,
    visible_organizations,
)
from ..services import (
    add_member,
    add_partnership,
    add_station,
    create_organization,
    end_membership,
    update_organization,
)

CHANGE = "orgs.change_organization"


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
    members = current_members(org)
    for membership in members:
        membership.shown_name = display_name(membership.person.name, full=full)  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "org": org,
            "members": members,
            "partnerships": partnerships_of(org),
            "paired_with": paired_with(org),
            "can_change": can(request.user, "orgs.change_organization", org),
        },
    )


def _org_to_change(request: HttpRequest, pk: int) -> Organization:
    org = get_object_or_404(visible_organizations(request.user), pk=pk)
    require(request.user, "orgs.change_organization", org)
    return org


@requires("orgs.change_organization")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org_to_change(request, pk)
    people = people_of_community(request.user, org.area)
    form = MemberForm(request.POST or None, people=people, full_names=has_action(request.user, "people.change_person"))
    if request.method == "POST" and form.is_valid():
        try:
            add_member(actor=acting_user(request), organization=org, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The member has been added."))
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(
        request,
        "orgs/post_form.html",
        {"form": form, "title": _("Add a member to %(org)s") % {"org": org}, "cancel_url": _detail_url(org)},
    )


@requires("orgs.change_organization")
@require_POST
def member_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    org = _org_to_change(request, pk)
    membership = get_object_or_404(current_members(org), pk=membership_pk)
    end_membership(actor=acting_user(request), membership=membership)
    messages.success(request, _("The membership has ended."))
    return redirect("orgs:organization_detail", pk=org.pk)


@requires("orgs.change_organization")
def partnership_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(visible_organizations(request.user), pk=pk)
    communities = communities_where(request.user, CHANGE)
    counterparts = counterparts_for(request.user, unit, communities)
    form = PartnershipForm(
        request.POST or None,
        communities=communities,
        counterparts=counterparts,
        initial={"from_on": timezone.localdate(), "community": unit.area_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            add_partnership(actor=acting_user(request), unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The partnership has been recorded."))
            return redirect("orgs:organization_detail", pk=unit.pk)
    return render(
        request,
        "orgs/post_form.html",
        {"form": form, "title": _("Partnership of %(org)s") % {"org": unit}, "cancel_url": _detail_url(unit)},
    )


@requires("orgs.change_organization")
def station_new(request: HttpRequest) -> HttpResponse:
    communities = communities_where(request.user, CHANGE)
    estates = estates_where(request.user, CHANGE)
    form = StationForm(request.POST or None, communities=communities, estates=estates)
    if request.method == "POST" and form.is_valid():
        try:
            add_station(actor=acting_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The service station has been registered."))
            return redirect("orgs:organization_list")
    return render(
        request,
        "orgs/post_form.html",
        {"form": form, "title": _("Register a service station"), "cancel_url": reverse("orgs:organization_list")},
    )


@requires("orgs.change_organization")
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org_to_change(request, pk)
    initial = {
        "name": org.name,
        "estate": org.estate_id,
        "pledged_resources": org.pledged_resources,
        "is_red": org.is_red,
    }
    form = OrganizationEditForm(request.POST or None, estates=estates_of_community(org.area), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_organization(actor=acting_user(request), organization=org, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(
        request,
        "orgs/post_form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": org.name}, "cancel_url": _detail_url(org)},
    )


def _detail_url(org: Organization) -> str:
    return reverse("orgs:organization_detail", args=[org.pk])


@requires("orgs.change_organization")
def organization_new(request: HttpRequest) -> HttpResponse:
    areas = communities_where(request.user, CHANGE)
    estates = estates_where(request.user, CHANGE)
    form = OrganizationForm(request.POST or None, areas=areas, estates=estates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = create_organization(
                actor=acting_user(request),
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


@requires("orgs.view_organization")
def organization_export(request: HttpRequest) -> HttpResponse:
    """The filtered organisations list as xlsx (no personal data: names of organisations only)."""
    form = OrganizationFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    return OrganizationExporter(request.user).response(
        request,
        visible_organizations(request.user, kind=kind),
        fmt=requested_format(request),
        filters={"kind": kind},
        detail={"kind": kind},
    )

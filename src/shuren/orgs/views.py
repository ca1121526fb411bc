"""Organisations: the scoped list with coverage figures, one organisation with its members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.core.forms import add_validation_errors
from shuren.core.masking import display_name
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action, require, visible
from shuren.places.models import Area, AreaKind, Estate

from .forms import OrganizationFilterForm, OrganizationForm
from .models import Organization
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
    partnerships = org.partnerships.select_related("community", "counterpart").order_by("-from_on")
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "org": org,
            "members": members,
            "partnerships": partnerships,
            "paired_with": org.paired_with.select_related("unit").order_by("-from_on"),
            "can_change": can(request.user, "orgs.change_organization", org),
        },
    )


def _org_to_change(request: HttpRequest, pk: int) -> Organization:
    org = get_object_or_404(visible_organizations(request.user), pk=pk)
    require(request.user, "orgs.change_organization", org)
    return org


@requires("orgs.change_organization")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    from shuren.people.models import Person

    from .forms import MemberForm
    from .services import add_member

    org = _org_to_change(request, pk)
    people = visible(Person.objects.filter(community=org.area), request.user, "people.view_person").order_by(
        "name_pinyin"
    )
    form = MemberForm(request.POST or None, people=people, full_names=has_action(request.user, "people.change_person"))
    if request.method == "POST" and form.is_valid():
        try:
            add_member(actor=request.user, organization=org, **form.cleaned_data)
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
    from .services import end_membership

    org = _org_to_change(request, pk)
    membership = get_object_or_404(org.memberships.filter(to_on__isnull=True), pk=membership_pk)
    end_membership(actor=request.user, membership=membership)
    messages.success(request, _("The membership has ended."))
    return redirect("orgs:organization_detail", pk=org.pk)


@requires("orgs.change_organization")
def partnership_add(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils import timezone

    from .forms import PartnershipForm
    from .services import add_partnership

    unit = get_object_or_404(visible_organizations(request.user), pk=pk)
    communities = visible(Area.objects.filter(kind=AreaKind.COMMUNITY), request.user, "orgs.change_organization")
    counterparts = visible_organizations(request.user).filter(area__in=communities).exclude(pk=unit.pk)
    form = PartnershipForm(
        request.POST or None,
        communities=communities,
        counterparts=counterparts,
        initial={"from_on": timezone.localdate(), "community": unit.area_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            add_partnership(actor=request.user, unit=unit, **form.cleaned_data)
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
    from .forms import StationForm
    from .services import add_station

    communities = visible(Area.objects.filter(kind=AreaKind.COMMUNITY), request.user, "orgs.change_organization")
    estates = visible(Estate.objects.all(), request.user, "orgs.change_organization")
    form = StationForm(request.POST or None, communities=communities, estates=estates)
    if request.method == "POST" and form.is_valid():
        try:
            add_station(actor=request.user, **form.cleaned_data)
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
    from .forms import OrganizationEditForm
    from .services import update_organization

    org = _org_to_change(request, pk)
    initial = {
        "name": org.name,
        "estate": org.estate_id,
        "pledged_resources": org.pledged_resources,
        "is_red": org.is_red,
    }
    form = OrganizationEditForm(
        request.POST or None, estates=Estate.objects.filter(community=org.area), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_organization(actor=request.user, organization=org, **form.cleaned_data)
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


ORGANIZATION_HEADINGS = ["名称 Name", "类型 Kind", "社区 Community", "小区 Estate", "成员 Members", "承诺资源 Pledged"]


@requires("orgs.view_organization")
def organization_export(request: HttpRequest) -> HttpResponse:
    """The filtered organisations list as xlsx (no personal data: names of organisations only)."""
    from shuren.audit.services import record_event
    from shuren.core.exports import xlsx_response

    form = OrganizationFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    rows = [
        (
            org.name,
            org.get_kind_display(),
            org.area.name,
            org.estate.name if org.estate_id else "",
            org.member_count,
            org.pledged_resources,
        )
        for org in visible_organizations(request.user, kind=kind)
    ]
    record_event("orgs.organization_export", request=request, detail={"rows": len(rows), "kind": kind})
    return xlsx_response("organisations.xlsx", "组织 Organisations", ORGANIZATION_HEADINGS, rows, user=request.user)

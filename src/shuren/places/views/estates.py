"""Estates, buildings, stairwell units and dwellings: the registry of places below the grid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import StaleVersion
from shuren.core.exports import XLSX_CONTENT_TYPE, requested_format
from shuren.core.forms import SpreadsheetImportForm, add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action

from ..exports import EstateExporter
from ..forms import (
    BuildingEditForm,
    BuildingForm,
    DwellingForm,
    EstateEditForm,
    EstateFilterForm,
    EstateForm,
    MoveBuildingForm,
)
from ..models import Building, Estate
from ..selectors import (
    communities_where,
    grids_where,
    units_with_dwellings,
    visible_buildings,
    visible_dwellings,
    visible_estates,
)
from ..services import (
    create_building,
    create_estate,
    import_dwellings,
    move_building_to_grid,
    update_building,
    update_dwelling,
    update_estate,
)
from ..services.imports import blank_template


def _grids_for(user: Any, estate: Estate) -> Any:
    return grids_where(user, "places.change_place", estate.community_id)


def _filtered_estates(request: HttpRequest) -> tuple[EstateFilterForm, Any]:
    form = EstateFilterForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    return form, visible_estates(request.user, query=query)


@requires("places.view_place")
def estate_list(request: HttpRequest) -> HttpResponse:
    form, estates = _filtered_estates(request)
    page = Paginator(estates, 50).get_page(request.GET.get("page"))
    headings = [_("Estate"), _("Community"), _("Buildings"), _("Dwellings"), _("Address")]
    return render(
        request,
        "places/estate_list.html",
        {
            "form": form,
            "page": page,
            "headings": headings,
            "can_add": has_action(request.user, "places.change_place"),
            "can_export": has_action(request.user, "places.export_area"),
        },
    )


@requires("places.export_area")
def estate_export(request: HttpRequest) -> HttpResponse:
    _form, estates = _filtered_estates(request)
    return EstateExporter(request.user).response(
        request, estates, fmt=requested_format(request), filters={"q": request.GET.get("q", "")[:80]}
    )


@requires("places.change_place")
def estate_new(request: HttpRequest) -> HttpResponse:
    communities = communities_where(request.user, "places.change_place")
    form = EstateForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            estate = create_estate(
                actor=acting_user(request),
                community=form.cleaned_data["community"],
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
                built_year=form.cleaned_data["built_year"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The estate has been added."))
            return redirect("places:estate_detail", pk=estate.pk)
    return render(request, "places/estate_form.html", {"form": form})


@requires("places.view_place")
def estate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    estate = get_object_or_404(visible_estates(request.user), pk=pk)
    buildings = visible_buildings(request.user, estate=estate)
    return render(
        request,
        "places/estate_detail.html",
        {"estate": estate, "buildings": buildings, "can_add": can(request.user, "places.change_place", estate)},
    )


@requires("places.change_place")
def building_new(request: HttpRequest, pk: int) -> HttpResponse:
    estate = get_object_or_404(visible_estates(request.user), pk=pk)
    if not can(request.user, "places.change_place", estate):
        raise Http404
    form = BuildingForm(request.POST or None, grids=_grids_for(request.user, estate))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            building = create_building(
                actor=acting_user(request),
                estate=estate,
                grid=data["grid"],
                number=data["number"],
                floors=data["floors"],
                has_lift=data["has_lift"],
                units=data["units"],
                rooms_per_floor=data["rooms_per_floor"] or 0,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The building has been added."))
            return redirect("places:building_detail", pk=building.pk)
    return render(request, "places/building_form.html", {"form": form, "estate": estate})


@requires("places.view_place")
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_object_or_404(visible_buildings(request.user), pk=pk)
    units = units_with_dwellings(building)
    move_form = None
    if can(request.user, "places.change_place", building):
        move_form = MoveBuildingForm(
            initial={"grid": building.grid_id, "version": building.version},
            grids=_grids_for(request.user, building.estate),
        )
    return render(
        request,
        "places/building_detail.html",
        {"building": building, "units": units, "move_form": move_form, "can_change": move_form is not None},
    )


@requires("places.change_place")
@require_POST
def building_move(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_object_or_404(visible_buildings(request.user), pk=pk)
    if not can(request.user, "places.change_place", building):
        raise Http404
    form = MoveBuildingForm(request.POST, grids=_grids_for(request.user, building.estate))
    if form.is_valid():
        try:
            move_building_to_grid(
                actor=acting_user(request),
                building=Building.objects.get(pk=pk),
                grid=form.cleaned_data["grid"],
                version=form.cleaned_data["version"],
            )
        except StaleVersion:
            messages.error(request, _("Someone else changed this building meanwhile. Check and try again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The building now belongs to %(grid)s.") % {"grid": form.cleaned_data["grid"]})
    else:
        messages.error(request, _("Choose a grid of this community."))
    return redirect("places:building_detail", pk=pk)


@requires("places.change_place")
def dwelling_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dwelling = get_object_or_404(visible_dwellings(request.user), pk=pk)
    if not can(request.user, "places.change_place", dwelling):
        raise Http404
    return _edit_versioned(
        request,
        dwelling,
        DwellingForm,
        ["room", "floor", "exclusive_area", "held_by_developer"],
        lambda **data: update_dwelling(actor=acting_user(request), dwelling=dwelling, **data),
        done_url=reverse("places:building_detail", args=[dwelling.unit.building_id]),
        saved=_("The dwelling has been saved."),
        stale=_("Someone else changed this dwelling meanwhile. Check and try again."),
        template="places/dwelling_form.html",
        context={"dwelling": dwelling},
    )


@requires("places.change_place")
def dwelling_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(blank_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="dwellings-template.xlsx"'
    return response


@requires("places.change_place")
def dwelling_import(request: HttpRequest) -> HttpResponse:
    """房屋信息导入: check every row, then add or update all dwellings, or none."""
    communities = communities_where(request.user, "places.change_place")
    form = SpreadsheetImportForm(request.POST or None, request.FILES or None, communities=communities)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_dwellings(
            actor=acting_user(request),
            community=form.cleaned_data["community"],
            data=form.cleaned_data["file"].read(),
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok and not result.dry_run:
            messages.success(
                request,
                _("%(created)d dwellings added, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("places:estate_list")
    return render(request, "places/dwelling_import.html", {"form": form, "result": result})


def _edit_versioned(
    request: HttpRequest,
    obj: Any,
    form_class: type[forms.Form],
    fields: list[str],
    save: Callable[..., object],
    *,
    done_url: str,
    template: str,
    context: dict[str, Any],
    saved: str = "",
    stale: str = "",
) -> HttpResponse:
    """The shared edit page of a versioned place: initial values with the version, save, then either
    back to ``done_url`` or the form again with the stale-version or field errors and what was typed."""
    initial = {name: getattr(obj, name) for name in fields} | {"version": obj.version}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except StaleVersion:
            form.add_error(None, stale or _("Someone else changed this meanwhile. Check and try again."))
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, saved or _("The changes have been saved."))
            return redirect(done_url)
    return render(request, template, {"form": form, **context})


@requires("places.change_place")
def estate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    estate = get_object_or_404(visible_estates(request.user), pk=pk)
    if not can(request.user, "places.change_place", estate):
        raise Http404
    return _edit_versioned(
        request,
        estate,
        EstateEditForm,
        ["name", "address", "built_year"],
        lambda **data: update_estate(actor=acting_user(request), estate=estate, **data),
        done_url=reverse("places:estate_detail", args=[estate.pk]),
        template="places/place_edit.html",
        context={"title": estate.name, "back": estate},
    )


@requires("places.change_place")
def building_edit(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_object_or_404(visible_buildings(request.user), pk=pk)
    if not can(request.user, "places.change_place", building):
        raise Http404
    return _edit_versioned(
        request,
        building,
        BuildingEditForm,
        ["number", "floors", "has_lift"],
        lambda **data: update_building(actor=acting_user(request), building=building, **data),
        done_url=reverse("places:building_detail", args=[building.pk]),
        template="places/place_edit.html",
        context={"title": str(building), "back": building},
    )

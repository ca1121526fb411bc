"""Area pages: the scoped list, an area with its children, editing and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from shuren.accounts.acting import acting_user
from shuren.core.errors import StaleVersion
from shuren.core.exports import requested_format
from shuren.core.permissions import requires
from shuren.core.reauth import reauth_required
from shuren.core.scoping import can, has_action, require

from ..exports import AreaExporter, filters_text
from ..forms import AreaFilterForm, AreaForm
from ..models import Area
from ..selectors import visible_ancestors, visible_areas, visible_children
from ..services import change_area


def _filters(request: HttpRequest) -> tuple[AreaFilterForm, dict[str, Any]]:
    form = AreaFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@requires("places.view_area")
def area_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = Paginator(visible_areas(request.user, filters=filters), 50).get_page(request.GET.get("page"))
    headings = [_("Name"), _("Kind"), _("Code"), _("Parent"), _("Population"), _("Sub-areas")]
    return render(
        request,
        "places/area_list.html",
        {
            "form": form,
            "page": page,
            "headings": headings,
            "can_export": has_action(request.user, "places.export_area"),
        },
    )


@requires("places.view_area")
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk)
    require(request.user, "places.view_area", area)
    return render(
        request,
        "places/area_detail.html",
        {
            "area": area,
            "children": visible_children(request.user, area),
            "ancestors": visible_ancestors(request.user, area),
            "can_change": can(request.user, "places.change_area", area),
        },
    )


@requires("places.change_area")
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk)
    require(request.user, "places.change_area", area)
    form = AreaForm(request.POST or None, instance=area, initial={"version": area.version})
    if request.method == "POST" and form.is_valid():
        try:
            change_area(
                actor=acting_user(request),
                area=Area.objects.get(pk=pk),
                version=form.cleaned_data["version"],
                changes={name: form.cleaned_data[name] for name in ("name", "population", "households")},
            )
        except StaleVersion:
            form.add_error(
                None,
                _(
                    "Someone else changed this area while you were editing. Your input is kept "
                    "below; reload the page to see their change, then apply yours again."
                ),
            )
        else:
            messages.success(request, _("The area has been saved."))
            return redirect("places:area_detail", pk=pk)
    return render(request, "places/area_edit.html", {"area": area, "form": form})


@requires("places.export_area")
@reauth_required
def area_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    areas = visible_areas(request.user, "places.export_area", filters=filters)
    return AreaExporter(request.user).response(
        request, areas, fmt=requested_format(request), filters=filters_text(filters)
    )

"""<option> lists for the shared place chooser (places.place_forms): the buildings of an estate or
the units of a building, limited to where the user may perform the form's action."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.accounts.roles import ALL_ACTIONS
from shuren.core.permissions import authenticated

from .models import Unit
from .place_forms import acting_buildings, by_number


@authenticated
def place_options(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    options: list[tuple[int, str]] = []
    reset_units = False
    if action in ALL_ACTIONS:
        buildings = acting_buildings(request.user, action)
        estate_id, building_id = request.GET.get("estate", ""), request.GET.get("building", "")
        if estate_id.isdigit():
            options = [(b.pk, b.number) for b in by_number(buildings.filter(estate_id=estate_id))]
            reset_units = True
        elif building_id.isdigit():
            units = Unit.objects.filter(building__in=buildings, building_id=building_id).order_by("number")
            options = [(u.pk, u.number) for u in units]
    return render(request, "places/_place_options.html", {"options": options, "reset_units": reset_units})

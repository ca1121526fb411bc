"""<option> lists for the shared place chooser (places.forms.PlaceFieldsMixin): the buildings of an
estate or the units of a building, limited to where the user may perform the form's action."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuren.accounts.roles import ALL_ACTIONS
from shuren.core.permissions import authenticated

from ..selectors import place_options as options_for


@authenticated
def place_options(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    options: list[tuple[int, str]] = []
    reset_units = False
    if action in ALL_ACTIONS:
        estate_id, building_id = request.GET.get("estate", ""), request.GET.get("building", "")
        options = options_for(request.user, action, estate_id=estate_id, building_id=building_id)
        reset_units = estate_id.isdigit()
    return render(request, "places/_place_options.html", {"options": options, "reset_units": reset_units})

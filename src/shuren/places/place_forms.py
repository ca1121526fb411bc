"""The place chooser shared by the forms of every PlacedModel (governance items, meetings, proposals,
conventions, ballots): community or grid, then optionally estate, building and stairwell unit, each
list limited to the places where the user may perform the form's action.

Choosing an estate reloads the buildings and choosing a building reloads the units through
``places:place_options`` (htmx); without script the form still validates the combination.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shuren.core.scoping import scope_paths, scope_q

from .models import Area, AreaKind, Building, Estate, Unit

PLACE_FIELDS = ("area", "estate", "building", "unit")


def by_number(buildings: QuerySet[Building]) -> QuerySet[Building]:
    """Buildings in the order people count them: 2座 before 10座."""
    return buildings.order_by(Length("number"), "number")


def acting_areas(user: Any, action: str) -> QuerySet[Area]:
    """Communities and grids where ``user`` may perform ``action``, and the community around a grid
    they work in (an estate-wide matter is filed under the community)."""
    paths = scope_paths(user, action)
    if not paths:
        return Area.objects.none()
    enclosing = [p.rsplit(".", 1)[0] for p in paths if p.count(".") >= 3]
    return (
        Area.objects.filter(kind__in=(AreaKind.GRID, AreaKind.COMMUNITY))
        .filter(scope_q(paths, "path") | Q(path__in=enclosing))
        .order_by("path")
    )


def acting_estates(user: Any, action: str) -> QuerySet[Estate]:
    """Estates of the user's areas, and for grid-level users the estates with a building in their grid."""
    paths = scope_paths(user, action)
    if not paths:
        return Estate.objects.none()
    via_buildings = Building.objects.filter(scope_q(paths, "scope")).values("estate")
    return Estate.objects.filter(scope_q(paths, "scope") | Q(pk__in=via_buildings)).order_by("name")


def acting_buildings(user: Any, action: str) -> QuerySet[Building]:
    paths = scope_paths(user, action)
    if not paths:
        return Building.objects.none()
    return Building.objects.filter(scope_q(paths, "scope")).select_related("estate")


class PlaceFieldsMixin:
    """Mix into a ModelForm whose model is a PlacedModel and call ``setup_places(user, action)``.

    ``levels`` limits how fine the place may be (a ballot needs at least an estate; a convention may
    be community-wide). The model's ``clean_place`` does the consistency checks."""

    fields: dict[str, forms.Field]
    data: Any
    initial: dict[str, Any]
    instance: Any

    def setup_places(self, user: Any, action: str, *, require: str = "area") -> None:
        areas = acting_areas(user, action)
        estates = acting_estates(user, action)
        buildings = acting_buildings(user, action)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: (
            f"{a.parent.name} {a.name}" if a.kind == AreaKind.GRID else a.name
        )
        self.fields["estate"].queryset = estates
        estate_id = self._chosen("estate")
        building_id = self._chosen("building")
        self.fields["building"].queryset = by_number(buildings.filter(estate_id=estate_id)) if estate_id else buildings
        self.fields["building"].label_from_instance = lambda b: f"{b.estate.name} {b.number}"
        units = Unit.objects.filter(building__in=buildings)
        self.fields["unit"].queryset = units.filter(building_id=building_id) if building_id else units.none()
        options = reverse("places:place_options")
        self.fields["estate"].widget.attrs.update(
            {"hx-get": f"{options}?action={action}", "hx-target": "#id_building", "hx-trigger": "change"}
        )
        self.fields["building"].widget.attrs.update(
            {"hx-get": f"{options}?action={action}", "hx-target": "#id_unit", "hx-trigger": "change"}
        )
        for name in PLACE_FIELDS[PLACE_FIELDS.index(require) + 1 :]:
            self.fields[name].required = False
        for name in PLACE_FIELDS[: PLACE_FIELDS.index(require) + 1]:
            self.fields[name].required = True
        # The area is completed from the estate or building when left empty.
        if require != "area":
            self.fields["area"].required = False

    def _chosen(self, name: str) -> int | None:
        value = (
            self.data.get(name) if self.data else (self.initial.get(name) or getattr(self.instance, f"{name}_id", None))
        )
        try:
            return int(value) if value else None
        except (TypeError, ValueError):
            return None

    def clean_places(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """Complete the place and check it; errors land on the field they concern."""
        probe = self.instance
        for name in PLACE_FIELDS:
            setattr(probe, name, cleaned.get(name))
        if not (cleaned.get("area") or cleaned.get("estate") or cleaned.get("building")):
            raise ValidationError({"area": _("Choose a community or a grid.")})
        probe.clean_place()
        for name in PLACE_FIELDS:
            cleaned[name] = getattr(probe, name)
        return cleaned

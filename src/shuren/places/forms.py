"""The registry's forms (input only; their choices come from selectors), and the place chooser
shared by the forms of every PlacedModel (governance items, meetings, proposals, conventions,
ballots): community or grid, then optionally estate, building and stairwell unit, each list limited
to the places where the user may perform the form's action.

Choosing an estate reloads the buildings and choosing a building reloads the units through
``places:place_options`` (htmx); without script the form still validates the combination.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Area, AreaKind
from .selectors import acting_areas, acting_buildings, acting_estates, acting_units, buildings_of_estate

PLACE_FIELDS = ("area", "estate", "building", "unit")


def relabel(field: forms.Field, label: Callable[[Any], str]) -> None:
    """Show each choice of a model-choice ``field`` as ``label(obj)``."""
    # Django reads label_from_instance off the field instance; replacing it there is its documented way.
    field.label_from_instance = label  # type: ignore[attr-defined]


def _choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model-choice field ``name`` (typed, to set its queryset)."""
    return cast(forms.ModelChoiceField, form.fields[name])


class AreaFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any"))] + list(AreaKind.choices))


class AreaForm(forms.ModelForm):
    """What staff may change about an area; code and parent fix its place in the tree."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Area
        fields = ["name", "population", "households"]


class EstateForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    name = forms.CharField(label=_("Name"), max_length=80)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    built_year = forms.IntegerField(label=_("Year built"), required=False, min_value=1900, max_value=2100)

    def __init__(self, *args: Any, communities: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "community").queryset = communities


class BuildingForm(forms.Form):
    number = forms.CharField(
        label=_("Building number"), max_length=20, help_text=_("As written on the building, e.g. 5座")
    )
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none())
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=120, required=False)
    has_lift = forms.BooleanField(label=_("Has a lift"), required=False)
    units = forms.IntegerField(label=_("Stairwell units"), min_value=1, max_value=20, initial=1)
    rooms_per_floor = forms.IntegerField(
        label=_("Dwellings per floor in each unit"),
        min_value=0,
        max_value=20,
        initial=0,
        required=False,
        help_text=_("Fill in to lay out the dwellings now (rooms 101, 102, ...); 0 to add them later."),
    )

    def __init__(self, *args: Any, grids: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "grid").queryset = grids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rooms_per_floor") and not data.get("floors"):
            self.add_error("floors", _("Give the number of floors to lay out the dwellings."))
        return data


class MoveBuildingForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, grids: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "grid").queryset = grids


class DwellingForm(forms.Form):
    room = forms.CharField(label=_("Room"), max_length=20)
    floor = forms.IntegerField(label=_("Floor"), min_value=-10, max_value=200)
    exclusive_area = forms.DecimalField(
        label=_("Exclusive floor area (m²)"),
        max_digits=8,
        decimal_places=2,
        min_value=1,
        required=False,
        help_text=_("From the title deed (不动产权证): owners' votes are weighed by it."),
    )
    held_by_developer = forms.BooleanField(
        label=_("unsold or undelivered (held by the developer)"),
        required=False,
        help_text=_("The developer's unsold or undelivered dwellings count together as one owner in owners' votes."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EstateEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    built_year = forms.IntegerField(label=_("Year built"), required=False, min_value=1900, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput)


class BuildingEditForm(forms.Form):
    number = forms.CharField(
        label=_("Building number"), max_length=20, help_text=_("As written on the building, e.g. 5座")
    )
    floors = forms.IntegerField(label=_("Floors"), min_value=1, max_value=120, required=False)
    has_lift = forms.BooleanField(label=_("Has a lift"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EstateFilterForm(forms.Form):
    q = forms.CharField(label=_("Estate name or address"), required=False, max_length=80)


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
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas
        relabel(self.fields["area"], lambda a: f"{a.parent.name} {a.name}" if a.kind == AreaKind.GRID else a.name)
        cast(forms.ModelChoiceField, self.fields["estate"]).queryset = estates
        estate_id = self._chosen("estate")
        building_id = self._chosen("building")
        building = cast(forms.ModelChoiceField, self.fields["building"])
        building.queryset = buildings_of_estate(buildings, estate_id) if estate_id else buildings
        relabel(building, lambda b: f"{b.estate.name} {b.number}")
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = acting_units(buildings, building_id=building_id)
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

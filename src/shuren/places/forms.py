from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Area, AreaKind


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

    def __init__(self, *args: object, communities: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["community"].queryset = communities


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

    def __init__(self, *args: object, grids: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["grid"].queryset = grids

    def clean(self) -> dict:
        data = super().clean()
        if data.get("rooms_per_floor") and not data.get("floors"):
            self.add_error("floors", _("Give the number of floors to lay out the dwellings."))
        return data


class MoveBuildingForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, grids: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["grid"].queryset = grids


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

"""The organisations registry's forms (input only; their choices come from selectors)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput
from shuren.core.masking import display_name
from shuren.people.models import Person
from shuren.places.forms import relabel
from shuren.places.models import Area, Building, Estate

from .models import MembershipRole, Organization, OrganizationKind, PartnershipKind, PostKind


def _choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class OrganizationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any"))] + list(OrganizationKind.choices))


class OrganizationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    area = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False)
    pledged_resources = forms.CharField(
        label=_("Pledged resources"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, areas: QuerySet[Area], estates: QuerySet[Estate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "area").queryset = areas
        _choice(self, "estate").queryset = estates


class PostFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Post"), required=False)

    def __init__(self, *args: Any, kinds: QuerySet[PostKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "kind").choices = [("", _("Any"))] + [(k.code, k.name) for k in kinds]


class PostAssignmentForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Post"), queryset=PostKind.objects.none())
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    area = forms.ModelChoiceField(label=_("Grid or community"), queryset=Area.objects.none())
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("For building and unit leaders. Hold Ctrl (or ⌘) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    place_name = forms.CharField(label=_("Lane or street"), max_length=100, required=False)
    from_on = forms.DateField(label=_("From"), widget=DateInput())
    to_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        help_text=_("Leave empty for an open term. The post is vacant from this day."),
        widget=DateInput(),
    )

    def __init__(
        self,
        *args: Any,
        kinds: QuerySet[PostKind],
        people: QuerySet[Person],
        areas: QuerySet[Area],
        buildings: QuerySet[Building],
        full_names: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "kind").queryset = kinds
        _choice(self, "person").queryset = people
        relabel(self.fields["person"], lambda p: display_name(p.name, full=full_names))
        _choice(self, "area").queryset = areas
        _choice(self, "buildings").queryset = buildings
        relabel(self.fields["buildings"], lambda b: f"{b.estate.name} {b.number}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_on") and data.get("from_on") and data["to_on"] < data["from_on"]:
            self.add_error("to_on", _("The term cannot end before it begins."))
        return data


class PostKindForm(forms.ModelForm):
    class Meta:
        model = PostKind
        fields = ["code", "name", "level", "duties", "visit_interval_days", "position"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"))
    from_on = forms.DateField(label=_("From"), required=False, widget=DateInput())

    def __init__(self, *args: Any, people: QuerySet[Person], full_names: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "person").queryset = people
        relabel(self.fields["person"], lambda p: display_name(p.name, full=full_names))
        _choices(self, "role").choices = MembershipRole.choices


class StationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=100, required=False)

    def __init__(self, *args: Any, communities: QuerySet[Area], estates: QuerySet[Estate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "community").queryset = communities
        _choice(self, "estate").queryset = estates


class PartnershipForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    counterpart = forms.ModelChoiceField(
        label=_("Paired with"),
        queryset=Organization.objects.none(),
        required=False,
    )
    commitments = forms.CharField(
        label=_("Commitments"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    from_on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(
        self, *args: Any, communities: QuerySet[Area], counterparts: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "kind").choices = PartnershipKind.choices
        _choice(self, "community").queryset = communities
        _choice(self, "counterpart").queryset = counterparts


class OrganizationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False)
    pledged_resources = forms.CharField(
        label=_("Pledged resources"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_red = forms.BooleanField(label=_("Led by party members (红色)"), required=False)

    def __init__(self, *args: Any, estates: QuerySet[Estate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "estate").queryset = estates

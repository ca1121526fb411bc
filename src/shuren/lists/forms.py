"""Forms of the lists' pages. They only collect input; the services decide. Choices come from the
selectors (the places and organisations of the user's areas)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput
from shuren.orgs.models import Organization
from shuren.places.forms import relabel
from shuren.places.models import Area, Building
from shuren.places.selectors import acting_buildings

from . import selectors
from .models import ALL_WEEK, Category, Concerned, NeedSource, NeedStatus, ResourceKind, Urgency

DATE = DateInput()
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (1, _("Mon")),
    (2, _("Tue")),
    (4, _("Wed")),
    (8, _("Thu")),
    (16, _("Fri")),
    (32, _("Sat")),
    (64, _("Sun")),
]
STAFF_SOURCES = [(s.value, s.label) for s in NeedSource if s != NeedSource.SERVICEABLE_REQUEST]


def _every(choices: Any) -> list[tuple[Any, Any]]:
    return [("", _("All")), *choices]


def _place_label(area: Any) -> str:
    return f"{area.parent.name} {area.name}" if area.parent_id and area.kind == "grid" else area.name


class NeedForm(forms.Form):
    title = forms.CharField(label=_("What is needed"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Community or grid"), queryset=Area.objects.none()
    )
    building: forms.ModelChoiceField[Building] = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )
    concerned = forms.ChoiceField(label=_("Who is concerned"), choices=Concerned.choices)
    concerned_text = forms.CharField(label=_("Who, in words"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    wanted_on = forms.DateField(label=_("Wanted by"), required=False, widget=DATE)
    quantity = forms.IntegerField(label=_("How many (people, times, items)"), min_value=1, initial=1)
    source = forms.ChoiceField(label=_("Where we heard of it"), choices=STAFF_SOURCES, initial=NeedSource.STAFF)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = cast(forms.ModelChoiceField, self.fields["area"])
        area.queryset = selectors.place_choices(user).select_related("parent")
        relabel(area, _place_label)
        building = cast(forms.ModelChoiceField, self.fields["building"])
        building.queryset = acting_buildings(user, "lists.manage").select_related("estate")
        relabel(building, lambda b: f"{b.estate.name} {b.number}")


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = _every(
            [("live", _("Not finished")), *NeedStatus.choices]
        )
        cast(forms.ChoiceField, self.fields["category"]).choices = _every(Category.choices)
        cast(forms.ChoiceField, self.fields["urgency"]).choices = _every(Urgency.choices)
        cast(forms.ChoiceField, self.fields["source"]).choices = _every(NeedSource.choices)


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    active = forms.ChoiceField(
        label=_("Active"), required=False, choices=[("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = _every(ResourceKind.choices)
        cast(forms.ChoiceField, self.fields["category"]).choices = _every(Category.choices)


class ResourceForm(forms.Form):
    """A resource, as staff or a member unit's contact record it. Staff choose the provider among the
    organisations of their areas; a contact among their own organisations."""

    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Offered by"), queryset=Organization.objects.none()
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        label=_("Offered in"), queryset=Area.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, initial=1)
    remaining = forms.IntegerField(label=_("Remaining"), min_value=0, required=False)
    unit_label = forms.CharField(label=_("Counted in"), max_length=10, required=False)
    venue_seats = forms.IntegerField(label=_("Seats (venues)"), min_value=0, required=False)
    skills = forms.CharField(label=_("Skills (volunteers)"), max_length=200, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(label=_("From (time)"), required=False, widget=TIME)
    closes_at = forms.TimeField(label=_("Until (time)"), required=False, widget=TIME)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    is_public = forms.BooleanField(label=_("On the public serviceable list"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, staff: bool, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"].update(
                {name: getattr(instance, name) for name in self.base_fields if hasattr(instance, name)}
            )
            kwargs["initial"]["organization"] = instance.organization_id
            kwargs["initial"]["area"] = instance.area_id
            kwargs["initial"]["weekdays"] = [bit for bit, _label in WEEKDAYS if instance.weekdays & bit]
        else:
            kwargs.setdefault("initial", {}).setdefault("weekdays", [bit for bit, _label in WEEKDAYS])
        super().__init__(*args, **kwargs)
        organization = cast(forms.ModelChoiceField, self.fields["organization"])
        organization.queryset = (
            selectors.organization_choices(user) if staff else selectors.provider_organizations(user)
        )
        area = cast(forms.ModelChoiceField, self.fields["area"])
        places = selectors.place_choices(user) if staff else selectors.provider_places(user)
        area.queryset = places.select_related("parent")
        relabel(area, _place_label)
        if instance is not None:
            self.fields["organization"].disabled = True

    def clean_weekdays(self) -> int:
        bits = sum(set(self.cleaned_data.get("weekdays") or []))
        if not 0 < bits <= ALL_WEEK:
            raise forms.ValidationError(_("Choose at least one weekday."))
        return bits


class ProposeForm(forms.Form):
    resource = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("What was done"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(forms.Form):
    description = forms.CharField(
        label=_("What you need, in a few words"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    quantity = forms.IntegerField(label=_("How many"), min_value=1, initial=1)

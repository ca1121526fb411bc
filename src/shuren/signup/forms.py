"""Sign-up's forms: input and its validation; every choice comes from the selectors."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import PhoneField
from shuren.people.models import Person, ResidenceRelation, ResidenceStatus
from shuren.places.forms import relabel
from shuren.places.models import Area, Building, Dwelling

from . import selectors


class PhoneForm(forms.Form):
    phone = PhoneField(label=_("Mobile number"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "autofocus": True})


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )


class NewPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class AccountForm(NewPasswordForm):
    full_name = forms.CharField(label=_("Your name"), max_length=50)
    field_order = ["full_name", "password1", "password2"]


class ChangePhoneForm(forms.Form):
    phone = PhoneField(label=_("New mobile number"))
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LinkForm(forms.Form):
    """The resident names their community, then building and home (the lists narrow as they
    choose: htmx reloads them, and without script the page does on "Show the buildings and homes")."""

    community_search = forms.CharField(
        label=_("Find your community"),
        max_length=40,
        required=False,
        help_text=_("Type part of its name, e.g. 大新, then show the buildings and homes."),
    )
    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    dwelling = forms.ModelChoiceField(label=_("Home"), queryset=Dwelling.objects.none())
    name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        help_text=_("As the community registered you (the name on your ID card)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community_field = cast("forms.ModelChoiceField[Any]", self.fields["community"])
        search = str((self.data if self.is_bound else self.initial).get("community_search") or "")
        chosen = self._chosen_id("community")
        community = Area.objects.filter(pk=chosen).first() if chosen else None
        community_field.queryset = selectors.community_choices(search, chosen)
        building_field = cast("forms.ModelChoiceField[Any]", self.fields["building"])
        building_field.queryset = selectors.building_choices(community)
        building = self._chosen("building", building_field.queryset)
        dwelling_field = cast("forms.ModelChoiceField[Any]", self.fields["dwelling"])
        dwelling_field.queryset = selectors.dwelling_choices(building)
        relabel(dwelling_field, lambda d: f"{d.unit.number} {d.room}")
        relabel(building_field, lambda b: f"{b.estate.name} {b.number}")
        relabel(community_field, lambda a: f"{a.parent.name} · {a.name}" if a.parent_id else a.name)
        for name in ("community_search", "community", "building"):
            self.fields[name].widget.attrs["data-link-step"] = name

    def _chosen_id(self, name: str) -> int | None:
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        if value in (None, "") or not str(value).isdigit():
            return None
        return int(value)

    def _chosen(self, name: str, queryset: Any) -> Any:
        chosen = self._chosen_id(name)
        return queryset.filter(pk=chosen).first() if chosen else None


class ApproveForm(forms.Form):
    NEW = "new"

    person = forms.ChoiceField(label=_("Resident of this home"), widget=forms.RadioSelect)
    relation = forms.ChoiceField(
        label=_("Relation to the home (for a new resident)"), choices=ResidenceRelation.choices, required=False
    )
    residence_status = forms.ChoiceField(
        label=_("Residence status (for a new resident)"), choices=ResidenceStatus.choices, required=False
    )

    def __init__(self, *args: Any, candidates: list[Person], may_register: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.pk): p for p in candidates}
        choices: list[tuple[str, str]] = [(str(p.pk), f"{p.name} · {p.masked_phone or '—'}") for p in candidates]
        if may_register:
            choices.append((self.NEW, str(_("Not in the registry: register them in this home"))))
        else:
            del self.fields["relation"], self.fields["residence_status"]
        cast(forms.ChoiceField, self.fields["person"]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") == self.NEW:
            if not data.get("relation"):
                self.add_error("relation", _("Choose the relation to the home."))
            if not data.get("residence_status"):
                self.add_error("residence_status", _("Choose the residence status."))
        return data

    def chosen_person(self) -> Person | None:
        return self.candidates.get(self.cleaned_data["person"])


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the resident sees it)"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

"""The people registry's forms (input only; their choices come from selectors)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput, IdNumberField, MaskedPhoneField, PhoneField
from shuren.core.masking import display_name
from shuren.places.forms import relabel
from shuren.places.models import Area, Estate

from .models import LeagueProfile, PartyMembership, Person, PersonTag, ResidenceRelation, ResidenceStatus, VisitPurpose


def _choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def _choices(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, pinyin, last 4 digits of mobile, or address"), required=False, max_length=50)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args: Any, tags: QuerySet[PersonTag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "tag").choices = [("", _("All tags"))] + [(t.code, t.name) for t in tags]


class PersonEditForm(forms.Form):
    """The mobile number is shown masked: left as shown it is kept, a new number replaces it, and
    "remove" clears it. Seeing the stored number is a reveal (core.pii), never this form."""

    name = forms.CharField(label=_("Name"), max_length=50)
    phone = MaskedPhoneField(
        label=_("Mobile number"),
        required=False,
        help_text=_("Leave the masked number as it is to keep it, or type a new number to replace it."),
    )
    remove_phone = forms.BooleanField(label=_("Remove the mobile number"), required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False)
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=PersonTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, tags: QuerySet[PersonTag], masked_phone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "tags").queryset = tags
        cast(MaskedPhoneField, self.fields["phone"]).mask = masked_phone
        self.initial["phone"] = masked_phone
        if not masked_phone:
            del self.fields["remove_phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove_phone") and data.get("phone") not in (None, MaskedPhoneField.UNCHANGED):
            self.add_error("phone", _("Either type a new number or remove the number, not both."))
        return data

    def phone_to_save(self, current: str) -> str:
        """The mobile number the person should have after this edit, given the ``current`` one."""
        if self.cleaned_data.get("remove_phone"):
            return ""
        phone = self.cleaned_data["phone"]
        return current if phone is MaskedPhoneField.UNCHANGED else phone


class _BranchForm(forms.ModelForm):
    """A party or league record: its branch is chosen among those the person may belong to."""

    def __init__(self, *args: Any, branches: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "branch").queryset = branches


class PartyMembershipForm(_BranchForm):
    class Meta:
        model = PartyMembership
        fields = ["status", "relation", "branch", "joined_on", "workplace", "reported_on"]
        widgets = {
            "joined_on": DateInput(),
            "reported_on": DateInput(),
        }


class LeagueProfileForm(_BranchForm):
    class Meta:
        model = LeagueProfile
        fields = ["branch", "joined_on", "traits", "needs", "abilities", "willingness"]
        widgets = {
            "joined_on": DateInput(),
            "traits": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
            "abilities": forms.Textarea(attrs={"rows": 2}),
            "willingness": forms.Textarea(attrs={"rows": 2}),
        }


class PersonForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = IdNumberField(label=_("ID number"), required=False)
    phone = PhoneField(label=_("Mobile number"), required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, initial="汉族", required=False)

    def __init__(self, *args: Any, communities: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "community").queryset = communities


class FullExportForm(forms.Form):
    reason = forms.CharField(label=_("Reason for exporting full numbers"), min_length=2, max_length=200)


class VisitForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Resident"), queryset=Person.objects.none())
    purpose = forms.ChoiceField(label=_("Purpose"))
    findings = forms.CharField(
        label=_("What you found"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    follow_up = forms.CharField(
        label=_("Follow-up needed"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )

    def __init__(self, *args: Any, people: QuerySet[Person], full_names: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "person").queryset = people
        relabel(self.fields["person"], lambda p: display_name(p.name, full=full_names))
        _choices(self, "purpose").choices = VisitPurpose.choices


class ResidenceForm(forms.Form):
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none())
    building = forms.CharField(label=_("Building"), max_length=20, help_text=_("As written, e.g. 1座"))
    unit = forms.CharField(label=_("Unit"), max_length=20, help_text=_("e.g. 1单元"))
    room = forms.CharField(label=_("Room"), max_length=20)
    relation = forms.ChoiceField(label=_("Relation"))
    status = forms.ChoiceField(label=_("Residence status"))
    from_on = forms.DateField(label=_("From"), required=False, widget=DateInput())

    def __init__(self, *args: Any, estates: QuerySet[Estate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "estate").queryset = estates
        _choices(self, "relation").choices = ResidenceRelation.choices
        _choices(self, "status").choices = ResidenceStatus.choices

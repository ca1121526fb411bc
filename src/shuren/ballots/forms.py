"""Forms of the ballots console and portal: thin adapters over the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateTimeInput
from shuren.places.forms import PlaceFieldsMixin

from . import selectors
from .models import RULE_FIELDS, Ballot, BallotRule, Matter, VoteChoice

DATETIME = DateTimeInput()


class BallotForm(PlaceFieldsMixin, forms.ModelForm):  # type: ignore[misc]  # PlaceFieldsMixin types initial as a dict
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Ballot
        fields = ["title", "description", "area", "estate", "building", "unit", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "unit": _("For a lift: the owners of the stairwell unit vote, as local lift rules require."),
            "opens_at": _("Empty: voting opens when you open the ballot."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_places(user, "ballots.manage", require="estate")
        for name in ("opens_at", "closes_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean returns its cleaned_data
        return self.clean_places(cleaned)

    def service_fields(self) -> dict[str, Any]:
        names = ("title", "description", "area", "estate", "building", "unit", "opens_at", "closes_at")
        return {name: self.cleaned_data.get(name) for name in names}


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = ["title", "description", "civil_code_item", "rule", "convention_version"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "rule": _("Empty: art. 278 decides by the item (6 to 8 are major matters, the rest ordinary)."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = cast(forms.ModelChoiceField, self.fields["rule"])
        rule.queryset = selectors.active_rules()
        rule.required = False
        version = cast(forms.ModelChoiceField, self.fields["convention_version"])
        version.required = False
        version.queryset = selectors.undecided_convention_versions(user)

    def service_fields(self) -> dict[str, Any]:
        names = ("title", "description", "civil_code_item", "rule", "convention_version")
        return {name: self.cleaned_data.get(name) for name in names}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(VersionForm):
    reason = forms.CharField(label=_("Why is the ballot cancelled?"), max_length=500)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect)
    voter = forms.IntegerField(widget=forms.HiddenInput)


class PaperVoteForm(forms.Form):
    paper_number = forms.CharField(label=_("Paper ballot number"), max_length=40)

    def __init__(self, *args: Any, matters: list[Matter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matters = matters
        for matter in matters:
            self.fields[f"matter_{matter.pk}"] = forms.ChoiceField(
                label=f"{matter.position}. {matter.title}",
                choices=[("", _("— not marked —")), *VoteChoice.choices],
                required=False,
            )

    def choices(self) -> list[tuple[Matter, str]]:
        return [
            (m, self.cleaned_data[f"matter_{m.pk}"]) for m in self.matters if self.cleaned_data.get(f"matter_{m.pk}")
        ]


class VoterSearchForm(forms.Form):
    building = forms.CharField(label=_("Building"), max_length=20, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)


class RuleForm(forms.ModelForm):
    class Meta:
        model = BallotRule
        fields = list(RULE_FIELDS)

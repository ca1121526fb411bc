"""Forms of the proposal pages (staff and residents)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnswerKind


class ProposalForm(forms.Form):
    place = forms.ChoiceField(label=_("For which place"))
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(
        label=_("What do you propose, and why?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, places: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["place"]).choices = [(p.key, p.label) for p in places]


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Answer"), choices=AnswerKind.choices)
    text = forms.CharField(label=_("Answer text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    publish = forms.BooleanField(label=_("Publish to the residents now"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PolicyForm(forms.Form):
    signature_threshold = forms.IntegerField(label=_("Co-signatures needed"), min_value=1, max_value=10000)
    signing_days = forms.IntegerField(label=_("Days open for co-signing"), min_value=1, max_value=365)

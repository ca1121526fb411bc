"""Forms of the convention pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.places.forms import PlaceFieldsMixin

from .models import Convention


class ConventionForm(PlaceFieldsMixin, forms.ModelForm):
    initial: dict[str, Any]  # the mixin's and the form's: one dict
    text = forms.CharField(label=_("Text of version 1"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))

    class Meta:
        model = Convention
        fields = ["title", "area", "estate", "building", "unit"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_places(user, "conventions.manage")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean returns its cleaned_data
        return self.clean_places(cleaned)


class VersionStartForm(forms.Form):
    change_summary = forms.CharField(label=_("What will change"), max_length=300)


class DraftForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 16}))
    change_summary = forms.CharField(label=_("What changed"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

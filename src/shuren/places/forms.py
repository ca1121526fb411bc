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

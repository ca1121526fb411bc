from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.places.models import Area, Estate

from .models import OrganizationKind


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

    def __init__(self, *args: object, areas: object, estates: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].queryset = areas
        self.fields["estate"].queryset = estates

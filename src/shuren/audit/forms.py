from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput

from .models import Outcome


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"), required=False, max_length=64, help_text=_("Beginning of the action name, e.g. auth.")
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("Any"))] + list(Outcome.choices))
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    ip = forms.CharField(label=_("IP address"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

"""The preferences form: a switch per kind and channel, quiet hours, the e-mail digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import MonthInput

from .models import DEFAULT_QUIET_END, DEFAULT_QUIET_START, SmsBudget
from .selectors import ChoiceRow


class PreferencesForm(forms.Form):
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        initial=DEFAULT_QUIET_START,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control w-auto"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("until"),
        initial=DEFAULT_QUIET_END,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control w-auto"}, format="%H:%M"),
    )
    email_digest = forms.BooleanField(
        label=_("Send my e-mails once a day, together"),
        required=False,
        help_text=_("Urgent messages still come at once."),
    )

    def __init__(self, *args: Any, rows: list[ChoiceRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for _channel, name, on in row.cells:
                self.fields[name] = forms.BooleanField(required=False, initial=on)

    def choices(self) -> dict[tuple[str, str], bool]:
        chosen: dict[tuple[str, str], bool] = {}
        for row in self.rows:
            for channel, name, _on in row.cells:
                chosen[(row.code, channel)] = bool(self.cleaned_data.get(name))
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if isinstance(start, dt.time) and isinstance(end, dt.time):
            data["quiet_start"], data["quiet_end"] = start.replace(second=0), end.replace(second=0)
        return data


class SmsBudgetForm(forms.ModelForm):
    """The administrator's SMS budget of a community for a month (any day of it)."""

    class Meta:
        model = SmsBudget
        fields = ["community", "month", "messages"]
        widgets = {"month": MonthInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month = self.fields["month"]
        assert isinstance(month, forms.DateField)
        month.input_formats = ["%Y-%m", "%Y-%m-%d"]
        self.fields["month"].help_text = _("The budget holds for the whole month.")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control w-auto")

    def clean_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["month"]
        return month.replace(day=1)

    def validate_unique(self) -> None:  # a second budget for the same month replaces the first
        pass

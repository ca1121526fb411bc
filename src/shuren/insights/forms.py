"""The period chooser of the dashboards and the monthly-report request."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput, MonthInput

from .evaluation import check_formula
from .models import Indicator, PeriodKind

MAX_PERIOD_DAYS = 3 * 366

PRESETS = [
    ("30d", _("Last 30 days")),
    ("month", _("This month")),
    ("last_month", _("Last month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("12m", _("Last 12 months")),
    ("custom", _("Dates below")),
]


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The (first, last) day a preset names, ending today at the latest."""
    first_of_month = today.replace(day=1)
    if preset == "month":
        return first_of_month, today
    if preset == "last_month":
        last = first_of_month - dt.timedelta(days=1)
        return last.replace(day=1), last
    if preset == "quarter":
        return first_of_month.replace(month=(today.month - 1) // 3 * 3 + 1), today
    if preset == "year":
        return today.replace(month=1, day=1), today
    if preset == "12m":
        year_ago = first_of_month.replace(year=first_of_month.year - 1)
        return (year_ago + dt.timedelta(days=32)).replace(day=1), today
    return today - dt.timedelta(days=29), today


class PeriodForm(forms.Form):
    """A preset, or two dates; a wrong pair of dates keeps what was typed and says why."""

    preset = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        today = timezone.localdate()
        preset = data.get("preset") or ("custom" if data.get("start") or data.get("end") else "30d")
        if preset != "custom":
            data["start"], data["end"] = preset_period(preset, today)
        else:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates, or choose a period."))
            if start > end:
                raise forms.ValidationError(_("The first day comes after the last."))
            if (end - start).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose at most three years."))
        data["preset"] = preset
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period, or the default (the last 30 days) when the form is not valid."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return preset_period("30d", timezone.localdate())

    def shown_dates(self) -> tuple[dt.date | None, dt.date | None]:
        """The dates the two date fields show: the period in force, or, when the pair was refused,
        the dates as they were typed (a date that cannot be read stays empty)."""
        if not self.is_bound or self.is_valid():
            return self.period()
        shown: list[dt.date | None] = []
        for name in ("start", "end"):
            try:
                shown.append(self.fields[name].clean(self.data.get(name)))
            except forms.ValidationError:
                shown.append(None)
        return shown[0], shown[1]


def last_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class ReportRequestForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
    )
    email_to = forms.CharField(
        label=_("Send to (e-mail addresses, optional)"),
        required=False,
        max_length=500,
        help_text=_("Separate addresses with commas."),
    )

    def clean_month(self) -> dt.date:
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("Choose a month that has begun."))
        return month

    def clean_email_to(self) -> list[str]:
        addresses = [a.strip() for a in self.cleaned_data["email_to"].replace("，", ",").split(",") if a.strip()]
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not an e-mail address.") % {"address": address}
                ) from None
        return addresses[:10]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "formula", "unit", "target", "weight", "direction", "position", "is_active"]

    def clean_formula(self) -> str:
        formula = self.cleaned_data["formula"].strip()
        check_formula(formula)
        return formula


class EvaluationForm(forms.Form):
    """Which period's ranking to show (or compute)."""

    period_kind = forms.ChoiceField(label=_("Period"), choices=[])
    start = forms.DateField(
        label=_("Beginning in"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period_kind"]).choices = PeriodKind.choices

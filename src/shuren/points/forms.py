"""Forms of the points pages (console and portal). They only collect input; the services decide."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput

from .models import PointsPolicy, Reward, Rule
from .selectors import PERIODS

DATE = DateInput()


class RuleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Rule
        fields = ["name", "event", "scheme", "community", "points", "party_members_only", "valid_from", "valid_to"]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args: Any, communities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities
        self.fields["community"].required = False
        cast(forms.ModelChoiceField, self.fields["community"]).empty_label = _("Every community")
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def _post_clean(self) -> None:  # the services validate and save
        pass


class PolicyForm(forms.ModelForm):
    class Meta:
        model = PointsPolicy
        fields = ["expiry_months"]

    def _post_clean(self) -> None:
        pass


class RewardForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Reward
        fields = [
            "community",
            "name",
            "description",
            "supplier",
            "cost",
            "stock",
            "per_person_limit",
            "pickup",
            "available_until",
            "is_active",
        ]
        widgets = {"available_until": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, communities: QuerySet[Any], suppliers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities
        cast(forms.ModelChoiceField, self.fields["supplier"]).queryset = suppliers
        self.fields["supplier"].required = False
        if self.instance.pk:
            self.fields["community"].disabled = True
            self.initial["version"] = self.instance.version
        elif communities.count() == 1:
            self.initial.setdefault("community", communities.first())

    def _post_clean(self) -> None:
        pass


class AdjustForm(forms.Form):
    DIRECTIONS = [("credit", _("Add points")), ("debit", _("Deduct points"))]

    direction = forms.ChoiceField(label=_("Adjustment"), choices=DIRECTIONS, initial="credit")
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100000)
    reason = forms.CharField(label=_("Reason"), max_length=150)
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("key", uuid.uuid4().hex)

    def signed_points(self) -> int:
        points = self.cleaned_data["points"]
        return points if self.cleaned_data["direction"] == "credit" else -points


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=150)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=list(PERIODS.items()), required=False, initial="month")
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)


class LeaderboardForm(PeriodForm):
    community: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Community"), queryset=None, required=False)
    grid: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False)

    def __init__(self, *args: Any, communities: QuerySet[Any], grids: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities
        cast(forms.ModelChoiceField, self.fields["grid"]).queryset = grids


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    community: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Community"), queryset=None, required=False)

    def __init__(self, *args: Any, communities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities


class RedemptionFilterForm(forms.Form):
    code = forms.CharField(label=_("Collection code"), required=False, max_length=6)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import RedemptionStatus

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("All"))] + list(RedemptionStatus.choices)

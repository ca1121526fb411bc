"""Forms of the governance pages (console and portal). They only collect input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput, PhotosField
from shuren.places.forms import PlaceFieldsMixin
from shuren.places.models import Building

from .models import GovernanceItem, GovernanceList, GovernancePolicy, ItemKind, ItemSource, ItemStatus
from .services.items import STAFF_SOURCES

DATE = DateInput()


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast(forms.ModelChoiceField[Any], form.fields[name])


class ItemForm(PlaceFieldsMixin, forms.ModelForm):  # type: ignore[misc]  # PlaceFieldsMixin types initial as a dict
    """Staff put an item on the list or edit it. The appeal is given by its reference."""

    appeal_reference = forms.CharField(
        label=_("Appeal reference"),
        required=False,
        max_length=20,
        help_text=_("For an item from an appeal, e.g. 20240412-000042."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = GovernanceItem
        fields = [
            "title",
            "description",
            "kind",
            "source",
            "governance_list",
            "priority",
            "due_on",
            "points",
            "area",
            "estate",
            "building",
            "unit",
        ]
        widgets = {"due_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, lists: QuerySet[GovernanceList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_places(user, "governance.manage")
        choice_field(self, "source").choices = [(s.value, s.label) for s in ItemSource if s in STAFF_SOURCES]
        model_choice_field(self, "governance_list").queryset = lists
        self.fields["governance_list"].required = False
        if self.instance.pk:
            self.fields["kind"].disabled = True
            self.fields["source"].disabled = True
            self.fields["appeal_reference"].disabled = True
            self.initial.setdefault(
                "appeal_reference", self.instance.appeal.reference if self.instance.appeal_id else ""
            )
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean returns its cleaned_data
        if not self.errors.get("area"):
            try:
                self.clean_places(cleaned)
            except forms.ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def _post_clean(self) -> None:
        # The services validate and save; the ModelForm must not call full_clean on the instance.
        pass


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or words"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    place = forms.ChoiceField(label=_("Place"), required=False)
    governance_list = forms.TypedChoiceField(label=_("List"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args: Any, places: list[tuple[str, str]], lists: QuerySet[GovernanceList], **kwargs: Any):
        super().__init__(*args, **kwargs)
        every: list[tuple[Any, Any]] = [("", _("All"))]
        choice_field(self, "status").choices = every + list(ItemStatus.choices)
        choice_field(self, "kind").choices = every + list(ItemKind.choices)
        choice_field(self, "source").choices = every + list(ItemSource.choices)
        choice_field(self, "place").choices = every + places
        choice_field(self, "governance_list").choices = every + [(b.pk, b.title) for b in lists]


class ListForm(forms.ModelForm):
    class Meta:
        model = GovernanceList
        fields = ["community", "title", "period_start", "period_end"]
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "community").queryset = communities
        if self.instance.pk:
            self.fields["community"].disabled = True

    def _post_clean(self) -> None:
        pass


class PolicyForm(forms.ModelForm):
    class Meta:
        model = GovernancePolicy
        fields = ["claim_lapse_days", "wishes_need_review"]

    def _post_clean(self) -> None:
        pass


# --- actions -------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action posts the version of the item the user was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{action}_%s" if action else "id_%s")
        super().__init__(*args, **kwargs)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalNoteForm(ActionForm):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProgressForm(ActionForm):
    text = forms.CharField(label=_("What has been done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("Photos (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update({"capture": "environment"})
        self.fields["photos"].help_text = _("Up to %(count)d photos.") % {"count": settings.SHUREN_APPEAL_MAX_PHOTOS}


class ListWishForm(ActionForm):
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=1000, required=False)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DATE)


class ClaimForm(ActionForm):
    """Claim for oneself or for one of one's organisations; staff record a claim for a resident or
    an organisation of the community."""

    claimant = forms.ChoiceField(label=_("Claimed by"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=200)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "claimant").choices = choices
        if len(choices) == 1:
            self.fields["claimant"].initial = choices[0][0]


class BuildingChoiceField(forms.ModelChoiceField[Building]):
    """A building named with its estate, e.g. 富丰新城 3座."""

    def label_from_instance(self, obj: Building) -> str:
        return f"{obj.estate.name} {obj.number}"


class WishForm(forms.Form):
    title = forms.CharField(
        label=_("My wish"), max_length=100, help_text=_("In a few words, e.g. 想请人帮忙修理家里的水龙头.")
    )
    description = forms.CharField(
        label=_("More about it (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    building = BuildingChoiceField(label=_("Where"), queryset=None, required=False)

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "building").queryset = buildings
        model_choice_field(self, "building").empty_label = _("My home building")

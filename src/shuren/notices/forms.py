"""Forms of the notices: writing one, withdrawing it, the list's filter, and a group's robot."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.accounts.roles import Role
from shuren.core.forms import DateTimeInput, PhotosField
from shuren.notifications.wecom import WebhookUrlField
from shuren.places.forms import PlaceFieldsMixin, relabel
from shuren.places.models import Area, Building, Estate, Unit

from . import selectors
from .models import Notice, NoticeStatus

DATETIME = DateTimeInput()


def _choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast(forms.ModelChoiceField[Any], form.fields[name])


class NoticeForm(PlaceFieldsMixin, forms.ModelForm):  # type: ignore[misc]  # PlaceFieldsMixin types initial as a dict
    """Write or edit a draft: the text, where it goes and to whom, when, and what it carries."""

    roles = forms.MultipleChoiceField(
        label=_("Only residents holding these roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r in selectors.TARGET_ROLES],
    )
    photos = PhotosField(label=_("Photos"), capture=False)
    attachment = forms.FileField(
        label=_("PDF attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the PDF"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Notice
        fields = [
            "title",
            "body",
            "urgency",
            "area",
            "estate",
            "building",
            "unit",
            "tags",
            "organizations",
            "publish_at",
            "ends_at",
            "is_public",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "publish_at": DATETIME,
            "ends_at": DATETIME,
            "tags": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "publish_at": _("Leave empty to publish at once."),
            "ends_at": _("The notice leaves the residents' pages at this time."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_places(user, selectors.WRITE)
        found = selectors.reach(user, selectors.WRITE)
        if not found.paths:  # a building leader: their own buildings only
            led = Building.objects.filter(pk__in=found.buildings).select_related("estate")
            _choice(self, "area").queryset = selectors.writable_areas(user)
            _choice(self, "estate").queryset = Estate.objects.filter(buildings__in=led).distinct()
            _choice(self, "building").queryset = led
            _choice(self, "unit").queryset = Unit.objects.filter(building__in=led).select_related("building__estate")
            relabel(self.fields["unit"], lambda u: f"{u.building.estate.name} {u.building.number} {u.number}")
        self.fields["area"].required = False
        _choice(self, "tags").queryset = selectors.target_tags()
        _choice(self, "organizations").queryset = selectors.target_organizations(user)
        self.fields["tags"].label = _("Only residents with these tags")
        self.fields["organizations"].label = _("Only members of these organisations")
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial.setdefault("roles", list(self.instance.roles))
        else:
            self.fields.pop("remove_attachment")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            self.clean_places(cleaned)
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in ("title", "body", "urgency", "publish_at", "ends_at", "area", "estate", "building", "unit")
        }
        fields["is_public"] = bool(data.get("is_public"))
        fields["roles"] = list(data.get("roles") or [])
        return fields


class NoticeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *NoticeStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Title or text"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Title or text")}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is the notice withdrawn?"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WebhookForm(forms.Form):
    """A stairwell group's robot: its place (a building or a grid), a name, and its webhook."""

    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none(), required=False)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=Area.objects.none(), required=False)
    name = forms.CharField(label=_("Group name"), max_length=60, required=False)
    url = WebhookUrlField(required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "building").queryset = selectors.group_buildings(user)
        relabel(self.fields["building"], lambda b: f"{b.estate.name} {b.number}")
        _choice(self, "grid").queryset = selectors.group_grids(user)
        relabel(self.fields["grid"], lambda g: f"{g.parent.name} {g.name}")
        self.fields["url"].required = not editing
        if editing:
            self.fields["url"].help_text = _("Leave empty to keep the stored address.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and bool(cleaned.get("building")) == bool(cleaned.get("grid")):
            self.add_error("building", _("Choose a building or a grid."))
        return cleaned

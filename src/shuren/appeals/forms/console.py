"""Forms of the staff console for appeals: the list filters, one small form per workflow action
(each carries the version the user read), staff entry of an appeal, and the configuration pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput, PhoneField, PhotosField
from shuren.core.models import WorkdayOverride
from shuren.core.scoping import path_covers

from ..models import Category, Channel, DispatchRule, IntakePolicy, Status, category_label
from ..selectors import category_tree
from ..services import STAFF_CHANNELS


def label_options(field: forms.Field, label: Callable[[Any], str]) -> None:
    """Name the options of a model choice field by ``label`` (the object's text otherwise)."""
    setattr(field, "label_from_instance", label)  # noqa: B010 - Django's documented per-instance override


def grouped_category_choices(*, blank: Any = None) -> list[Any]:
    """Active leaf categories grouped under their top-level category, for filing a new appeal."""
    tree = category_tree(active_only=True)
    has_children = {c.parent_id for c, _depth in tree if c.parent_id}
    choices: list[Any] = [("", blank)] if blank is not None else []
    group: list[tuple[int, str]] | None = None
    for category, depth in tree:
        if depth == 0:
            if category.pk in has_children:
                group = []
                choices.append((category_label(category), group))
            else:
                group = None
                choices.append((category.pk, category_label(category)))
        elif category.pk not in has_children and group is not None:
            group.append((category.pk, category_label(category)))
    return choices


def indented_category_choices(*, blank: Any) -> list[tuple[Any, str]]:
    """Every category, children indented beneath their parent (a parent selects its children too)."""
    return [("", blank)] + [(c.pk, "\u3000" * depth + category_label(c)) for c, depth in category_tree()]


# --- the list ------------------------------------------------------------------------------------


class AppealFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or words"), required=False, max_length=80)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    estate = forms.TypedChoiceField(label=_("Estate"), required=False, coerce=int, empty_value=None)
    building = forms.TypedChoiceField(label=_("Building"), required=False, coerce=int, empty_value=None)
    organization = forms.TypedChoiceField(
        label=_("Handling organisation"), required=False, coerce=int, empty_value=None
    )
    start = forms.DateField(label=_("Submitted from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Submitted until"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        estates: QuerySet[Any],
        buildings: QuerySet[Any],
        organizations: QuerySet[Any],
        building_options_url: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = indented_category_choices(blank=_("All categories"))
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Any status")),
            ("open", _("Any open status")),
            ("finished", _("Resolved or closed")),
            *Status.choices,
        ]
        cast(forms.ChoiceField, self.fields["estate"]).choices = [("", _("All estates"))] + [
            (e.pk, e.name) for e in estates
        ]
        cast(forms.ChoiceField, self.fields["building"]).choices = [("", _("All buildings"))] + [
            (b.pk, b.number) for b in buildings
        ]
        cast(forms.ChoiceField, self.fields["organization"]).choices = [("", _("All organisations"))] + [
            (o.pk, o.name) for o in organizations
        ]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
        # Choosing an estate loads its buildings (htmx); without script the filter still applies.
        self.fields["estate"].widget.attrs.update(
            {"hx-get": building_options_url, "hx-target": "#id_building", "hx-trigger": "change"}
        )


# --- workflow actions ----------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every action posts the version of the appeal the user was looking at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{action}_%s" if action else "id_%s")
        super().__init__(*args, **kwargs)


class OptionalNoteForm(ActionForm):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(ActionForm):
    note = forms.CharField(label=_("What has been done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("Show this note to the reporter"), required=False, initial=True)


class ResolveForm(ActionForm):
    resolution = forms.CharField(
        label=_("Reply to the reporter"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = PhotosField(label=_("Photos of the result (optional)"))


class SuperviseForm(ActionForm):
    on = forms.BooleanField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("What the supervision asks for"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(ActionForm):
    """Merge this appeal into another: chosen with a button of the similar-appeals panel (``into``)
    or by typing the other appeal's reference."""

    into = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reference = forms.CharField(
        label=_("Reference of the appeal to merge this one into"), required=False, max_length=20
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if not data.get("into") and not (data.get("reference") or "").strip():
            self.add_error("reference", _("Choose a similar appeal below, or give the reference of another."))
        return data


class DispatchForm(ActionForm):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Handling organisation"), queryset=None)
    reason = forms.CharField(
        label=_("Reason for choosing an organisation other than the one the rules suggest"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    share_contact = forms.BooleanField(
        label=_("Share the reporter's contact with the handler"),
        required=False,
        help_text=_("Only when the handler must call the reporter, e.g. to enter the home."),
    )
    note = forms.CharField(
        label=_("Note for the handler (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["organization"]).queryset = organizations


class PublishForm(ActionForm):
    """The publication review: the desk compares each original with its redacted text (shown
    beside the form), may edit the redacted text (it is redacted again when saved), and confirms
    or declines."""

    is_published = forms.BooleanField(
        label=_("Publish: I have compared the redacted text with the original"), required=False
    )
    public_summary = forms.CharField(
        label=_("Summary for the public board"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No names, phone numbers or door numbers. Saved redacted once more."),
    )
    public_reply = forms.CharField(
        label=_("Reply for the public board"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The handler's reply as the public will read it. Saved redacted once more."),
    )


# --- staff entry ---------------------------------------------------------------------------------


class StaffAppealForm(forms.Form):
    """An appeal taken by phone, from the 12345 hotline, at the desk or on a round."""

    channel = forms.ChoiceField(label=_("How it came in"))
    reporter_name = forms.CharField(label=_("Caller's name"), required=False, max_length=50)
    reporter_phone = PhoneField(label=_("Caller's phone"), required=False)
    is_anonymous = forms.BooleanField(
        label=_("The caller wishes to stay anonymous"),
        required=False,
        help_text=_("Only where the community accepts anonymous appeals; name and phone are then not kept."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Community or grid"),
        required=False,
        queryset=None,
        help_text=_("When the place is not an estate of the registry; give the address below."),
    )
    estate: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Estate"), required=False, queryset=None)
    building: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Building"), required=False, queryset=None)
    dwelling: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Dwelling"), required=False, queryset=None)
    address = forms.CharField(label=_("Address or spot"), required=False, max_length=200)
    description = forms.CharField(
        label=_("What is the problem?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    photos = PhotosField(label=_("Photos (optional)"))

    def __init__(
        self,
        *args: Any,
        areas: QuerySet[Any],
        estates: QuerySet[Any],
        buildings: QuerySet[Any],
        dwellings: QuerySet[Any],
        urls: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["channel"]).choices = [
            (c.value, c.label) for c in Channel if c in STAFF_CHANNELS
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = grouped_category_choices(blank="---------")
        cast("forms.ModelChoiceField[Any]", self.fields["area"]).queryset = areas
        cast("forms.ModelChoiceField[Any]", self.fields["estate"]).queryset = estates
        # Only the buildings of the chosen estate and the dwellings of the chosen building are offered
        # (and accepted), so the three always agree.
        estate_id = self._chosen("estate")
        building_id = self._chosen("building")
        cast("forms.ModelChoiceField[Any]", self.fields["building"]).queryset = (
            buildings.filter(estate_id=estate_id) if estate_id else buildings.none()
        )
        cast("forms.ModelChoiceField[Any]", self.fields["dwelling"]).queryset = (
            dwellings.filter(unit__building_id=building_id) if building_id and estate_id else dwellings.none()
        )
        label_options(self.fields["building"], lambda b: b.number)
        label_options(self.fields["dwelling"], lambda d: f"{d.unit.number} {d.room}")
        self.fields["estate"].widget.attrs.update(
            {"hx-get": urls["buildings"], "hx-target": "#id_building", "hx-trigger": "change"}
        )
        self.fields["building"].widget.attrs.update(
            {"hx-get": urls["dwellings"], "hx-target": "#id_dwelling", "hx-trigger": "change"}
        )

    def _chosen(self, name: str) -> int | None:
        source = self.data if self.is_bound else self.initial
        value = source.get(name)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if not (data.get("estate") or data.get("area")):
            self.add_error("estate", _("Choose the estate, or a community or grid and give the address."))
        if data.get("is_anonymous"):
            data["reporter_name"] = data["reporter_phone"] = ""
        return data


# --- configuration -------------------------------------------------------------------------------


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "name_en",
            "parent",
            "description",
            "keywords",
            "response_hours",
            "resolution_hours",
            "is_active",
            "is_published",
            "sort_order",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast("forms.ModelChoiceField[Any]", self.fields["parent"])
        parent.queryset = Category.objects.exclude(pk=self.instance.pk) if self.instance.pk else Category.objects.all()
        parent.choices = [("", "---------")] + [
            (c.pk, "\u3000" * depth + category_label(c)) for c, depth in category_tree() if c.pk != self.instance.pk
        ]
        if self.instance.pk:
            # The code is the Open311 service_code that outside systems store: it does not change.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The Open311 service code; it cannot change once used.")


class DispatchRuleForm(forms.ModelForm):
    class Meta:
        model = DispatchRule
        fields = ["area", "category", "estate", "organization", "priority", "is_active"]

    def __init__(
        self, *args: Any, areas: QuerySet[Any], estates: QuerySet[Any], organizations: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["area"]).queryset = areas
        label_options(self.fields["area"], lambda a: f"{a.name} ({a.get_kind_display()})")
        cast("forms.ModelChoiceField[Any]", self.fields["estate"]).queryset = estates
        cast("forms.ModelChoiceField[Any]", self.fields["organization"]).queryset = organizations
        cast(forms.ChoiceField, self.fields["category"]).choices = indented_category_choices(blank=_("Every category"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        area, organization = data.get("area"), data.get("organization")
        if area is not None and organization is not None:
            community = area.parent.path if area.kind == "grid" and area.parent_id else area.path
            if not (path_covers(organization.scope, area.path) or path_covers(community, organization.scope)):
                self.add_error("organization", _("Choose an organisation of this area or of an area above it."))
        return data


class RuleTestForm(forms.Form):
    test_category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    test_building: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Building"), queryset=None)

    def __init__(self, *args: Any, buildings: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["test_category"]).choices = grouped_category_choices(blank="---------")
        cast("forms.ModelChoiceField[Any]", self.fields["test_building"]).queryset = buildings
        label_options(self.fields["test_building"], lambda b: f"{b.estate.name} {b.number}")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class HandlerForm(forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Account with the handler role"), queryset=None)
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args: Any, users: QuerySet[Any], organizations: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["user"]).queryset = users
        label_options(self.fields["user"], lambda u: f"{u.label} ({u.username})")
        cast("forms.ModelChoiceField[Any]", self.fields["organization"]).queryset = organizations


class IntakePolicyForm(forms.ModelForm):
    class Meta:
        model = IntakePolicy
        fields = ["allow_anonymous", "reopen_days", "publish_text"]


class WorkdayOverrideForm(forms.ModelForm):
    class Meta:
        model = WorkdayOverride
        fields = ["on", "is_working_day", "note"]
        widgets = {"on": DateInput()}
        labels = {"is_working_day": _("A working day (unticked: a rest day)")}


# --- KPIs ----------------------------------------------------------------------------------------


class KpiPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput(attrs={"class": "form-control"}))
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput(attrs={"class": "form-control"}))

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen dates; this month until today by default."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or today.replace(day=1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 3660:
            raise ValidationError(_("Choose a period of at most ten years."))
        return data

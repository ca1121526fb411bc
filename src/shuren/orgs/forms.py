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


class PostFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Post"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from .models import PostKind

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", _("Any"))] + [(k.code, k.name) for k in PostKind.objects.all()]


class PostAssignmentForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Post"), queryset=None)  # type: ignore[arg-type]
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)  # type: ignore[arg-type]
    area = forms.ModelChoiceField(label=_("Grid or community"), queryset=None)  # type: ignore[arg-type]
    buildings = forms.ModelMultipleChoiceField(
        label=_("Buildings"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("For building and unit leaders. Hold Ctrl (or ⌘) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    place_name = forms.CharField(label=_("Lane or street"), max_length=100, required=False)
    from_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    to_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        help_text=_("Leave empty for an open term. The post is vacant from this day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self, *args: object, people: object, areas: object, buildings: object, full_names: bool, **kwargs: object
    ) -> None:
        from shuren.core.masking import display_name

        from .models import PostKind

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].queryset = PostKind.objects.all()
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: display_name(p.name, full=full_names)
        self.fields["area"].queryset = areas
        self.fields["buildings"].queryset = buildings
        self.fields["buildings"].label_from_instance = lambda b: f"{b.estate.name} {b.number}"

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("to_on") and data.get("from_on") and data["to_on"] < data["from_on"]:
            self.add_error("to_on", _("The term cannot end before it begins."))
        return data


class PostKindForm(forms.ModelForm):
    class Meta:
        from .models import PostKind

        model = PostKind
        fields = ["code", "name", "level", "duties", "visit_interval_days", "position"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None)  # type: ignore[arg-type]
    role = forms.ChoiceField(label=_("Role"))
    from_on = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, people: object, full_names: bool, **kwargs: object) -> None:
        from shuren.core.masking import display_name

        from .models import MembershipRole

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: display_name(p.name, full=full_names)
        self.fields["role"].choices = MembershipRole.choices


class StationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=100, required=False)

    def __init__(self, *args: object, communities: object, estates: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["community"].queryset = communities
        self.fields["estate"].queryset = estates


class PartnershipForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    community = forms.ModelChoiceField(label=_("Community"), queryset=Area.objects.none())
    counterpart = forms.ModelChoiceField(
        label=_("Paired with"),
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    commitments = forms.CharField(
        label=_("Commitments"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    from_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, communities: object, counterparts: object, **kwargs: object) -> None:
        from .models import PartnershipKind

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = PartnershipKind.choices
        self.fields["community"].queryset = communities
        self.fields["counterpart"].queryset = counterparts


class OrganizationEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.none(), required=False)
    pledged_resources = forms.CharField(
        label=_("Pledged resources"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_red = forms.BooleanField(label=_("Led by party members (红色)"), required=False)

    def __init__(self, *args: object, estates: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["estate"].queryset = estates

"""Forms of the volunteering pages (console and portal). They only collect input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.forms import DateTimeInput
from shuren.places.forms import PlaceFieldsMixin

from .models import Activity, ActivityStatus, Availability, ProfileStatus, VolunteeringPolicy
from .selectors import skills
from .services.activities import EDITABLE_FIELDS

DATETIME = DateTimeInput()


class ActivityForm(PlaceFieldsMixin, forms.ModelForm):  # type: ignore[misc]  # places.PlaceFieldsMixin types initial as dict, BaseForm as MutableMapping
    """Staff create or edit an activity."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish = forms.BooleanField(
        label=_("Publish now (otherwise it is saved as a draft)"), required=False, initial=True
    )

    class Meta:
        model = Activity
        # The fields the service lets change, and the skills wanted (a many-to-many it sets apart).
        fields = [*EDITABLE_FIELDS, "skills_wanted"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "signup_closes_at": DATETIME,
            "skills_wanted": forms.CheckboxSelectMultiple,
        }
        labels = {"capacity": pgettext_lazy("capacity", "Places")}
        help_texts = {
            "signup_closes_at": _("Empty: sign-up closes when the activity starts."),
            "points_per_hour": _("0: the community's points rule applies."),
            "location": _("Where volunteers meet, e.g. 富丰新城1座架空层."),
        }

    def __init__(self, *args: Any, user: Any, teams: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_places(user, "volunteering.manage")
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams
        self.fields["team"].required = False
        cast(forms.ModelChoiceField, self.fields["skills_wanted"]).queryset = skills()
        self.fields["skills_wanted"].required = False
        for name in ("starts_at", "ends_at", "signup_closes_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M:%S",
            ]
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            del self.fields["publish"]
            for name in ("starts_at", "ends_at", "signup_closes_at"):
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
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


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or words"), required=False, max_length=80)
    status = forms.ChoiceField(label=_("Status"), required=False)
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("All")), ("upcoming", _("Upcoming and running")), ("past", pgettext_lazy("activity", "Past"))],
    )
    team = forms.TypedChoiceField(label=_("Volunteer team"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("All")), *ActivityStatus.choices]
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", _("All")), *[(t.pk, t.name) for t in teams]]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelActivityForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Volunteers who signed up read this on their page."),
    )


class VolunteerChoiceField(forms.ModelChoiceField):
    """A resident by name, with the pinyin to tell namesakes apart."""

    def label_from_instance(self, obj: Any) -> str:
        if not obj.name_pinyin:
            return obj.name
        return _("%(name)s (%(pinyin)s)") % {"name": obj.name, "pinyin": obj.name_pinyin}


class DoorSignUpForm(forms.Form):
    person = VolunteerChoiceField(label=_("Volunteer"), queryset=None)
    check_in_now = forms.BooleanField(label=_("Check in now"), required=False, initial=True)

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(VolunteerChoiceField, self.fields["person"]).queryset = people


class ConfirmForm(forms.Form):
    minutes = forms.IntegerField(
        label=pgettext_lazy("duration", "Minutes"),
        required=False,
        min_value=1,
        max_value=1440,
        help_text=_("Empty: the proposed minutes."),
    )
    description = forms.CharField(label=_("What was done"), required=False, max_length=200)


class CorrectForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Difference in minutes"),
        min_value=-1440,
        max_value=1440,
        help_text=_("Positive to add time, negative to take time off, e.g. -30."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class RegisterForm(forms.Form):
    """A resident registers as a volunteer (or updates the registration), on the phone."""

    skills: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("What I can do"), queryset=skills(), required=False, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.MultipleChoiceField(
        label=_("When I can usually help"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    introduction = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words for the organisers: experience, languages, anything useful."),
    )
    teams: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Volunteer teams to join"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, teams: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["teams"]).queryset = teams


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or pinyin"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("Status"), required=False)
    skill = forms.TypedChoiceField(label=_("Skill"), required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label=_("Volunteer team"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("All")), *ProfileStatus.choices]
        cast(forms.ChoiceField, self.fields["skill"]).choices = [("", _("All")), *[(s.pk, s.name) for s in skills()]]
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", _("All")), *[(t.pk, t.name) for t in teams]]


class DecisionForm(VersionForm):
    note = forms.CharField(
        label=pgettext_lazy("decision", "Note"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to reject or suspend; the volunteer reads it."),
    )


class ProgressFilterForm(forms.Form):
    community: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Community"), queryset=None, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    behind = forms.BooleanField(label=_("Only those behind"), required=False)

    def __init__(self, *args: Any, communities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities
        cast(forms.ModelChoiceField, self.fields["community"]).empty_label = None
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (y, str(y)) for y in range(this_year, this_year - 6, -1)
        ]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = VolunteeringPolicy
        fields = ["party_member_target_hours", "approval_required"]

    def _post_clean(self) -> None:
        pass

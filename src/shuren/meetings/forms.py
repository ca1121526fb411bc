"""Forms of the meetings pages: the meeting itself (with the shared place chooser), the list filters,
and one small form per thing recorded on the meeting page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.accounts.roles import Role
from shuren.core.forms import DateInput, DateTimeInput
from shuren.places.forms import PlaceFieldsMixin

from .models import (
    ActionStatus,
    AgendaKind,
    Choice,
    Meeting,
    MeetingKind,
    MeetingRule,
    VoteMode,
)


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class BuildingChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.estate.name} {obj.number}"


class AppealChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} {obj.summary}"


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


DATETIME = DateTimeInput()


class MeetingForm(PlaceFieldsMixin, forms.ModelForm):
    initial: dict[str, Any]  # the mixin's and the form's: one dict
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME)

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "area",
            "estate",
            "building",
            "unit",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_places(user, "meetings.manage")
        for name in ("starts_at", "ends_at"):
            value = self.initial.get(name)
            if value is not None and not self.is_bound:
                self.initial[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean returns its cleaned_data
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return self.clean_places(cleaned)

    def _post_clean(self) -> None:
        # The services validate and save the meeting (a convener and reference are added there).
        pass


class MeetingFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *MeetingKind.choices])
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Community or grid"), required=False, queryset=None
    )
    q = forms.CharField(label=_("Title contains"), required=False, max_length=60)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "area").queryset = areas
        _model_choice(self, "area").empty_label = _("All my areas")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PublishForm(VersionForm):
    estates: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Also publish to estates"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    buildings: forms.ModelMultipleChoiceField[Any] = BuildingChoices(
        label=_("Also publish to buildings"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, estates: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "estates").queryset = estates
        _model_choice(self, "buildings").queryset = buildings


class InviteRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Everyone holding the role"),
        choices=[
            (r.value, r.label)
            for r in (
                Role.BUILDING_LEADER,
                Role.VOLUNTEER,
                Role.GRID_WORKER,
                Role.COMMUNITY_STAFF,
                Role.COMMUNITY_SECRETARY,
                Role.RESIDENT,
            )
        ],
    )
    is_voting = forms.BooleanField(label=_("Voting members"), required=False, initial=True)


class InviteOrganizationForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    itself = forms.BooleanField(label=_("The organisation (it sends someone)"), required=False, initial=True)
    members = forms.BooleanField(label=_("Its current members"), required=False)
    is_voting = forms.BooleanField(label=_("Voting members"), required=False, initial=True)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "organization").queryset = organizations


class InvitePersonForm(forms.Form):
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Person in the registry"), queryset=None, required=False
    )
    username = forms.CharField(label=_("or a user name"), required=False, max_length=150)
    invited_as = forms.CharField(label=_("Invited as"), required=False, max_length=80)
    is_voting = forms.BooleanField(label=_("Voting member"), required=False, initial=True)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "person").queryset = people


class InvitationForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50)
    representing = forms.CharField(label=_("Representing"), required=False, max_length=80)


class AgendaForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaKind.choices, initial=AgendaKind.DISCUSSION)
    title = forms.CharField(label=_("Title"), max_length=150)
    presenter = forms.CharField(label=_("Presented by"), required=False, max_length=60)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))
    appeal: forms.ModelChoiceField[Any] = AppealChoice(label=_("About an appeal"), required=False, queryset=None)
    governance_item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("About a governance-list item"), required=False, queryset=None
    )
    proposal: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("About a resident proposal"), required=False, queryset=None
    )
    convention_version: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("About a convention version"), required=False, queryset=None
    )

    def __init__(self, *args: Any, links: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in links.items():
            _model_choice(self, name).queryset = queryset


class AgendaMoveForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    up = forms.BooleanField(required=False, widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(label=_("Outcome"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerProposalForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Answer"), choices=())
    text = forms.CharField(label=_("Answer text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    publish = forms.BooleanField(label=_("Publish the answer to the residents"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from shuren.proposals.models import AnswerKind

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = AnswerKind.choices


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Minutes"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8}))


class ResolutionForm(forms.Form):
    text = forms.CharField(label=_("Resolution"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))
    vote_mode = forms.ChoiceField(label=_("How decided"), choices=VoteMode.choices)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, initial=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, initial=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0, required=False)
    agenda_item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Agenda item"), required=False, queryset=None
    )
    convention_version: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Adopts convention version"), required=False, queryset=None
    )

    def __init__(
        self, *args: Any, meeting: Meeting, voters: list[Any], versions: Any, rule: MeetingRule, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        _model_choice(self, "agenda_item").queryset = meeting.agenda_items.all()
        _model_choice(self, "convention_version").queryset = versions
        if not self.is_bound:
            self.initial["vote_mode"] = VoteMode.NAMED if rule.votes_named_by_default else VoteMode.COUNTS
        self.voter_fields = []
        for attendance in voters:
            name = f"vote_{attendance.pk}"
            self.fields[name] = forms.ChoiceField(
                label=attendance.name, required=False, choices=[("", "—"), *Choice.choices]
            )
            self.voter_fields.append(name)

    def named_votes(self) -> dict[int, str]:
        return {
            int(name.removeprefix("vote_")): self.cleaned_data[name]
            for name in self.voter_fields
            if self.cleaned_data.get(name)
        }

    def visible_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in self.voter_fields and name != "version"]

    def vote_fields(self) -> list[Any]:
        return [self[name] for name in self.voter_fields]


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=150)
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput())
    owner_user: forms.ModelChoiceField[Any] = UserChoice(label=_("Owner (a user)"), required=False, queryset=None)
    owner_organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner organisation"), required=False, queryset=None
    )
    owner_name = forms.CharField(label=_("Owner (as written)"), required=False, max_length=60)
    resolution: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Following the resolution"), required=False, queryset=None
    )

    def __init__(self, *args: Any, users: Any, organizations: Any, resolutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "owner_user").queryset = users
        _model_choice(self, "owner_organization").queryset = organizations
        _model_choice(self, "resolution").queryset = resolutions


class ActionUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Progress note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=())

    def __init__(self, *args: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [c for c in ActionStatus.choices if staff or c[0] != ActionStatus.CANCELLED]
        cast(forms.ChoiceField, self.fields["status"]).choices = choices


class GovernanceItemForm(forms.Form):
    resolution = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title on the governance list"), max_length=100)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=1000, initial=0, required=False)


class ActionFilterForm(forms.Form):
    which = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("mine", _("Mine")),
            ("done", _("Done")),
            ("all", _("All")),
        ],
    )


class MeetingRuleForm(forms.ModelForm):
    class Meta:
        model = MeetingRule
        fields = [
            "quorum_numerator",
            "quorum_denominator",
            "quorum_strict",
            "majority_numerator",
            "majority_denominator",
            "majority_strict",
            "majority_of_present",
            "votes_named_by_default",
            "takes_resolutions",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean returns its cleaned_data
        for part in ("quorum", "majority"):
            n, d = cleaned.get(f"{part}_numerator"), cleaned.get(f"{part}_denominator")
            if n is not None and d is not None and n > d:
                self.add_error(f"{part}_numerator", _("The share cannot exceed one."))
        return cleaned

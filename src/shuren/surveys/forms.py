"""Forms of the surveys' console and portal: thin adapters over the services. The answer form only
carries what was typed; ``answering.clean_answers`` (called by the services) decides what is valid,
and its messages come back beside each question with the answers kept."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateTimeInput
from shuren.places.forms import PlaceFieldsMixin

from .models import SCALE_TOP, Question, QuestionKind, Survey

DATETIME = DateTimeInput()
STAR_CHOICES = [(str(n), "★" * n) for n in range(1, SCALE_TOP + 1)]
CHECK = {"class": "form-check-input"}


class SurveyForm(PlaceFieldsMixin, forms.ModelForm):  # type: ignore[misc]  # PlaceFieldsMixin types initial as a dict
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Survey
        fields = [
            "title",
            "description",
            "area",
            "estate",
            "building",
            "unit",
            "audience",
            "tag",
            "one_per",
            "is_anonymous",
            "publishes_results",
            "opens_at",
            "closes_at",
        ]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"opens_at": _("Empty: the survey opens when you open it.")}

    def __init__(self, *args: Any, user: Any, tags: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_places(user, "surveys.manage")
        cast(forms.ModelChoiceField, self.fields["tag"]).queryset = tags
        for name in ("opens_at", "closes_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean returns its cleaned_data
        return self.clean_places(cleaned)

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Single and multiple choice: one option a line."),
    )
    rows = forms.CharField(
        label=_("Rows to rate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Matrix: one statement a line, each rated from 1 to 5 stars."),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "is_required", "options", "rows", "min_value", "max_value"]
        help_texts = {"min_value": _("Number questions only; empty: no bound.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["options"] = "\n".join(self.instance.options or [])
            self.initial["rows"] = "\n".join(self.instance.rows or [])

    def clean_options(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip()]

    def clean_rows(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("rows") or "").splitlines() if line.strip()]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    """One field per question (a matrix: one per row, and a hidden one that carries its errors).
    Nothing is required here: the services check the answers and name what is missing."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = q.field_name
            if q.kind == QuestionKind.SINGLE:
                choices = [(str(i), option) for i, option in enumerate(q.options)]
                self.fields[name] = forms.ChoiceField(
                    choices=choices, widget=forms.RadioSelect(attrs=CHECK), required=False
                )
            elif q.kind == QuestionKind.MULTIPLE:
                choices = [(str(i), option) for i, option in enumerate(q.options)]
                self.fields[name] = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple(attrs=CHECK), required=False
                )
            elif q.kind == QuestionKind.SCALE:
                self.fields[name] = forms.ChoiceField(
                    choices=STAR_CHOICES, widget=forms.RadioSelect(attrs=CHECK), required=False
                )
            elif q.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), required=False
                )
            elif q.kind == QuestionKind.NUMBER:
                self.fields[name] = forms.CharField(
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
                    strip=True,
                )
            elif q.kind == QuestionKind.MATRIX:
                self.fields[name] = forms.CharField(required=False, widget=forms.HiddenInput)
                for i, _row in enumerate(q.rows):
                    self.fields[f"{name}_{i}"] = forms.ChoiceField(
                        choices=STAR_CHOICES, widget=forms.RadioSelect(attrs=CHECK), required=False
                    )
            if name in self.fields:
                self.fields[name].label = q.text

    def answers(self) -> dict[str, Any]:
        """What was typed, keyed as ``answering.clean_answers`` reads it."""
        data: dict[str, Any] = {}
        for q in self.questions:
            name = q.field_name
            if q.kind == QuestionKind.MATRIX:
                data[name] = [self.cleaned_data.get(f"{name}_{i}") or None for i in range(len(q.rows))]
            else:
                data[name] = self.cleaned_data.get(name)
        return data

    def items(self) -> list[dict[str, Any]]:
        """Per question, what the template draws: the question, its field (or its rows' fields)
        and its errors."""
        rows = []
        for q in self.questions:
            name = q.field_name
            rows.append(
                {
                    "question": q,
                    "field": self[name],
                    "rows": [(label, self[f"{name}_{i}"]) for i, label in enumerate(q.rows)]
                    if q.kind == QuestionKind.MATRIX
                    else [],
                    "errors": self.errors.get(name, []),
                }
            )
        return rows


class PaperFindForm(forms.Form):
    building = forms.CharField(label=_("Building"), max_length=20, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    room = forms.CharField(label=_("Room"), max_length=20)


class PaperMetaForm(forms.Form):
    """The paper form's number and, for a survey of one response per resident, who filled it in."""

    paper_number = forms.CharField(label=_("Paper form number"), max_length=40, required=False)
    person = forms.TypedChoiceField(label=_("Resident who filled it in"), coerce=int, required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.TypedChoiceField, self.fields["person"])
        if people:
            person.choices = [("", "—"), *people]
        else:
            del self.fields["person"]

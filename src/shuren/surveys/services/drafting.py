"""Drafting a survey: the survey itself (place, audience, dates, anonymity) and its questions, in
order. Everything here is refused once the survey has opened (``workflow`` action ``edit``)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core import clock
from shuren.core.concurrency import update_versioned
from shuren.core.scoping import require

from .. import workflow
from ..models import CHOICE_KINDS, Audience, Question, QuestionKind, Survey
from .base import audit

SURVEY_FIELDS = (
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
)
QUESTION_FIELDS = ("kind", "text", "help_text", "is_required", "options", "rows", "min_value", "max_value")
MAX_OPTIONS = 20
MAX_ROWS = 12


def _reference(survey: Survey) -> str:
    return f"WJ{timezone.localdate(clock.now()):%Y}{survey.pk:06d}"


def _check(survey: Survey) -> None:
    survey.fill_place()
    if not survey.area_id:
        raise ValidationError({"area": _("Choose a community or a grid.")})
    survey.clean_place()
    errors: dict[str, str] = {}
    if survey.audience == Audience.GROUP and survey.tag_id is None:
        errors["tag"] = _("Choose the group the survey asks.")
    if survey.audience != Audience.GROUP:
        survey.tag = None
    if survey.closes_at and survey.opens_at and survey.closes_at <= survey.opens_at:
        errors["closes_at"] = _("The survey must close after it opens.")
    elif survey.closes_at and survey.closes_at <= clock.now():
        errors["closes_at"] = _("The survey must close in the future.")
    if errors:
        raise ValidationError(errors)


def _set(survey: Survey, fields: dict[str, Any]) -> None:
    for name in SURVEY_FIELDS:
        if name in fields:
            setattr(survey, name, fields[name])
    survey.title = (survey.title or "").strip()
    if not survey.title:
        raise ValidationError({"title": _("Give the survey a title.")})


@transaction.atomic
def create_survey(*, actor: User, **fields: Any) -> Survey:
    """A draft survey of a place where the actor manages surveys."""
    survey = Survey(created_by=actor, reference=f"S{uuid.uuid4().hex[:12]}")
    _set(survey, fields)
    _check(survey)
    survey.scope = survey.placed_scope()
    require(actor, "surveys.manage", survey)
    survey.save()
    survey.reference = _reference(survey)
    Survey.objects.filter(pk=survey.pk).update(reference=survey.reference)
    audit("create", actor, survey, title=survey.title, place=survey.place_label, anonymous=survey.is_anonymous)
    return survey


@transaction.atomic
def update_survey(*, actor: User, survey: Survey, version: int, **fields: Any) -> Survey:
    """Change a draft: a new place is checked like a new survey's."""
    require(actor, "surveys.manage", survey)
    workflow.require(survey, "edit", actor=actor)
    _set(survey, fields)
    _check(survey)
    survey.scope = survey.placed_scope()
    require(actor, "surveys.manage", survey)
    values = {name: getattr(survey, name) for name in SURVEY_FIELDS}
    survey.version = update_versioned(
        Survey, pk=survey.pk, version=version, scope=survey.scope, updated_at=timezone.now(), **values
    )
    audit("update", actor, survey, fields=sorted(name for name in fields if name in SURVEY_FIELDS))
    return survey


def _lines(values: Any) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    return [str(v).strip() for v in values or [] if str(v).strip()]


def _clean_question(question: Question) -> None:
    """The fields a question's kind needs, and none it does not."""
    errors: dict[str, str] = {}
    question.text = (question.text or "").strip()
    if not question.text:
        errors["text"] = _("Write the question.")
    if question.kind not in QuestionKind.values:
        errors["kind"] = _("Choose the kind of question.")
    question.options = _lines(question.options) if question.kind in CHOICE_KINDS else []
    question.rows = _lines(question.rows) if question.kind == QuestionKind.MATRIX else []
    if question.kind in CHOICE_KINDS:
        if len(question.options) < 2:
            errors["options"] = _("Give at least two options, one a line.")
        elif len(question.options) > MAX_OPTIONS:
            errors["options"] = _("Give at most %(count)d options.") % {"count": MAX_OPTIONS}
        elif len(set(question.options)) != len(question.options):
            errors["options"] = _("Each option must be different.")
    if question.kind == QuestionKind.MATRIX:
        if not question.rows:
            errors["rows"] = _("Give the rows to rate, one a line.")
        elif len(question.rows) > MAX_ROWS:
            errors["rows"] = _("Give at most %(count)d rows.") % {"count": MAX_ROWS}
    if question.kind != QuestionKind.NUMBER:
        question.min_value = question.max_value = None
    elif question.min_value is not None and question.max_value is not None:
        if Decimal(question.min_value) > Decimal(question.max_value):
            errors["max_value"] = _("The largest number must not be below the smallest.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_question(*, actor: User, survey: Survey, **fields: Any) -> Question:
    """A question at the end of a draft survey."""
    require(actor, "surveys.manage", survey)
    workflow.require(survey, "edit", actor=actor)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # one position each, whoever adds at once
    last = survey.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question(survey=survey, position=last + 1, is_required=True)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    _clean_question(question)
    question.save()
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())
    audit("question.add", actor, survey, question=question.pk, kind=question.kind)
    return question


@transaction.atomic
def update_question(*, actor: User, question: Question, **fields: Any) -> Question:
    survey = question.survey
    require(actor, "surveys.manage", survey)
    workflow.require(survey, "edit", actor=actor)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    _clean_question(question)
    question.save()
    audit("question.update", actor, survey, question=question.pk, kind=question.kind)
    return question


@transaction.atomic
def remove_question(*, actor: User, question: Question) -> None:
    """Remove a question of a draft; the ones after it move up."""
    survey = question.survey
    require(actor, "surveys.manage", survey)
    workflow.require(survey, "edit", actor=actor)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    position = question.position
    audit("question.remove", actor, survey, question=question.pk, text=question.text[:100])
    question.delete()
    for later in survey.questions.filter(position__gt=position).order_by("position"):
        Question.objects.filter(pk=later.pk).update(position=F("position") - 1)


@transaction.atomic
def move_question(*, actor: User, question: Question, up: bool) -> Question:
    """Swap a question of a draft with the one before (``up``) or after it; at either end, nothing."""
    survey = question.survey
    require(actor, "surveys.manage", survey)
    workflow.require(survey, "edit", actor=actor)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    question.refresh_from_db(fields=["position"])
    siblings = survey.questions.exclude(pk=question.pk)
    if up:
        other = siblings.filter(position__lt=question.position).order_by("-position").first()
    else:
        other = siblings.filter(position__gt=question.position).order_by("position").first()
    if other is None:
        return question
    mine, theirs = question.position, other.position
    # Through a free position, so that the unique (survey, position) holds at every step.
    free = (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    Question.objects.filter(pk=question.pk).update(position=free)
    Question.objects.filter(pk=other.pk).update(position=mine)
    Question.objects.filter(pk=question.pk).update(position=theirs)
    question.position = theirs
    audit("question.move", actor, survey, question=question.pk, position=theirs)
    return question

"""Surveys and polls (问卷, 服务品质大家评): questions put to the residents of a place — everyone who
lives there, its owners, or a group (a tag of the registry) — answered online by residents or on
paper entered by staff.

A survey takes one response per resident or one per household (dwelling), chosen per survey. Who
has taken part is a ``Participation`` row, unique per survey and key (``person:<id>`` or
``dwelling:<id>``): the database refuses a second one, whoever tries at the same moment. What was
answered is a ``Response`` with its ``Answer`` rows. For an anonymous survey the response carries no
person, dwelling, recorder, day or time — a check constraint holds those columns empty — and its
key is a random UUID, so that nothing in the database leads from a participation to the answers.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel
from shuren.places.placing import PlacedModel


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey status", "Draft")
    OPEN = "open", pgettext_lazy("survey status", "Open")
    CLOSED = "closed", pgettext_lazy("survey status", "Closed")


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("All residents of the place")
    OWNERS = "owners", _("Owners only")
    GROUP = "group", _("A group of residents")


class ResponseUnit(models.TextChoices):
    RESIDENT = "resident", _("One response per resident")
    HOUSEHOLD = "household", _("One response per household")


class Survey(TimeStampedModel, VersionedModel, PlacedModel):
    """A questionnaire for the residents of one place. Questions are edited while it is a draft;
    once open it takes responses until it closes."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("introduction"), max_length=4000, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    audience = models.CharField(_("who is asked"), max_length=10, choices=Audience.choices, default=Audience.RESIDENTS)
    tag = models.ForeignKey(
        "people.PersonTag",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
        help_text=_("For a group: the residents with this tag."),
    )
    one_per = models.CharField(
        _("responses"), max_length=10, choices=ResponseUnit.choices, default=ResponseUnit.HOUSEHOLD
    )
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Nobody, staff included, can see who gave which answers."),
    )
    publishes_results = models.BooleanField(
        _("publish the results to the residents asked"),
        default=False,
        help_text=_("Once the survey closes, residents see the figures; free texts only with personal data removed."),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    audience_size = models.PositiveIntegerField(_("asked"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "scope"], name="surveys_status_scope")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience="group") | Q(tag__isnull=False),
                name="surveys_group_has_tag",
                violation_error_message=_("Choose the group the survey asks."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="surveys_closes_after_opening",
                violation_error_message=_("The survey must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def per_household(self) -> bool:
        return self.one_per == ResponseUnit.HOUSEHOLD


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Rating (1 to 5 stars)")
    TEXT = "text", _("Free text")
    NUMBER = "number", _("Number")
    MATRIX = "matrix", _("Matrix (rows rated 1 to 5)")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
SCALE_TOP = 5  # a scale runs from 1 to 5 stars


class Question(models.Model):
    """One question. ``options`` are the choices (single and multiple choice) and ``rows`` the
    statements of a matrix, each rated on the same 1-5 scale; an answer names options by their
    index, which cannot shift because questions change only while nobody can answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    is_required = models.BooleanField(_("an answer is required"), default=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    min_value = models.DecimalField(_("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("largest number"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="surveys_question_unique_position"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="surveys_question_min_le_max",
                violation_error_message=_("The largest number must not be below the smallest."),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q_{self.pk}"

    @property
    def has_bounds(self) -> bool:
        return self.min_value is not None and self.max_value is not None

    @property
    def low_text(self) -> str:
        return plain_number(self.min_value)

    @property
    def high_text(self) -> str:
        return plain_number(self.max_value)


def plain_number(value: Decimal | None) -> str:
    """A bound as people write it: 5, 2.5 (not 5.00)."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text in ("-0", "") else text


class Channel(models.TextChoices):
    ONLINE = "online", _("Online by the resident")
    PAPER = "paper", _("Paper form entered by staff")


class Participation(ScopedModel):
    """That a resident or a household has answered a survey (not what): the row the database keeps
    unique, so that each answers once, and the basis of the response rate by place."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    key = models.CharField(max_length=40)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("resident")
    )
    dwelling = models.ForeignKey(
        "places.Dwelling", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dwelling")
    )
    building = models.ForeignKey(
        "places.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("building")
    )
    channel = models.CharField(_("how"), max_length=6, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    paper_number = models.CharField(_("paper form number"), max_length=40, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            # One response per resident or per household (the key says which), whoever tries at once.
            models.UniqueConstraint(fields=["survey", "key"], name="surveys_one_response_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.key}"


class Response(ScopedModel):
    """What one resident or household answered. ``scope`` is the grid of the dwelling (filters by
    place); ``building`` and ``tags`` (the respondent's groups) serve the filters of the results."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    is_anonymous = models.BooleanField(default=False, editable=False)
    building = models.ForeignKey(
        "places.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("building")
    )
    tags = models.ManyToManyField("people.PersonTag", blank=True, related_name="+", verbose_name=_("groups"))
    channel = models.CharField(_("how"), max_length=6, choices=Channel.choices)
    # Named surveys only (empty for anonymous ones, which the check constraint below enforces): not
    # even the day, which beside a participation's building and day could tell whose answers these are.
    submitted_on = models.DateField(_("answered on"), null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("resident")
    )
    dwelling = models.ForeignKey(
        "places.Dwelling", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dwelling")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False)
                | Q(
                    person__isnull=True,
                    dwelling__isnull=True,
                    recorded_by__isnull=True,
                    submitted_at__isnull=True,
                    submitted_on__isnull=True,
                ),
                name="surveys_anonymous_response_names_nobody",
            )
        ]

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    """The answer to one question: ``value`` as the question's kind has it — an option's index, a
    list of indexes, 1-5 stars, a number (as text), one rating per matrix row — and ``text`` for
    free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="surveys_one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.response_id} {self.question_id}"

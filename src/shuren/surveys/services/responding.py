"""Opening and closing a survey, and its responses: online by a resident, on paper entered by staff.

Each response first claims its ``Participation`` (survey, key): ``person:<id>`` for a survey of one
response per resident, ``dwelling:<id>`` for one per household. The database's unique constraint
refuses a second claim, so a household answers once even when two of its members (or a member and
staff entering a paper form) submit at the same moment; the second is told who answered and when.
The survey's row is locked for the write, so that closing waits for responses in flight.

For an anonymous survey the response row keeps no person, dwelling, recorder, day or time, and
the audit record of the submission names the survey, never the response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core import clock
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, ShurenError, StaleVersion
from shuren.core.scoping import has_action, require
from shuren.people.models import Person, PersonTag
from shuren.places.models import Dwelling

from .. import audience, workflow
from ..answering import clean_answers
from ..models import Answer, Channel, Participation, Response, Survey, SurveyStatus
from .base import audit


class AlreadyAnswered(ShurenError):
    """This resident or household has answered the survey: a response is final."""

    status = 409
    code = "already-answered"
    default_detail = gettext_lazy("This survey has already been answered for you.")

    @classmethod
    def for_participation(cls, survey: Survey, done: Participation) -> AlreadyAnswered:
        when = timezone.localtime(done.recorded_at).strftime("%Y-%m-%d %H:%M")
        if done.channel == Channel.PAPER:
            detail = _("A paper form for this household was entered on %(when)s.") % {"when": when}
        elif survey.per_household:
            detail = _("Your household already answered this survey on %(when)s.") % {"when": when}
        else:
            detail = _("You already answered this survey on %(when)s.") % {"when": when}
        return cls(detail, channel=done.channel, recorded_at=done.recorded_at.isoformat())


@transaction.atomic
def open_survey(*, actor: User, survey: Survey, version: int) -> Survey:
    """Open a draft for responses: it needs a question and a closing time ahead; the number of
    residents or households asked is fixed now, as the base of the response rate."""
    require(actor, "surveys.manage", survey)
    status = workflow.require(survey, "open", actor=actor)
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before the survey opens."))
    now = clock.now()
    if survey.closes_at <= now:
        raise ValidationError({"closes_at": _("The survey must close in the future.")})
    if Survey.objects.select_for_update().filter(pk=survey.pk, version=version).first() is None:
        raise StaleVersion()
    size = audience.audience_size(survey)
    opens_at = survey.opens_at if survey.opens_at and survey.opens_at > now else now
    survey.version = update_versioned(
        Survey,
        pk=survey.pk,
        version=version,
        status=status,
        opens_at=opens_at,
        opened_at=now,
        audience_size=size,
        updated_at=now,
    )
    survey.status, survey.opens_at, survey.opened_at, survey.audience_size = status, opens_at, now, size
    audit("open", actor, survey, asked=size, per=survey.one_per)
    return survey


@transaction.atomic
def close_survey(*, actor: User, survey: Survey, version: int) -> Survey:
    """Stop taking responses (before the closing time too: staff decide)."""
    require(actor, "surveys.manage", survey)
    status = workflow.require(survey, "close", actor=actor)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # after the responses in flight
    now = clock.now()
    survey.version = update_versioned(
        Survey, pk=survey.pk, version=version, status=status, closed_at=now, closed_by=actor, updated_at=now
    )
    survey.status, survey.closed_at, survey.closed_by = status, now, actor
    audit("close", actor, survey, responses=survey.responses.count())
    return survey


def _locked_open(survey: Survey) -> Survey:
    locked = Survey.objects.select_for_update().select_related("area").get(pk=survey.pk)
    now = clock.now()
    if locked.status != SurveyStatus.OPEN:
        raise InvalidTransition(_("This survey is not open for answers."))
    if locked.opens_at and locked.opens_at > now:
        raise InvalidTransition(_("This survey has not opened yet."))
    if locked.closes_at <= now:
        raise InvalidTransition(_("This survey has closed."))
    return locked


def _key(survey: Survey, person: Person | None, dwelling: Dwelling | None) -> str:
    if survey.per_household:
        assert dwelling is not None
        return f"dwelling:{dwelling.pk}"
    assert person is not None
    return f"person:{person.pk}"


def _tags(survey: Survey, person: Person | None) -> list[PersonTag]:
    """The respondent's groups kept on the response (the results' group filter). An anonymous
    survey keeps only groups that are not a sensitive category."""
    if person is None:
        return []
    tags = PersonTag.objects.filter(taggings__person=person)
    if survey.is_anonymous:
        tags = tags.filter(is_sensitive=False)
    return list(tags)


def _write(
    *,
    survey: Survey,
    answers: Mapping[str, Any],
    person: Person | None,
    dwelling: Dwelling | None,
    channel: str,
    recorded_by: User,
    paper_number: str = "",
) -> tuple[Participation, Response]:
    cleaned = clean_answers(survey.questions.order_by("position"), answers)
    if not cleaned:
        raise ValidationError(_("Answer at least one question."))
    now = clock.now()
    key = _key(survey, person, dwelling)
    done = Participation.objects.filter(survey=survey, key=key).first()
    if done is not None:
        raise AlreadyAnswered.for_participation(survey, done)
    building = dwelling.unit.building if dwelling is not None else None
    scope = dwelling.scope if dwelling is not None else (person.scope if person is not None else survey.scope)
    participation = Participation(
        survey=survey,
        key=key,
        person=person,
        dwelling=dwelling,
        building=building,
        channel=channel,
        recorded_by=recorded_by,
        paper_number=paper_number[:40],
        recorded_at=now,
        scope=scope,
    )
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError:
        # Someone else (a member of the household, or staff entering paper) committed it first.
        done = Participation.objects.get(survey=survey, key=key)
        raise AlreadyAnswered.for_participation(survey, done) from None
    named = not survey.is_anonymous
    response = Response.objects.create(
        survey=survey,
        is_anonymous=survey.is_anonymous,
        building=building,
        channel=channel,
        submitted_on=timezone.localdate(now) if named else None,
        person=person if named else None,
        dwelling=dwelling if named else None,
        recorded_by=recorded_by if named else None,
        submitted_at=now if named else None,
        scope=scope,
    )
    tags = _tags(survey, person)
    if tags:
        response.tags.set(tags)
    Answer.objects.bulk_create(
        [Answer(response=response, question=c.question, value=c.value, text=c.text) for c in cleaned]
    )
    return participation, response


@transaction.atomic
def submit_response(
    *, actor: User, survey: Survey, answers: Mapping[str, Any], dwelling: Dwelling | None = None
) -> Response:
    """A resident's own response, online. Outside the survey's audience: 404. For a survey of one
    response per household, ``dwelling`` chooses which of the resident's homes answers (the first
    when not given). Final once given."""
    if not has_action(actor, "surveys.answer"):
        raise NotPermitted()
    person = getattr(actor, "person", None)
    if person is None:
        raise OutOfScope()
    homes = list(audience.residences_of(survey, person))
    if not homes:
        raise OutOfScope()
    if dwelling is not None:
        homes = [r for r in homes if r.dwelling_id == dwelling.pk]
        if not homes:
            raise ValidationError({"dwelling": _("You do not live in this dwelling, or it is not asked.")})
    home = homes[0].dwelling
    locked = _locked_open(survey)
    _participation, response = _write(
        survey=locked,
        answers=answers,
        person=person,
        dwelling=home,
        channel=Channel.ONLINE,
        recorded_by=actor,
    )
    audit("respond", actor, locked, channel=Channel.ONLINE)
    return response


@transaction.atomic
def record_paper_response(
    *,
    actor: User,
    survey: Survey,
    answers: Mapping[str, Any],
    dwelling: Dwelling,
    person: Person | None = None,
    paper_number: str = "",
) -> Response:
    """Staff enter a paper form on behalf of a household (or, for a survey of one response per
    resident, of ``person`` living in ``dwelling``). Recorded as paper, by whom, and audited; it
    never replaces a response already given."""
    require(actor, "surveys.manage", survey)
    errors: dict[str, str] = {}
    asked = audience.residences(survey).filter(dwelling=dwelling)
    if not survey.per_household:
        if person is None:
            errors["person"] = _("Choose the resident who filled in the form.")
        elif not asked.filter(person=person).exists():
            errors["person"] = _("This resident does not live in this dwelling, or is not asked.")
    elif not asked.exists():
        errors["dwelling"] = _("Nobody the survey asks lives in this dwelling.")
    if errors:
        raise ValidationError(errors)
    locked = _locked_open(survey)
    participation, _response = _write(
        survey=locked,
        answers=answers,
        person=person,
        dwelling=dwelling,
        channel=Channel.PAPER,
        recorded_by=actor,
        paper_number=(paper_number or "").strip(),
    )
    audit(
        "respond.paper",
        actor,
        locked,
        dwelling=dwelling.pk,
        person=person.pk if person is not None and not survey.per_household else None,
        paper_number=participation.paper_number,
    )
    return _response

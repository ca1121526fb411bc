"""Reads of surveys: the console's list, one survey, its questions, the surveys open to a resident,
their own past answers, the results with their filters, and the free-text answers as the other apps
may take them up (``answer_for_need``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shuren.core import clock
from shuren.core.errors import OutOfScope
from shuren.core.redaction import redact_text
from shuren.core.scoping import has_action, scope_q, visible
from shuren.people.models import Person, PersonTag
from shuren.people.selectors import names_in_community
from shuren.places.models import Area, AreaKind, Building, Dwelling

from . import audience
from .models import Answer, Participation, Question, QuestionKind, Response, Survey, SurveyStatus
from .results import QuestionResult, percent, tabulate

PLACES = ("area", "estate", "building", "unit")
# An anonymous survey's results narrowed to a building, grid or group are shown only when at least
# this many responses match: fewer could be told apart by who is known to have taken part there.
ANONYMOUS_SMALLEST_GROUP = 5


def visible_surveys(user: Any, action: str = "surveys.view") -> QuerySet[Survey]:
    """The surveys of the user's areas with their places and how many responses each has."""
    responses = Response.objects.filter(survey=OuterRef("pk")).order_by().values("survey").annotate(n=Count("pk"))
    return (
        visible(Survey.objects.all(), user, action)
        .select_related(*PLACES)
        .annotate(response_count=Coalesce(Subquery(responses.values("n"), output_field=IntegerField()), 0))
    )


def filter_surveys(surveys: QuerySet[Survey], *, status: str = "", q: str = "") -> QuerySet[Survey]:
    """``surveys`` of one status and whose title holds ``q`` (the console's list and the API's)."""
    if status:
        surveys = surveys.filter(status=status)
    if q:
        surveys = surveys.filter(title__icontains=q.strip())
    return surveys


def survey_for(user: Any, pk: Any, action: str = "surveys.view") -> Survey:
    """Survey ``pk`` if the user may perform ``action`` on it; OutOfScope (404) otherwise."""
    survey = visible(Survey.objects.all(), user, action).select_related(*PLACES, "tag").filter(pk=pk).first()
    if survey is None:
        raise OutOfScope()
    return survey


def questions_of(survey: Survey) -> QuerySet[Question]:
    return Question.objects.filter(survey=survey).order_by("position")


def question_of(survey: Survey, pk: Any) -> Question:
    question = questions_of(survey).filter(pk=pk).first()
    if question is None:
        raise OutOfScope()
    question.survey = survey
    return question


# --- residents ------------------------------------------------------------------------------------


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def surveys_for_resident(user: Any) -> QuerySet[Survey]:
    """Surveys (open or closed) that ask the user through one of their current homes: the place and
    the audience include them. None without ``surveys.answer`` or a person in the registry."""
    person = person_of(user)
    if person is None or not has_action(user, "surveys.answer"):
        return Survey.objects.none()
    return (
        Survey.objects.filter(audience.open_to_q(person), status__in=(SurveyStatus.OPEN, SurveyStatus.CLOSED))
        .select_related(*PLACES)
        .order_by("-opens_at", "-pk")
    )


def is_accepting(survey: Survey, at: Any = None) -> bool:
    at = at or clock.now()
    return (
        survey.status == SurveyStatus.OPEN
        and (survey.opens_at is None or survey.opens_at <= at)
        and survey.closes_at > at
    )


def open_for_resident(user: Any) -> QuerySet[Survey]:
    """The surveys the user can answer now (answered or not), closing soonest first."""
    now = clock.now()
    return (
        surveys_for_resident(user)
        .filter(status=SurveyStatus.OPEN, closes_at__gt=now)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .order_by("closes_at", "pk")
    )


def awaiting_my_answer(user: Any) -> list[Survey]:
    """The surveys open to the user now that neither they nor (per household) their household have
    answered, closing soonest first: two queries."""
    surveys = list(open_for_resident(user))
    done = answered_ids(user, surveys)
    return [survey for survey in surveys if survey.pk not in done]


def resident_survey(user: Any, pk: Any) -> Survey:
    """A survey that asks the user (404 otherwise: another place's survey, or one still a draft)."""
    survey = surveys_for_resident(user).select_related("tag").filter(pk=pk).first()
    if survey is None:
        raise OutOfScope()
    return survey


def participation_of(user: Any, survey: Survey) -> Participation | None:
    """Whether (and how) the user, or their household, has answered ``survey``."""
    person = person_of(user)
    if person is None:
        return None
    if survey.per_household:
        dwellings = audience.residences_of(survey, person).values("dwelling_id")
        return Participation.objects.filter(survey=survey, dwelling_id__in=dwellings).first()
    return Participation.objects.filter(survey=survey, key=f"person:{person.pk}").first()


def answered_ids(user: Any, surveys: list[Survey]) -> set[int]:
    """Which of ``surveys`` the user (or their household) has answered: one query."""
    person = person_of(user)
    if person is None or not surveys:
        return set()
    homes = audience.current(person.residences.all()).values("dwelling_id")
    done = Participation.objects.filter(survey__in=[s.pk for s in surveys]).filter(
        Q(key=f"person:{person.pk}") | Q(dwelling_id__in=homes, key__startswith="dwelling:")
    )
    return set(done.values_list("survey_id", flat=True))


@dataclass
class OwnAnswer:
    question: Question
    text: str


def own_answers(user: Any, survey: Survey) -> list[OwnAnswer] | None:
    """What the user (or, for a household survey, their household) answered, question by question;
    None for an anonymous survey (nothing links the answers to anyone) or when nothing was answered."""
    from .answering import describe

    person = person_of(user)
    if person is None or survey.is_anonymous:
        return None
    responses = Response.objects.filter(survey=survey)
    if survey.per_household:
        homes = audience.residences_of(survey, person).values("dwelling_id")
        response = responses.filter(dwelling_id__in=homes).first()
    else:
        response = responses.filter(person=person).first()
    if response is None:
        return None
    given = {a.question_id: a for a in response.answers.all()}
    rows = []
    for question in questions_of(survey):
        answer = given.get(question.pk)
        rows.append(OwnAnswer(question, describe(question, answer.value, answer.text) if answer else ""))
    return rows


def published_results_for(user: Any, pk: Any) -> Survey:
    """A closed survey that publishes its results and asked the user; 404 otherwise."""
    survey = resident_survey(user, pk)
    if not (survey.publishes_results and survey.status == SurveyStatus.CLOSED):
        raise OutOfScope()
    return survey


# --- results --------------------------------------------------------------------------------------


@dataclass
class Results:
    survey: Survey
    responses: int
    asked: int
    rate: Any
    questions: list[QuestionResult]
    filtered: bool
    suppressed: bool = False

    @property
    def smallest_group(self) -> int:
        return ANONYMOUS_SMALLEST_GROUP


def grids_of(survey: Survey) -> QuerySet[Area]:
    """The grids a survey's results may be narrowed to (those of its place)."""
    if survey.area.kind == AreaKind.GRID:
        return Area.objects.filter(pk=survey.area_id)
    return Area.objects.filter(parent_id=survey.area_id, kind=AreaKind.GRID).order_by("code")


def buildings_of(survey: Survey) -> QuerySet[Building]:
    """The buildings a survey's results may be narrowed to."""
    buildings = Building.objects.select_related("estate")
    if survey.building_id:
        return buildings.filter(pk=survey.building_id)
    if survey.estate_id:
        return buildings.filter(estate_id=survey.estate_id).order_by("number")
    return buildings.filter(scope_q([survey.area.path], "scope")).order_by("estate__name", "number")


def groups() -> QuerySet[PersonTag]:
    return PersonTag.objects.order_by("code")


def responses_of(
    survey: Survey, *, grid: Area | None = None, building: Building | None = None, tag: PersonTag | None = None
) -> QuerySet[Response]:
    """The survey's responses, narrowed to a grid, a building or a group (the results' one filter,
    used by the page, the API and the export)."""
    responses = Response.objects.filter(survey=survey)
    if grid is not None:
        responses = responses.filter(scope_q([grid.path], "scope"))
    if building is not None:
        responses = responses.filter(building=building)
    if tag is not None:
        responses = responses.filter(tags=tag)
    return responses


def public_text(survey: Survey) -> Callable[[str], str]:
    """Free texts as anyone but staff reads them: through ``core.redaction``, which also hides the
    names of the people registered in the survey's community (a neighbour named in an answer)."""
    area = survey.area
    community = area.parent if area.kind == AreaKind.GRID and area.parent is not None else area
    names = names_in_community(community)
    return lambda text: redact_text(text, names=names)


def results_of(
    survey: Survey,
    *,
    staff: bool,
    grid: Area | None = None,
    building: Building | None = None,
    tag: PersonTag | None = None,
) -> Results:
    """The results, narrowed by place or group. Free texts are shown to staff as written and to
    anyone else through ``core.redaction``. An anonymous survey narrowed to fewer than
    ``ANONYMOUS_SMALLEST_GROUP`` responses shows its count only (``suppressed``). Three queries
    whatever the number of responses: the questions, the responses' count, the answers (and for
    anyone but staff the names to hide)."""
    responses = responses_of(survey, grid=grid, building=building, tag=tag)
    questions = list(questions_of(survey))
    answers = Answer.objects.filter(response__in=responses).values_list("question_id", "value", "text")
    shown: Callable[[str], str] = _as_written if staff else public_text(survey)
    count = responses.count()
    filtered = grid is not None or building is not None or tag is not None
    suppressed = too_few_to_show(survey, count, filtered=filtered)
    asked = survey.audience_size
    return Results(
        survey=survey,
        responses=count,
        asked=asked,
        rate=None if filtered else percent(count, asked),
        questions=[] if suppressed else tabulate(questions, answers.iterator(), shown=shown),
        filtered=filtered,
        suppressed=suppressed,
    )


def too_few_to_show(survey: Survey, count: int, *, filtered: bool) -> bool:
    """Whether an anonymous survey's responses narrowed by place or group are too few to show."""
    return survey.is_anonymous and filtered and 0 < count < ANONYMOUS_SMALLEST_GROUP


def _as_written(text: str) -> str:
    return text


def participation_by_building(survey: Survey) -> list[tuple[str, int]]:
    """How many took part in each building (paper and online), for the response rate by place."""
    rows = (
        Participation.objects.filter(survey=survey)
        .values("building__estate__name", "building__number")
        .annotate(n=Count("pk"))
        .order_by("building__estate__name", "building__number")
    )
    return [(f"{r['building__estate__name'] or ''}{r['building__number'] or '—'}", r["n"]) for r in rows]


def export_rows(survey: Survey, responses: QuerySet[Response]) -> tuple[list[Question], list[dict[str, Any]]]:
    """The questions and, per response, its answers by question id (the export). Anonymous
    surveys' responses come in the order of their random keys, never in the order answered."""
    questions = list(questions_of(survey))
    rows: dict[Any, dict[str, Any]] = {}
    listed = responses.select_related("building__estate", "dwelling__unit__building", "person", "recorded_by")
    for response in listed.order_by("pk" if survey.is_anonymous else "submitted_at"):
        rows[response.pk] = {"response": response, "answers": {}}
    for response_id, question_id, value, text in Answer.objects.filter(response__in=responses).values_list(
        "response_id", "question_id", "value", "text"
    ):
        if response_id in rows:
            rows[response_id]["answers"][question_id] = (value, text)
    return questions, list(rows.values())


# --- the hook for other apps ----------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerForNeed:
    """A free-text answer as another app (a list of residents' needs) may take it up: the text as
    written (the caller manages the survey's place; redact it before showing it to anyone else),
    and where it comes from. Never who wrote it."""

    survey_id: int
    survey_title: str
    question: str
    text: str
    area_id: int
    building_id: int | None
    scope: str
    answered_on: Any


def answer_for_need(user: Any, answer_id: Any) -> AnswerForNeed:
    """The free-text answer ``answer_id`` of a survey the user manages, with its place: the
    integration point for turning an answer into a need. 404 outside the user's scope."""
    if not str(answer_id).isdigit():
        raise OutOfScope()
    answer = (
        Answer.objects.filter(pk=int(answer_id), question__kind=QuestionKind.TEXT)
        .select_related("question__survey", "response")
        .first()
    )
    if answer is None:
        raise OutOfScope()
    survey = survey_for(user, answer.question.survey_id, "surveys.manage")
    return AnswerForNeed(
        survey_id=survey.pk,
        survey_title=survey.title,
        question=answer.question.text,
        text=answer.text,
        area_id=survey.area_id,
        building_id=answer.response.building_id,
        scope=answer.response.scope,
        answered_on=answer.response.submitted_on,
    )


def text_answers(survey: Survey, responses: QuerySet[Response] | None = None) -> QuerySet[Answer]:
    """The free-text answers of a survey, newest responses' first (staff's list beside the results)."""
    rows = Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT).exclude(text="")
    if responses is not None:
        rows = rows.filter(response__in=responses)
    return rows.select_related("question", "response").order_by("question__position", "pk")


def survey_with_places(survey: Survey) -> Survey:
    return Survey.objects.select_related(*PLACES, "tag").get(pk=survey.pk)


# --- paper entry ----------------------------------------------------------------------------------


def find_dwellings(survey: Survey, *, building: str = "", unit: str = "", room: str = "") -> QuerySet[Dwelling]:
    """Dwellings of the survey's place whose building, unit and room match what staff typed."""
    dwellings = Dwelling.objects.filter(pk__in=audience.residences(survey).values("dwelling_id")).select_related(
        "unit__building__estate"
    )
    if building:
        dwellings = dwellings.filter(unit__building__number__icontains=building.strip())
    if unit:
        dwellings = dwellings.filter(unit__number__icontains=unit.strip())
    if room:
        dwellings = dwellings.filter(room__iexact=room.strip())
    return dwellings.order_by("unit__building__number", "unit__number", "room")


def asked_dwelling(survey: Survey, pk: Any) -> Dwelling | None:
    """Dwelling ``pk`` if someone the survey asks lives there."""
    if not str(pk).isdigit():
        return None
    return find_dwellings(survey).filter(pk=int(pk)).first()


def asked_people(survey: Survey, dwelling: Dwelling) -> list[tuple[int, str]]:
    """The residents of ``dwelling`` the survey asks, as (id, name)."""
    rows = audience.residences(survey).filter(dwelling=dwelling).values_list("person_id", "person__name")
    return sorted(set(rows))


def participation_for(survey: Survey, dwelling: Dwelling) -> list[Participation]:
    """Who of ``dwelling`` has taken part already (paper entry shows it before a second form)."""
    return list(Participation.objects.filter(survey=survey, dwelling=dwelling).select_related("recorded_by"))


def asked_person(survey: Survey, dwelling: Dwelling, pk: Any) -> Person | None:
    """Resident ``pk`` if the survey asks them through ``dwelling``; None otherwise."""
    if not pk or not str(pk).isdigit():
        return None
    return Person.objects.filter(
        pk__in=audience.residences(survey).filter(dwelling=dwelling, person_id=int(pk)).values("person_id")
    ).first()


def result_filters(survey: Survey, params: Any) -> dict[str, Any]:
    """The results' filters from a query string (``grid``, ``building``, ``tag``), each looked up
    among the survey's own; the page, the API and the export read them here alike."""
    chosen: dict[str, Any] = {"grid": None, "building": None, "tag": None}
    grid, building, tag = (str(params.get(name) or "") for name in ("grid", "building", "tag"))
    if grid.isdigit():
        chosen["grid"] = grids_of(survey).filter(pk=int(grid)).first()
    if building.isdigit():
        chosen["building"] = buildings_of(survey).filter(pk=int(building)).first()
    if tag.isdigit():
        chosen["tag"] = groups().filter(pk=int(tag)).first()
    return chosen


def survey_with_questions(survey: Survey) -> Survey:
    return Survey.objects.select_related(*PLACES).prefetch_related("questions").get(pk=survey.pk)


def home_of(user: Any, survey: Survey, pk: Any) -> Dwelling:
    """One of the user's homes through which ``survey`` asks them; 404 otherwise."""
    person = person_of(user)
    if person is None or not str(pk).isdigit():
        raise OutOfScope()
    row = audience.residences_of(survey, person).filter(dwelling_id=int(pk)).first()
    if row is None:
        raise OutOfScope()
    return row.dwelling

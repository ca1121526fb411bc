"""Staff console of surveys: the list, drafting a survey and its questions in order, opening and
closing, the results with their charts and filters, the export, and paper forms entered by staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.core.errors import ShurenError
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires
from shuren.core.scoping import can, has_action

from .. import selectors, services, workflow
from ..exports import ResponseExporter
from ..forms import AnswerForm, PaperFindForm, PaperMetaForm, QuestionForm, SurveyForm, VersionForm
from ..models import Survey, SurveyStatus
from ..selectors import survey_for

MANAGE = "surveys.manage"


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(getattr(exc, "detail", exc))


@requires("surveys.view")
def survey_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    wanted = status if status in SurveyStatus.values else ""
    surveys = selectors.filter_surveys(selectors.visible_surveys(request.user), status=wanted)
    page = Paginator(surveys.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/console/survey_list.html",
        {
            "page": page,
            "status": status,
            "statuses": SurveyStatus.choices,
            "can_manage": has_action(request.user, MANAGE),
        },
    )


@requires(MANAGE)
def survey_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    survey = survey_for(user, pk, MANAGE) if pk is not None else None
    if survey is not None and survey.status != SurveyStatus.DRAFT:
        messages.error(request, _("Only a draft survey can be changed; its questions are fixed once it opens."))
        return redirect("surveys:survey_detail", survey.pk)
    form = SurveyForm(request.POST or None, instance=survey or Survey(), user=user, tags=selectors.groups())
    if request.method == "POST" and form.is_valid():
        try:
            if survey is None:
                saved = services.create_survey(actor=user, **form.service_fields())
                messages.success(request, _("The survey has been drafted. Add its questions."))
            else:
                saved = services.update_survey(
                    actor=user, survey=survey, version=form.cleaned_data.get("version") or -1, **form.service_fields()
                )
                messages.success(request, _("The survey has been saved."))
            return redirect("surveys:survey_detail", saved.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except ShurenError as exc:
            form.add_error(None, str(exc.detail))
    title = _("Edit survey %(title)s") % {"title": survey.title} if survey else _("New survey")
    return render(request, "surveys/console/survey_form.html", {"form": form, "title": title, "survey": survey})


@requires("surveys.view")
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = survey_for(user, pk)
    can_manage = can(user, MANAGE, survey)
    return render(
        request,
        "surveys/console/survey_detail.html",
        {
            "survey": survey,
            "questions": list(selectors.questions_of(survey)),
            "can_manage": can_manage,
            "actions": workflow.allowed_actions(survey, actor=user) if can_manage else [],
            "version_form": VersionForm(initial={"version": survey.version}),
            "responses": survey.responses.count(),
            "is_draft": survey.status == SurveyStatus.DRAFT,
            "accepting": selectors.is_accepting(survey),
        },
    )


@requires(MANAGE)
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    survey = survey_for(user, pk, MANAGE)
    question = selectors.question_of(survey, question_pk) if question_pk is not None else None
    if survey.status != SurveyStatus.DRAFT:
        messages.error(request, _("Only a draft survey can be changed; its questions are fixed once it opens."))
        return redirect("surveys:survey_detail", survey.pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                services.add_question(actor=user, survey=survey, **form.service_fields())
            else:
                services.update_question(actor=user, question=question, **form.service_fields())
            messages.success(request, _("The question has been saved."))
            return redirect("surveys:survey_detail", survey.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except ShurenError as exc:
            form.add_error(None, str(exc.detail))
    title = _("Edit question") if question else _("New question")
    return render(request, "surveys/console/question_form.html", {"form": form, "title": title, "survey": survey})


@require_POST
@requires(MANAGE)
def question_remove(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = survey_for(user, pk, MANAGE)
    question = selectors.question_of(survey, question_pk)
    try:
        services.remove_question(actor=user, question=question)
        messages.success(request, _("The question has been removed."))
    except (ValidationError, ShurenError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("surveys:survey_detail", survey.pk)


@require_POST
@requires(MANAGE)
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    user = acting_user(request)
    survey = survey_for(user, pk, MANAGE)
    question = selectors.question_of(survey, question_pk)
    try:
        services.move_question(actor=user, question=question, up=request.POST.get("direction") == "up")
    except (ValidationError, ShurenError) as exc:
        messages.error(request, _error_text(exc))
    return redirect(reverse("surveys:survey_detail", args=[survey.pk]) + f"#question-{question.pk}")


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    survey = survey_for(user, pk, MANAGE)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("surveys:survey_detail", survey.pk)
    try:
        if action == "open":
            services.open_survey(actor=user, survey=survey, version=form.cleaned_data["version"])
            messages.success(request, _("The survey is open for answers."))
        else:
            services.close_survey(actor=user, survey=survey, version=form.cleaned_data["version"])
            messages.success(request, _("The survey is closed."))
    except (ValidationError, ShurenError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("surveys:survey_detail", survey.pk)


@require_POST
@requires(MANAGE)
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "open")


@require_POST
@requires(MANAGE)
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "close")


@requires("surveys.view")
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts and shares per option, averages, matrix tables, charts with their tables, free texts
    with their keywords, the response rate; narrowed by grid, building or group."""
    survey = survey_for(request.user, pk)
    chosen = selectors.result_filters(survey, request.GET)
    results = selectors.results_of(survey, staff=True, **chosen)
    return render(
        request,
        "surveys/console/results.html",
        {
            "survey": survey,
            "results": results,
            "grids": selectors.grids_of(survey),
            "buildings": selectors.buildings_of(survey),
            "groups": selectors.groups(),
            "chosen": chosen,
            "by_building": selectors.participation_by_building(survey),
            "query": request.GET.urlencode(),
        },
    )


@requires("surveys.view")
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The responses (narrowed like the results) as xlsx, audited on the survey."""
    survey = survey_for(request.user, pk)
    chosen = selectors.result_filters(survey, request.GET)
    responses = selectors.responses_of(survey, **chosen)
    filters = {name: str(value.pk) for name, value in chosen.items() if value is not None}
    if selectors.too_few_to_show(survey, responses.count(), filtered=bool(filters)):
        responses = responses.none()
    return ResponseExporter(request.user, survey, responses).survey_response(request, filters)


@requires(MANAGE)
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Find the household by building, unit and room; enter what its paper form says."""
    user = acting_user(request)
    survey = survey_for(user, pk, MANAGE)
    questions = list(selectors.questions_of(survey))
    find = PaperFindForm(request.GET or None)
    found = []
    if find.is_valid():
        found = list(selectors.find_dwellings(survey, **find.cleaned_data)[:20])
    dwelling = selectors.asked_dwelling(survey, request.POST.get("dwelling") or request.GET.get("dwelling") or "")
    people = selectors.asked_people(survey, dwelling) if dwelling is not None and not survey.per_household else []
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data, questions=questions)
    meta = PaperMetaForm(data, people=people)
    if request.method == "POST" and dwelling is not None and form.is_valid() and meta.is_valid():
        person_pk = meta.cleaned_data.get("person")
        person = selectors.asked_person(survey, dwelling, person_pk)
        try:
            services.record_paper_response(
                actor=user,
                survey=survey,
                answers=form.answers(),
                dwelling=dwelling,
                person=person,
                paper_number=meta.cleaned_data.get("paper_number") or "",
            )
            messages.success(request, _("The paper form of %(dwelling)s has been entered.") % {"dwelling": dwelling})
            return redirect("surveys:paper_entry", survey.pk)
        except ValidationError as exc:
            _add_answer_errors(form, meta, exc)
        except ShurenError as exc:
            form.add_error(None, str(exc.detail))
    return render(
        request,
        "surveys/console/paper_entry.html",
        {
            "survey": survey,
            "find": find,
            "found": found,
            "dwelling": dwelling,
            "done": selectors.participation_for(survey, dwelling) if dwelling is not None else [],
            "form": form,
            "meta": meta,
            "items": form.items(),
            "accepting": selectors.is_accepting(survey),
        },
    )


def _add_answer_errors(form: AnswerForm, meta: PaperMetaForm, exc: ValidationError) -> None:
    """A service's errors beside the question (``q_<id>``) or the paper form's field they concern."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif name in meta.fields:
            meta.add_error(name, errors)
        else:
            form.add_error(None, errors)

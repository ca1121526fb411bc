"""Residents' portal of surveys (/my/surveys/), made for phones: the surveys that ask me, the answer
form (what I typed stays when something is wrong), the confirmation, my own past answers where the
survey is named, and the results a survey publishes once closed (free texts redacted)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shuren.accounts.acting import acting_user
from shuren.core.errors import ShurenError
from shuren.core.forms import add_validation_errors
from shuren.core.permissions import requires

from .. import selectors, services
from ..forms import AnswerForm
from ..models import SurveyStatus


@requires("surveys.answer")
def my_surveys(request: HttpRequest) -> HttpResponse:
    surveys = list(selectors.surveys_for_resident(request.user)[:50])
    done = selectors.answered_ids(request.user, surveys)
    open_now = [s for s in surveys if selectors.is_accepting(s)]
    past = [s for s in surveys if not selectors.is_accepting(s)]
    return render(
        request,
        "surveys/portal/my_surveys.html",
        {"open_now": open_now, "past": past, "done": done},
    )


@requires("surveys.answer")
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey and, while it takes answers and I have not answered, its form."""
    found = selectors.resident_survey(request.user, pk)
    questions = list(selectors.questions_of(found))
    participation = selectors.participation_of(request.user, found)
    accepting = selectors.is_accepting(found)
    form = None
    if accepting and participation is None:
        form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_response(actor=acting_user(request), survey=found, answers=form.answers())
                return redirect("surveys_portal:thanks", found.pk)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            except ShurenError as exc:
                form.add_error(None, str(exc.detail))
    return render(
        request,
        "surveys/portal/survey.html",
        {
            "survey": found,
            "form": form,
            "items": form.items() if form is not None else [],
            "participation": participation,
            "accepting": accepting,
            "own": selectors.own_answers(request.user, found) if participation is not None else None,
            "results_ready": found.publishes_results and found.status == SurveyStatus.CLOSED,
        },
    )


@requires("surveys.answer")
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.resident_survey(request.user, pk)
    return render(
        request,
        "surveys/portal/thanks.html",
        {"survey": found, "participation": selectors.participation_of(request.user, found)},
    )


@requires("surveys.answer")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The published results of a closed survey that asked me; free texts redacted."""
    found = selectors.published_results_for(request.user, pk)
    return render(
        request,
        "surveys/portal/results.html",
        {"survey": found, "results": selectors.results_of(found, staff=False)},
    )

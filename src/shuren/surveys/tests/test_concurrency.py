"""One household (or one resident) answers once, even when two try at the same moment — in real
threads, each with its own connection, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shuren.accounts.models import User
from shuren.audit.models import AuditEvent
from shuren.core.testing import run_at_once
from shuren.places.models import Dwelling
from shuren.surveys import services
from shuren.surveys.models import Participation, Response, Survey

from .conftest import answers_for, open_survey

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


def race(attempts: list[tuple[str, Callable[[User, Survey], object]]], survey_pk: int) -> dict[str, str]:
    """Each (username, action) in its own thread; every thread reads the survey as its page did,
    then all act at once. Returns username -> outcome."""

    def job(username: str, action: Callable[[User, Survey], object]) -> Callable[[Callable[[], Any]], str]:
        def attempt(start: Callable[[], Any]) -> str:
            user = User.objects.get(username=username)
            survey = Survey.objects.select_related("area").get(pk=survey_pk)
            start()
            try:
                action(user, survey)
            except services.AlreadyAnswered as exc:
                assert exc.detail  # says when the household answered
                return "refused"
            return "answered"

        return attempt

    outcomes = run_at_once([job(username, action) for username, action in attempts])
    return dict(zip([username for username, _action in attempts], outcomes, strict=True))


def online(user: User, survey: Survey) -> None:
    services.submit_response(actor=user, survey=survey, answers=answers_for(survey))


def test_two_members_of_a_household_answering_at_once_give_one_response(world):
    for n in range(ROUNDS):
        survey = open_survey(world, title=f"第{n}轮")
        outcomes = race([("wangfang", online), ("liqiang", online)], survey.pk)
        assert sorted(outcomes.values()) == ["answered", "refused"], outcomes
        assert Response.objects.filter(survey=survey).count() == 1
        assert Participation.objects.filter(survey=survey).count() == 1
        assert AuditEvent.objects.filter(action="surveys.respond", object_id=str(survey.pk)).count() == 1


def test_a_resident_online_and_staff_entering_the_paper_form_at_once_give_one_response(world):
    dwelling_pk = world.dwellings["a201"].pk

    def paper(user: User, survey: Survey) -> None:
        services.record_paper_response(
            actor=user, survey=survey, answers=answers_for(survey), dwelling=Dwelling.objects.get(pk=dwelling_pk)
        )

    for n in range(ROUNDS):
        survey = open_survey(world, title=f"纸质第{n}轮", is_anonymous=n % 2 == 0)
        outcomes = race([("zhaomin", online), ("staff", paper)], survey.pk)
        assert sorted(outcomes.values()) == ["answered", "refused"], outcomes
        [response] = Response.objects.filter(survey=survey)
        assert response.channel == ("online" if outcomes["zhaomin"] == "answered" else "paper")


def test_one_resident_sending_twice_at_once_gives_one_response(world):
    for n in range(ROUNDS):
        survey = open_survey(world, title=f"重复第{n}轮", one_per="resident")
        outcomes = run_at_once([(lambda start, pk=survey.pk: _twice(start, pk)) for _ in range(2)])
        assert sorted(outcomes) == ["answered", "refused"], outcomes
        assert Response.objects.filter(survey=survey).count() == 1


def _twice(start: Callable[[], Any], survey_pk: int) -> str:
    user = User.objects.get(username="zhangwei")
    survey = Survey.objects.get(pk=survey_pk)
    start()
    try:
        online(user, survey)
    except services.AlreadyAnswered:
        return "refused"
    return "answered"

"""Scoping-matrix objects for the surveys routes (merged into tests.scoped_objects.OBJECT_ROUTES):
a draft survey of the side's community with one question."""

from __future__ import annotations

from typing import Any

from tests.scoped_objects import Factory, World, _community


def survey(world: World, side: str) -> tuple[dict[str, Any], str]:
    import datetime as dt

    from django.utils import timezone

    from shuren.surveys.models import Question, Survey

    community = _community(world, side)
    obj, _created = Survey.objects.get_or_create(
        reference=f"MATRIX-{side}",
        defaults={
            "title": f"{community.name}满意度调查",
            "area": community,
            "closes_at": timezone.now() + dt.timedelta(days=7),
            "created_by": world[f"member_{side}"],
        },
    )
    Question.objects.get_or_create(
        survey=obj, position=1, defaults={"kind": "single", "text": f"{community.name}问题", "options": ["是", "否"]}
    )
    return {"pk": obj.pk}, obj.scope


def question(world: World, side: str) -> tuple[dict[str, Any], str]:
    kwargs, scope = survey(world, side)
    from shuren.surveys.models import Question

    return {"pk": kwargs["pk"], "question_pk": Question.objects.get(survey_id=kwargs["pk"], position=1).pk}, scope


ROUTES: dict[str, Factory] = {
    "surveys:survey_detail": survey,
    "surveys:survey_edit": survey,
    "surveys:question_new": survey,
    "surveys:question_edit": question,
    "surveys:question_remove": question,
    "surveys:question_move": question,
    "surveys:survey_open": survey,
    "surveys:survey_close": survey,
    "surveys:survey_results": survey,
    "surveys:survey_export": survey,
    "surveys:paper_entry": survey,
    "surveys_portal:survey": survey,
    "surveys_portal:thanks": survey,
    "surveys_portal:results": survey,
    "api:surveys-survey-detail": survey,
    "api:surveys-survey-results": survey,
    "api:surveys-response-create": survey,
}


# --- ids in request bodies ------------------------------------------------------------------------


def _body_cases(world: World) -> list[Any]:
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from shuren.surveys.models import Survey
    from tests.scoped_objects import BodyCase

    def page(client: Any, side: str) -> Any:
        closes = timezone.localtime(timezone.now() + dt.timedelta(days=7))
        body = {
            "title": "满意度调查",
            "area": _community(world, side).pk,
            "audience": "residents",
            "one_per": "household",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        }
        return client.post(reverse("surveys:survey_new"), body)

    return [BodyCase("surveys: a survey of a community (page)", page, Survey.objects.count, field="area")]


BODY_IDS = [_body_cases]

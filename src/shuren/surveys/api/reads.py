"""Reads of the surveys API: the surveys of my areas (staff), the surveys open to me (residents),
one survey with its questions, and its results (staff)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import AnyActionByMethod, HasAction
from shuren.core.scoping import has_action

from .. import selectors
from ..models import Survey
from ..results import QuestionResult
from .serializers import SurveyDetailSerializer, SurveySerializer


class SurveyListView(ServiceAPIView):
    """The surveys of the caller's areas (``?status=``, ``?q=`` in the title)."""

    permission_classes = [HasAction("surveys.view")]

    @extend_schema(operation_id="surveys_list", responses=paginated(SurveySerializer))
    def get(self, request: Request) -> Response:
        surveys = selectors.filter_surveys(
            selectors.visible_surveys(request.user).order_by("-created_at", "-pk"),
            status=request.query_params.get("status") or "",
            q=request.query_params.get("q") or "",
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(surveys, request, view=self)
        return paginator.get_paginated_response(SurveySerializer(page, many=True).data)


class OpenSurveyListView(ServiceAPIView):
    """The surveys the caller can answer now, each saying whether they (or their household) have."""

    permission_classes = [HasAction("surveys.answer")]

    @extend_schema(operation_id="surveys_open_list", responses=SurveySerializer(many=True))
    def get(self, request: Request) -> Response:
        surveys = list(selectors.open_for_resident(request.user))
        done = selectors.answered_ids(request.user, surveys)
        data = SurveySerializer(surveys, many=True).data
        for item in data:
            item["answered"] = item["id"] in done
        return Response(data)


def _survey(request: Request, pk: int) -> Survey:
    """Staff see the surveys of their areas; residents those that ask them (404 otherwise)."""
    if has_action(request.user, "surveys.view"):
        found = selectors.visible_surveys(request.user).filter(pk=pk).first()
        if found is not None:
            return found
    return selectors.resident_survey(request.user, pk)


class SurveyDetailView(ServiceAPIView):
    permission_classes = [AnyActionByMethod({"GET": ("surveys.view", "surveys.answer")})]

    @extend_schema(responses=SurveyDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        survey = _survey(request, pk)
        survey = selectors.survey_with_questions(survey)
        return Response(SurveyDetailSerializer(survey).data)


def _question(result: QuestionResult) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": result.question.pk,
        "position": result.question.position,
        "kind": result.kind,
        "text": result.question.text,
        "answered": result.answered,
    }
    if result.lines:
        item["options"] = [
            {"label": line.label, "count": line.count, "percent": None if line.share is None else str(line.share)}
            for line in result.lines
        ]
    for name in ("average", "smallest", "median", "largest"):
        value = getattr(result, name)
        if value is not None:
            item[name] = str(value)
    if result.matrix:
        item["rows"] = [
            {
                "label": row.label,
                "counts": row.counts,
                "answered": row.answered,
                "average": None if row.average is None else str(row.average),
            }
            for row in result.matrix
        ]
    if result.kind == "text":
        item["texts"] = result.texts
        item["keywords"] = [{"word": word, "count": n} for word, n in result.keywords]
    return item


class ResultsView(ServiceAPIView):
    """Counts and shares per option, averages, matrix tables, free texts with their keywords, and
    the response rate; ``?grid=``, ``?building=``, ``?tag=`` narrow them."""

    permission_classes = [HasAction("surveys.view")]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        survey = selectors.survey_for(request.user, pk)
        chosen = selectors.result_filters(survey, request.query_params)
        results = selectors.results_of(survey, staff=True, **chosen)
        return Response(
            {
                "survey": survey.pk,
                "status": survey.status,
                "responses": results.responses,
                "asked": results.asked,
                "response_rate": None if results.rate is None else str(results.rate),
                "suppressed": results.suppressed,
                "questions": [_question(r) for r in results.questions],
            }
        )

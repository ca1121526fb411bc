"""REST API of insights (/api/v1/insights/): the KPIs of an area for a period with its children's
(what the dashboard shows, from the same roll-ups), and the evaluations of communities. Read-only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.openapi import problems
from shuren.api.permissions import AnyActionByMethod
from shuren.api.schema import LIST_OF_OBJECTS

from . import figures, rollups, selectors
from .forms import PRESETS, PeriodForm
from .models import Evaluation, PeriodKind

READ = {"GET": (selectors.VIEW,)}


class InsightsPeriodSerializer(serializers.Serializer):
    preset = serializers.ChoiceField(choices=[p for p, _label in PRESETS], required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        form = PeriodForm({k: str(v) for k, v in attrs.items()})
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get("__all__") or form.errors)
        return {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}


def _area(area: Any) -> dict[str, Any]:
    return {"id": area.pk, "name": area.name, "kind": area.kind, "path": area.path}


class AreaKpisView(ServiceAPIView):
    """GET: the KPIs of one area for a period (``preset``, or ``start`` and ``end``), and of each
    area directly below it. Names and definitions: docs/insights.md; None where there is nothing
    to count, and for open work (open appeals, points held ...) at a day before its first count."""

    permission_classes = [AnyActionByMethod(READ)]

    @extend_schema(
        operation_id="insights_area_kpis",
        parameters=[InsightsPeriodSerializer],
        responses={200: dict, **problems(400, 401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        area = selectors.openable_area(request.user, pk)
        query = InsightsPeriodSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = query.validated_data["start"], query.validated_data["end"]
        children = list(selectors.children_of(area))
        last = rollups.last_run()
        own = figures.kpis_for(area, start, end)
        return Response(
            {
                "area": _area(area),
                "start": start,
                "end": end,
                "as_of": last.as_of if last else None,
                "kpis": own.values,
                "stocks": own.stocks,
                "children": [{"area": _area(k.area), "kpis": k.values} for k in figures.kpis_of(children, start, end)],
            }
        )


class EvaluationListView(ServiceAPIView):
    """GET: the evaluations of the communities in the caller's scope, newest first, with each
    indicator's value and score; filter by ``community`` and ``period_kind``."""

    permission_classes = [AnyActionByMethod(READ)]

    @extend_schema(
        operation_id="insights_evaluations",
        parameters=[
            OpenApiParameter("community", int, required=False),
            OpenApiParameter("period_kind", str, required=False, enum=PeriodKind.values),
        ],
        responses={200: LIST_OF_OBJECTS, **problems(401, 403)},
    )
    def get(self, request: Request) -> Response:
        communities = selectors.dashboard_areas(request.user)
        evaluations = Evaluation.objects.filter(community__in=communities).select_related("community")
        if request.query_params.get("community", "").isdigit():
            evaluations = evaluations.filter(community_id=int(request.query_params["community"]))
        if request.query_params.get("period_kind") in PeriodKind.values:
            evaluations = evaluations.filter(period_kind=request.query_params["period_kind"])
        rows = evaluations.prefetch_related("scores").order_by("-period_start", "rank")[:500]
        return Response(
            [
                {
                    "community": _area(e.community),
                    "period_kind": e.period_kind,
                    "period_start": e.period_start,
                    "period_end": e.period_end,
                    "score": e.score,
                    "max_score": e.max_score,
                    "rank": e.rank,
                    "ranked_among": e.ranked_among,
                    "scores": [
                        {
                            "code": s.code,
                            "name": s.name,
                            "value": s.value,
                            "target": s.target,
                            "weight": s.weight,
                            "score": s.score,
                        }
                        for s in e.scores.all()
                    ],
                }
                for e in rows
            ]
        )

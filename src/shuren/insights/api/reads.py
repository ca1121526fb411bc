"""The GET views of insights' API: the KPIs of an area for a period with its children's (what the
dashboard shows, from the same roll-ups), and the evaluations of communities."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.openapi import problems
from shuren.api.permissions import AnyActionByMethod
from shuren.api.schema import LIST_OF_OBJECTS

from .. import figures, rollups, selectors
from ..models import PeriodKind
from .serializers import InsightsPeriodSerializer, area_data, evaluation_data

READ: dict[str, tuple[str, ...]] = {"GET": (selectors.VIEW,)}


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
                "area": area_data(area),
                "start": start,
                "end": end,
                "as_of": last.as_of if last else None,
                "kpis": own.values,
                "stocks": own.stocks,
                "children": [
                    {"area": area_data(k.area), "kpis": k.values} for k in figures.kpis_of(children, start, end)
                ],
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
        rows = selectors.evaluations_for(
            request.user,
            community=request.query_params.get("community", ""),
            period_kind=request.query_params.get("period_kind", ""),
        )
        return Response([evaluation_data(e) for e in rows])

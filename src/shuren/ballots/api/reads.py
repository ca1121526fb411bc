"""Reads of the ballots API: ballots (with the POST that drafts one), one ballot, its matters (with
the POST that adds one), the tally with its arithmetic, and the rules in use."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import ActionByMethod, HasAction
from shuren.api.schema import LIST_OF_OBJECTS

from .. import selectors, services
from ..selectors import ballot_for, turnout, visible_ballots
from ..tally import describe_all
from .base import BallotAPIView, ballot_response
from .serializers import BallotCreateSerializer, BallotSerializer, MatterCreateSerializer, MatterSerializer


class BallotListView(BallotAPIView):
    permission_classes = [ActionByMethod({"GET": "ballots.view", "POST": "ballots.manage"})]

    @extend_schema(operation_id="ballots_list", responses=paginated(BallotSerializer))
    def get(self, request: Request) -> Response:
        ballots = selectors.filter_ballots(
            visible_ballots(request.user).prefetch_related("matters__rule").order_by("-created_at"),
            status=request.query_params.get("status") or "",
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(ballots, request, view=self)
        return paginator.get_paginated_response(BallotSerializer(page, many=True).data)

    @extend_schema(request=BallotCreateSerializer, responses={201: BallotSerializer})
    def post(self, request: Request) -> Response:
        body = BallotCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        ballot = services.create_ballot(actor=acting_user(request), **body.validated_data)
        return ballot_response(ballot, status_code=status.HTTP_201_CREATED)


class BallotDetailView(BallotAPIView):
    permission_classes = [HasAction("ballots.view")]

    @extend_schema(responses=BallotSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return ballot_response(ballot_for(request.user, pk))


class MatterListView(BallotAPIView):
    permission_classes = [ActionByMethod({"GET": "ballots.view", "POST": "ballots.manage"})]

    @extend_schema(responses=MatterSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk)
        return Response(MatterSerializer(selectors.matters_in_order(ballot), many=True).data)

    @extend_schema(request=MatterCreateSerializer, responses={201: MatterSerializer})
    def post(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk, "ballots.manage")
        body = MatterCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        matter = services.add_matter(actor=acting_user(request), ballot=ballot, **body.validated_data)
        return Response(MatterSerializer(matter).data, status=status.HTTP_201_CREATED)


class TallyView(BallotAPIView):
    """Each matter's result with the arithmetic (provisional while voting is open), and turnout."""

    permission_classes = [HasAction("ballots.view")]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk)
        matters = []
        if ballot.status in ("open", "closed"):
            for matter in selectors.matters_in_order(ballot):
                result = matter.result if ballot.status == "closed" else selectors.count_matter(matter)
                matters.append(
                    {
                        "id": matter.pk,
                        "position": matter.position,
                        "title": matter.title,
                        "passed": result["passed"],
                        "result": result,
                        "lines": [check["line"] for check in describe_all(result)],
                    }
                )
        data = {
            "ballot": ballot.pk,
            "status": ballot.status,
            "provisional": ballot.status == "open",
            "total_area": str(ballot.total_area),
            "total_owners": ballot.total_owners,
            "turnout": [
                {"matter": t.matter.pk, "owners": t.owners, "area": str(t.area), "online": t.online, "paper": t.paper}
                for t in (turnout(ballot) if ballot.status == "open" else [])
            ],
            "matters": matters,
        }
        return Response(data)


class RuleListView(BallotAPIView):
    """The rules in use (reference data, not tied to a place)."""

    permission_classes = [HasAction("ballots.view")]

    @extend_schema(responses={200: LIST_OF_OBJECTS})
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "code": r.code,
                    "name": r.name,
                    "participation": f"{r.participation_numerator}/{r.participation_denominator}",
                    "participation_strict": r.participation_strict,
                    "pass": f"{r.pass_numerator}/{r.pass_denominator}",
                    "pass_strict": r.pass_strict,
                    "pass_base": r.pass_base,
                    "is_major": r.is_major,
                }
                for r in selectors.active_rules()
            ]
        )

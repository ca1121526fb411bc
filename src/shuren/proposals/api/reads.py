"""Proposals API: the list (and submitting a proposal), the resident's places, one proposal."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import IDEMPOTENCY_KEY, problems
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import AnyActionByMethod, HasAction
from shuren.core.scoping import has_action

from .. import services
from ..selectors import filter_proposals, listed_proposals, openable_proposal, proposal_places
from .base import ANY_READER, READERS, ProposalAPIView
from .serializers import (
    PlaceSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
    ProposalSubmitSerializer,
    proposal_response,
)


class ProposalListView(ProposalAPIView):
    permission_classes = [AnyActionByMethod({"GET": READERS, "POST": ("proposals.propose",)})]

    @extend_schema(operation_id="proposals_list", responses={200: paginated(ProposalSerializer), **problems(401, 403)})
    def get(self, request: Request) -> Response:
        is_staff = has_action(acting_user(request), "proposals.view")
        proposals = filter_proposals(
            listed_proposals(acting_user(request)), status=request.query_params.get("status") or ""
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(proposals.order_by("-created_at", "-pk"), request, view=self)
        data = ProposalSerializer(page, many=True, context={"staff": is_staff}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="proposals_submit",
        request=ProposalSubmitSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ProposalDetailSerializer, **problems(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = ProposalSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        proposal = services.submit_proposal(
            actor=acting_user(request), title=data["title"], body=data["body"], place_key=data["place"]
        )
        return proposal_response(acting_user(request), proposal, code=status.HTTP_201_CREATED)


class PlacesView(ProposalAPIView):
    permission_classes = [HasAction("proposals.propose")]

    @extend_schema(operation_id="proposals_places", responses={200: PlaceSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response([{"key": p.key, "label": p.label} for p in proposal_places(acting_user(request))])


class ProposalDetailView(ProposalAPIView):
    permission_classes = [ANY_READER]

    @extend_schema(operation_id="proposals_retrieve", responses={200: ProposalDetailSerializer, **problems(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        proposal, _staff = openable_proposal(acting_user(request), pk)
        return proposal_response(acting_user(request), proposal)

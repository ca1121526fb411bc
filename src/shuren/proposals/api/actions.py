"""Proposals API: what is done to a proposal: co-sign, withdraw, answer, publish the answer, mark
not admissible. Versioned writes take If-Match or ``version``; every POST accepts an Idempotency-Key."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.accounts.models import User
from shuren.api.openapi import IDEMPOTENCY_KEY, IF_MATCH, problems
from shuren.api.permissions import HasAction
from shuren.api.serializers import StrictSerializer
from shuren.core.concurrency import expected_version

from .. import services
from ..models import Proposal
from ..selectors import openable_proposal
from .base import ANSWERERS, ANY_READER, ProposalAPIView
from .serializers import (
    AnswerSerializer,
    ProposalDetailSerializer,
    ProposalReasonSerializer,
    ProposalVersionSerializer,
    proposal_response,
)


class ActionView(ProposalAPIView):
    permission_classes = [ANY_READER]
    body_serializer: type[StrictSerializer] = ProposalVersionSerializer
    versioned = True

    def perform(self, user: User, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        proposal, _staff = openable_proposal(acting_user(request), pk)
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = None
        if self.versioned:
            version = expected_version(
                proposal, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
            )
        proposal = self.perform(acting_user(request), proposal, version, data)
        return proposal_response(acting_user(request), proposal)


def action_schema(serializer: Any, operation: str, *, versioned: bool = True) -> Any:
    return extend_schema(
        operation_id=f"proposals_{operation}",
        request=serializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY] if versioned else [IDEMPOTENCY_KEY],
        responses={200: ProposalDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )


class SignView(ActionView):
    """Co-sign (residents of the proposal's place; once per person; not the proposer)."""

    permission_classes = [HasAction("proposals.propose")]
    versioned = False

    @action_schema(None, "sign", versioned=False)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: User, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        services.sign_proposal(actor=user, proposal=proposal)
        return proposal


class WithdrawView(ActionView):
    permission_classes = [HasAction("proposals.propose")]

    @action_schema(ProposalVersionSerializer, "withdraw")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: User, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.withdraw_proposal(actor=user, proposal=proposal, version=version)


class AnswerView(ActionView):
    permission_classes = [ANSWERERS]
    body_serializer = AnswerSerializer

    @action_schema(AnswerSerializer, "answer")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: User, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.answer(
            actor=user,
            proposal=proposal,
            kind=data["kind"],
            text=data["text"],
            publish=data["publish"],
            version=version,
        )


class PublishView(ActionView):
    permission_classes = [ANSWERERS]

    @action_schema(ProposalVersionSerializer, "publish_answer")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: User, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.publish_answer(actor=user, proposal=proposal, version=version)


class InadmissibleView(ActionView):
    permission_classes = [HasAction("proposals.manage")]
    body_serializer = ProposalReasonSerializer

    @action_schema(ProposalReasonSerializer, "inadmissible")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: User, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.mark_inadmissible(actor=user, proposal=proposal, reason=data["reason"], version=version)

"""Steps of the ballots API: opening, closing and cancelling with If-Match or ``version``, an owner's
online vote, and a paper vote entered by staff. A repeated vote answers 409 ``already-voted`` naming
who voted and when."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.permissions import HasAction
from shuren.core.concurrency import expected_version
from shuren.core.errors import OutOfScope

from .. import selectors, services
from ..models import Ballot
from ..selectors import ballot_for, ballots_of_owner
from .base import BallotAPIView, ballot_response
from .serializers import (
    BallotSerializer,
    BallotVersionSerializer,
    CancelSerializer,
    PaperVoteSerializer,
    VoteOutSerializer,
    VoteSerializer,
)


class _TransitionView(BallotAPIView):
    permission_classes = [HasAction("ballots.manage")]
    body_serializer: type[BallotVersionSerializer] = BallotVersionSerializer

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        ballot = ballot_for(request.user, pk, "ballots.manage")
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            ballot, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        return ballot_response(self.perform(request, ballot, version, data))


@extend_schema(request=BallotVersionSerializer, responses=BallotSerializer)
class BallotOpenView(_TransitionView):
    """Open voting: the electorate is fixed from the registry (400 while a dwelling lacks its area)."""

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        return services.open_ballot(actor=acting_user(request), ballot=ballot, version=version)


@extend_schema(request=BallotVersionSerializer, responses=BallotSerializer)
class BallotCloseView(_TransitionView):
    """Close voting and count every matter by the art. 278 double majority."""

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        return services.close_ballot(actor=acting_user(request), ballot=ballot, version=version)


@extend_schema(request=CancelSerializer, responses=BallotSerializer)
class BallotCancelView(_TransitionView):
    body_serializer = CancelSerializer

    def perform(self, request: Request, ballot: Ballot, version: int, data: dict[str, Any]) -> Ballot:
        return services.cancel_ballot(actor=acting_user(request), ballot=ballot, version=version, reason=data["reason"])


class VoteView(BallotAPIView):
    """An owner's own vote on a matter, for all the dwellings of their voter. Final once cast."""

    permission_classes = [HasAction("ballots.vote")]

    @extend_schema(request=VoteSerializer, responses={201: VoteOutSerializer})
    def post(self, request: Request, pk: int, matter_pk: int) -> Response:
        ballot = get_object_or_404(ballots_of_owner(request.user), pk=pk)
        matter = get_object_or_404(selectors.matters_of(ballot), pk=matter_pk)
        body = VoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voters = selectors.voters_of_user(request.user, ballot)
        wanted = body.validated_data.get("voter")
        if wanted is not None:
            voters = [v for v in voters if v.pk == wanted]
        if len(voters) != 1:
            if not voters:
                raise OutOfScope()
            raise serializers.ValidationError({"voter": ["You own dwellings of several voters: name the voter."]})
        vote = services.cast_vote(
            actor=acting_user(request), matter=matter, voter=voters[0], choice=body.validated_data["choice"]
        )
        return Response(VoteOutSerializer(vote).data, status=status.HTTP_201_CREATED)


class PaperVoteView(BallotAPIView):
    """Staff enter a paper ballot for one matter (never replacing a recorded vote)."""

    permission_classes = [HasAction("ballots.manage")]

    @extend_schema(request=PaperVoteSerializer, responses={201: VoteOutSerializer})
    def post(self, request: Request, pk: int, matter_pk: int) -> Response:
        ballot = ballot_for(request.user, pk, "ballots.manage")
        matter = get_object_or_404(selectors.matters_of(ballot), pk=matter_pk)
        body = PaperVoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        voter = get_object_or_404(selectors.electorate(ballot), pk=body.validated_data["voter"])
        vote = services.record_paper_vote(
            actor=acting_user(request),
            matter=matter,
            voter=voter,
            choice=body.validated_data["choice"],
            paper_number=body.validated_data["paper_number"],
        )
        return Response(VoteOutSerializer(vote).data, status=status.HTTP_201_CREATED)

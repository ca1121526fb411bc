"""The writes of the lists' API beyond creation: a need from an appeal, closing a need (If-Match),
proposing a resource, and the steps of a match (the provider accepts or declines, staff withdraw,
either records it done)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.accounts.models import User
from shuren.api.openapi import IDEMPOTENCY_KEY, IF_MATCH, problems
from shuren.api.permissions import HasAction
from shuren.core.concurrency import expected_version
from shuren.core.errors import OutOfScope

from .. import selectors, services, workflow
from ..models import Match, Resource
from .base import ListsAPIView, need_response
from .serializers import (
    EmptySerializer,
    FromAppealSerializer,
    MatchSerializer,
    NeedDetailSerializer,
    OutcomeSerializer,
    ProposeSerializer,
    StepReasonSerializer,
)


class NeedFromAppealView(ListsAPIView):
    """One click on an appeal: the need it shows, linked back to it; the same need again when one
    was already made from it (200 then, 201 when new)."""

    permission_classes = [HasAction("lists.manage")]

    @extend_schema(
        operation_id="lists_needs_from_appeal",
        request=FromAppealSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: NeedDetailSerializer, 200: NeedDetailSerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        from shuren.appeals.models import Appeal

        body = FromAppealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = acting_user(request)
        appeal = (
            Appeal.objects.select_related("category", "area", "estate", "building", "dwelling")
            .filter(pk=body.validated_data["appeal"])
            .first()
        )
        if appeal is None:
            raise OutOfScope()
        existing = selectors.need_from_source("appeals.appeal", appeal.pk)
        need = services.need_from_appeal(actor=user, appeal=appeal)
        code = status.HTTP_200_OK if existing is not None else status.HTTP_201_CREATED
        return need_response(user, need.pk, status_code=code)


class NeedCloseView(ListsAPIView):
    permission_classes = [HasAction("lists.manage")]

    @extend_schema(
        operation_id="lists_needs_close",
        request=StepReasonSerializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: NeedDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        need = selectors.staff_need(user, pk)
        body = StepReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            need, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        services.close_need(actor=user, need=need, version=version, reason=data["reason"])
        return need_response(user, need.pk)


class NeedProposeView(ListsAPIView):
    permission_classes = [HasAction("lists.manage")]

    @extend_schema(
        operation_id="lists_needs_propose",
        request=ProposeSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: MatchSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        need = selectors.staff_need(user, pk)
        body = ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        resource = Resource.objects.select_related("organization").filter(pk=body.validated_data["resource"]).first()
        if resource is None:
            raise OutOfScope()
        match = services.propose_match(
            actor=user, need=need, resource=resource, quantity=body.validated_data.get("quantity")
        )
        return Response(MatchSerializer(match).data, status=status.HTTP_201_CREATED)


def _match_for(user: Any, pk: int) -> Match:
    """A match the caller answers as provider, or one of a need of the caller's areas; 404 else."""
    match = selectors.matches_to_me(user).filter(pk=pk).first()
    if match is None:
        match = (
            Match.objects.filter(pk=pk, need__in=selectors.visible_needs(user))
            .select_related("need", "resource", "resource__organization")
            .first()
        )
    if match is None:
        raise Http404
    return match


class MatchActionView(ListsAPIView):
    """One step of a match. The match is looked up first (404 for whoever is neither its provider
    nor staff of the need's place), then whether the caller's part and its state allow the step
    (403/409), then the body (400); the service checks again under the row's lock."""

    permission_classes = [IsAuthenticated]
    body: type[Any] = EmptySerializer
    slug = ""

    def perform(self, actor: User, match: Match, data: dict[str, Any]) -> Match:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        match = _match_for(user, pk)
        workflow.require_match(match, self.slug, actor=user)
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("version", None)
        match = self.perform(user, match, data)
        fresh = Match.objects.select_related("resource", "resource__organization").get(pk=match.pk)
        return Response(MatchSerializer(fresh).data)


def _action(slug: str, body: type[Any], perform: Any, doc: str) -> type[MatchActionView]:
    @extend_schema(
        operation_id=f"lists_matches_{slug}",
        description=doc,
        request=body,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: MatchSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self: MatchActionView, request: Request, pk: int) -> Response:
        return MatchActionView.post(self, request, pk)

    return type(
        f"Match{slug.title()}View",
        (MatchActionView,),
        {"slug": slug, "body": body, "perform": lambda self, u, m, d: perform(u, m, d), "post": post},
    )


ACTION_VIEWS: dict[str, type[MatchActionView]] = {
    "accept": _action(
        "accept",
        EmptySerializer,
        lambda u, m, d: services.accept_match(actor=u, match=m),
        "The provider accepts: the quantity comes off what the resource has left (409 when too little is left).",
    ),
    "decline": _action(
        "decline",
        StepReasonSerializer,
        lambda u, m, d: services.decline_match(actor=u, match=m, reason=d["reason"]),
        "The provider declines, saying why.",
    ),
    "withdraw": _action(
        "withdraw",
        StepReasonSerializer,
        lambda u, m, d: services.withdraw_match(actor=u, match=m, reason=d["reason"]),
        "Staff withdraw a proposal or an accepted match; what it took goes back to the resource.",
    ),
    "complete": _action(
        "complete",
        OutcomeSerializer,
        lambda u, m, d: services.complete_match(actor=u, match=m, outcome=d["outcome"]),
        "The help was given: the match and its need are done.",
    ),
}

"""Writes of the surveys API: a resident's response (with an ``Idempotency-Key``: a retried request
answers the first one's response, never a second). A second response for the same resident or
household answers 409 ``already-answered`` saying when the first was given."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.base import ServiceAPIView
from shuren.api.openapi import IDEMPOTENCY_KEY_REQUIRED
from shuren.api.permissions import HasAction

from .. import selectors, services
from .serializers import ResponseInSerializer, ResponseOutSerializer


class ResponseCreateView(ServiceAPIView):
    """Answer a survey that asks me; final once given."""

    permission_classes = [HasAction("surveys.answer")]
    idempotency_required = True

    @extend_schema(
        request=ResponseInSerializer,
        responses={201: ResponseOutSerializer},
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = selectors.resident_survey(request.user, pk)
        body = ResponseInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dwelling = None
        if body.validated_data.get("dwelling") is not None:
            dwelling = selectors.home_of(request.user, survey, body.validated_data["dwelling"])
        response = services.submit_response(
            actor=acting_user(request), survey=survey, answers=body.validated_data["answers"], dwelling=dwelling
        )
        return Response(ResponseOutSerializer(response).data, status=status.HTTP_201_CREATED)

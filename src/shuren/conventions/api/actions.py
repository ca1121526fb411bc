"""Conventions API: a resident comments on a version in discussion."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.accounts.acting import acting_user
from shuren.api.openapi import IDEMPOTENCY_KEY, problems
from shuren.api.permissions import HasAction

from .. import services
from ..selectors import openable_version
from .serializers import CommentInSerializer, CommentSerializer


class CommentView(APIView):
    permission_classes = [HasAction("conventions.comment")]

    @extend_schema(
        operation_id="conventions_comment",
        request=CommentInSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: CommentSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        version = openable_version(acting_user(request), pk)
        body = CommentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            comment = services.add_comment(
                actor=acting_user(request), version=version, text=body.validated_data["text"]
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"text": exc.messages}) from None
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

"""REST API of conventions (/api/v1/conventions/): staff (conventions.view) read the conventions of
their areas with every version; residents (conventions.comment) those of their places that are in
force or in discussion, with the published versions and the diff; residents comment on a version in
discussion. Drafting and adoption happen in the console and through meetings and ballots."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.api.openapi import IDEMPOTENCY_KEY, problems
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import AnyActionByMethod, HasAction
from shuren.api.serializers import StrictSerializer
from shuren.core.scoping import has_action

from . import services
from .models import Convention, ConventionVersion
from .selectors import (
    comments_of,
    diff_for,
    openable_convention,
    public_versions,
    resident_conventions,
    visible_conventions,
)

READERS = AnyActionByMethod({"GET": ("conventions.view", "conventions.comment")})


class ConventionSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_label", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Convention
        fields = [
            "id",
            "title",
            "place",
            "area",
            "estate",
            "building",
            "unit",
            "status",
            "status_label",
            "repealed_on",
            "repeal_reason",
            "updated_at",
            "version",
        ]


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.SerializerMethodField()
    hidden_reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_text(self, obj: Any) -> str:
        return "" if obj.hidden_reason else obj.text


class VersionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ConventionVersion
        fields = [
            "id",
            "number",
            "text",
            "change_summary",
            "status",
            "status_label",
            "discussion_opened_at",
            "adopted_via",
            "adopted_reference",
            "adopted_on",
            "published_at",
            "rejection_reason",
        ]


class ConventionDetailSerializer(ConventionSerializer):
    versions = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()

    class Meta(ConventionSerializer.Meta):
        fields = [*ConventionSerializer.Meta.fields, "versions", "diff"]

    def get_versions(self, obj: Convention) -> list[dict[str, Any]]:
        rows = []
        for version in self.context["versions"]:
            data = VersionSerializer(version).data
            data["comments"] = CommentSerializer(comments_of(version), many=True).data
            rows.append(data)
        return rows

    def get_diff(self, obj: Convention) -> dict[str, Any] | None:
        before, after, lines = diff_for(self.context["versions"], None)
        if before is None:
            return None
        return {
            "from": before.number,
            "to": after.number,
            "lines": [{"kind": ln.kind, "text": ln.text} for ln in lines],
        }


class CommentInSerializer(StrictSerializer):
    text = serializers.CharField(max_length=2000)


class ConventionListView(APIView):
    permission_classes = [READERS]

    @extend_schema(
        operation_id="conventions_list", responses={200: paginated(ConventionSerializer), **problems(401, 403)}
    )
    def get(self, request: Request) -> Response:
        staff = has_action(request.user, "conventions.view")
        conventions = visible_conventions(request.user) if staff else resident_conventions(request.user)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(conventions.order_by("title", "pk"), request, view=self)
        return paginator.get_paginated_response(ConventionSerializer(page, many=True).data)


class ConventionDetailView(APIView):
    permission_classes = [READERS]

    @extend_schema(
        operation_id="conventions_retrieve", responses={200: ConventionDetailSerializer, **problems(401, 404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        convention, staff = openable_convention(request.user, pk)
        versions = list(public_versions(convention, staff=staff))
        return Response(ConventionDetailSerializer(convention, context={"versions": versions}).data)


class CommentView(APIView):
    permission_classes = [HasAction("conventions.comment")]

    @extend_schema(
        operation_id="conventions_comment",
        request=CommentInSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: CommentSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        version = get_object_or_404(ConventionVersion.objects.select_related("convention"), pk=pk)
        openable_convention(request.user, version.convention_id)
        body = CommentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            comment = services.add_comment(request.user, version, text=body.validated_data["text"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"text": exc.messages}) from None
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

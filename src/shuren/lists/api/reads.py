"""Reads of the lists' API, with the POST or PATCH that answers on the same path: the needs (and
recording one), one need, its suggested resources; the resources (and recording one), one resource
(and changing it, with If-Match)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import ETAG, IDEMPOTENCY_KEY, IF_MATCH, problems
from shuren.api.pagination import PageNumberPagination
from shuren.api.permissions import ActionByMethod, HasAction
from shuren.core.concurrency import expected_version
from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, resolve
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, Building, Dwelling, Estate

from .. import matching, selectors, services
from ..models import Need, Resource
from .base import ListsAPIView, need_response, resource_response
from .serializers import (
    NeedCreateSerializer,
    NeedDetailSerializer,
    NeedFilterSerializer,
    NeedSerializer,
    ResourceFilterSerializer,
    ResourceSerializer,
    ResourceWriteSerializer,
    SuggestionSerializer,
)

PLACES = {"area": Area, "estate": Estate, "building": Building, "dwelling": Dwelling}


def _named(user: Any, action: str, model: Any, pk: int | None, field: str) -> Any:
    """The object ``pk`` of ``model`` within the caller's scope; a 400 naming the field otherwise
    (an id never tells what exists elsewhere)."""
    if pk is None:
        return None
    try:
        return resolve(user, action, model.objects.all(), pk)
    except OutOfScope:
        raise serializers.ValidationError({field: [_("No such record among those you may see.")]}) from None


class NeedListView(ListsAPIView, generics.GenericAPIView):
    """GET: the needs of the caller's areas, newest first, with the console's filters. POST: record
    a need (lists.manage where it is)."""

    permission_classes = [ActionByMethod({"GET": "lists.view", "POST": "lists.manage"})]
    pagination_class = PageNumberPagination
    serializer_class = NeedSerializer

    @cached_property
    def filters(self) -> dict[str, Any]:
        query = NeedFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def get_queryset(self) -> QuerySet[Need]:
        needs = selectors.filter_needs(selectors.visible_needs(self.request.user), **self.filters)
        return selectors.listed_needs(needs).order_by("-created_at", "-pk")

    @extend_schema(
        operation_id="lists_needs_list",
        parameters=[NeedFilterSerializer, OpenApiParameter("page", OpenApiTypes.INT, description="Page, from 1.")],
        responses={200: NeedSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(NeedSerializer(page, many=True).data)

    @extend_schema(
        operation_id="lists_needs_create",
        request=NeedCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: NeedDetailSerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        body = NeedCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = acting_user(request)
        for name, model in PLACES.items():
            data[name] = _named(user, "lists.manage", model, data.pop(name, None), name)
        data["person"] = _named(user, "lists.manage", Person, data.pop("person", None), "person")
        need = services.create_need(actor=user, **data)
        response = need_response(user, need.pk, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{need.pk}/")
        return response


class NeedDetailView(ListsAPIView):
    permission_classes = [HasAction("lists.view")]

    @extend_schema(
        operation_id="lists_needs_retrieve",
        responses={200: NeedDetailSerializer, **problems(401, 403, 404)},
        parameters=[ETAG],
    )
    def get(self, request: Request, pk: int) -> Response:
        return need_response(acting_user(request), pk)


class NeedSuggestionsView(ListsAPIView):
    """The resources suggested for an open need, best first, each with its reasons."""

    permission_classes = [HasAction("lists.view")]

    @extend_schema(
        operation_id="lists_needs_suggestions",
        responses={200: SuggestionSerializer(many=True), **problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        need = selectors.staff_need(request.user, pk)
        rows = [
            {"resource": s.resource, "score": s.score, "reason": s.reason, "reasons": s.reasons}
            for s in matching.candidates(need)
        ]
        return Response(SuggestionSerializer(rows, many=True).data)


class ResourceListView(ListsAPIView, generics.GenericAPIView):
    """GET: the resources of the caller's areas. POST: record one (staff with lists.manage, for an
    organisation of their areas)."""

    permission_classes = [ActionByMethod({"GET": "lists.view", "POST": "lists.manage"})]
    pagination_class = PageNumberPagination
    serializer_class = ResourceSerializer

    @cached_property
    def filters(self) -> dict[str, Any]:
        query = ResourceFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def get_queryset(self) -> QuerySet[Resource]:
        resources = selectors.filter_resources(selectors.visible_resources(self.request.user), **self.filters)
        return selectors.listed_resources(resources).order_by("-created_at", "-pk")

    @extend_schema(
        operation_id="lists_resources_list",
        parameters=[ResourceFilterSerializer, OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: ResourceSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ResourceSerializer(page, many=True).data)

    @extend_schema(
        operation_id="lists_resources_create",
        request=ResourceWriteSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ResourceSerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        body = ResourceWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("version", None)
        user = acting_user(request)
        data["organization"] = _named(user, "lists.manage", Organization, data.pop("organization"), "organization")
        data["area"] = _named(user, "lists.manage", Area, data.pop("area", None), "area")
        resource = services.create_resource(actor=user, **data)
        response = resource_response(resource, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{resource.pk}/")
        return response


class ResourceDetailView(ListsAPIView):
    """GET: one resource of the caller's areas. PATCH: change it from the version read (If-Match)."""

    permission_classes = [ActionByMethod({"GET": "lists.view", "PATCH": "lists.manage"})]

    @extend_schema(
        operation_id="lists_resources_retrieve",
        responses={200: ResourceSerializer, **problems(401, 403, 404)},
        parameters=[ETAG],
    )
    def get(self, request: Request, pk: int) -> Response:
        return resource_response(selectors.staff_resource(request.user, pk))

    @extend_schema(
        operation_id="lists_resources_partial_update",
        request=ResourceWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ResourceSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        resource = selectors.staff_resource(user, pk)
        if not can(user, "lists.manage", resource):
            raise OutOfScope()
        body = ResourceWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("organization", None)
        version = expected_version(
            resource, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        if "area" in data:
            data["area"] = _named(user, "lists.manage", Area, data["area"], "area")
        saved = services.edit_resource(actor=user, resource=resource, version=version, **data)
        return resource_response(saved)

"""Reads of the notices API: the notices (with the POST that writes a draft), one notice (opening
it as a resident marks it read), and one notice's figures."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import IDEMPOTENCY_KEY, problems
from shuren.api.pagination import PageNumberPagination
from shuren.api.permissions import AnyActionByMethod, HasAction
from shuren.core.errors import OutOfScope
from shuren.orgs.models import Organization
from shuren.people.models import PersonTag
from shuren.places.models import Area, Building, Estate, Unit

from .. import selectors, services
from ..models import Notice
from .base import READERS, NoticesAPIView, notice_response
from .serializers import (
    NoticeCreateSerializer,
    NoticeDetailSerializer,
    NoticeFiguresSerializer,
    NoticeFilterSerializer,
    NoticeSerializer,
)


def _is_staff(user: Any) -> bool:
    return not selectors.reach(user, selectors.VIEW).empty or not selectors.reach(user, selectors.WRITE).empty


class NoticeListView(NoticesAPIView, generics.GenericAPIView):
    """GET: staff get the notices of their areas (building leaders: of their buildings); residents
    their current notices. POST: write a draft (notices.write)."""

    permission_classes = [AnyActionByMethod({"GET": READERS, "POST": ("notices.write",)})]
    pagination_class = PageNumberPagination
    serializer_class = NoticeSerializer

    def get_queryset(self) -> QuerySet[Notice]:
        query = NoticeFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        user = self.request.user
        base = selectors.staff_notices(user) if _is_staff(user) else selectors.my_notices(user)
        return selectors.filter_notices(base, status=f.get("status", ""), q=f.get("q", "")).prefetch_related("tags")

    @extend_schema(
        operation_id="notices_list",
        parameters=[NoticeFilterSerializer, OpenApiParameter("page", OpenApiTypes.INT, description="Page number.")],
        responses={200: NoticeSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        return self.get_paginated_response(NoticeSerializer(page, many=True).data)

    @extend_schema(
        operation_id="notices_create",
        request=NoticeCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: NoticeDetailSerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        body = NoticeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = acting_user(request)
        places = {
            "area": _pick(Area, data.pop("area", None)),
            "estate": _pick(Estate, data.pop("estate", None)),
            "building": _pick(Building, data.pop("building", None)),
            "unit": _pick(Unit, data.pop("unit", None)),
        }
        codes = data.pop("tags", [])
        tags = list(PersonTag.objects.filter(code__in=codes))
        if len(tags) != len(set(codes)):
            raise serializers.ValidationError({"tags": [_("Choose among the tags offered.")]})
        org_ids = data.pop("organizations", [])
        organizations = list(Organization.objects.filter(pk__in=org_ids))
        if len(organizations) != len(set(org_ids)):
            raise OutOfScope()
        notice = services.create_notice(actor=user, tags=tags, organizations=organizations, **places, **data)
        response = notice_response(user, notice, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{notice.pk}/")
        return response


def _pick(model: Any, pk: int | None) -> Any:
    """A place by id; an unknown id answers 404 (the service then holds it to the writer's reach)."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise OutOfScope()
    return found


class NoticeDetailView(NoticesAPIView):
    """A notice: staff in reach see it whole with its allowed actions; a resident it was meant for
    sees it while it is current, and opening it marks it read."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]

    @extend_schema(operation_id="notices_retrieve", responses={200: NoticeDetailSerializer, **problems(401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        if _is_staff(user):
            try:
                notice = selectors.staff_notice(user, pk)
            except OutOfScope:
                notice = None
            if notice is not None:
                return notice_response(user, notice)
        notice, reader = selectors.my_notice(user, pk)
        services.mark_read(reader=reader)
        data = NoticeDetailSerializer(notice, context={"actions": []}).data
        return Response(data)


class NoticeFiguresView(NoticesAPIView):
    """How far a notice reached, in all and per building (households read, told, reached)."""

    permission_classes = [HasAction("notices.view")]

    @extend_schema(
        operation_id="notices_figures",
        responses={200: NoticeFiguresSerializer, **problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        notice = selectors.staff_notice(request.user, pk)
        data = {"notice": selectors.notice_figures(notice), "buildings": selectors.building_figures(notice)}
        return Response(NoticeFiguresSerializer(data).data)

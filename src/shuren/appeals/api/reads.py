"""Categories, the list and submission, one appeal (detail, timeline, photos), KPIs and notifications."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.accounts.acting import acting_user
from shuren.api.base import ServiceAPIView
from shuren.api.openapi import IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_REQUIRED
from shuren.api.pagination import CappedCountPagination
from shuren.api.parsers import MultiPartParser
from shuren.api.permissions import ActionByMethod, AnyActionByMethod
from shuren.core.concurrency import etag_for
from shuren.core.errors import OutOfScope
from shuren.core.photos import photo_response
from shuren.core.scoping import can
from shuren.notifications.models import Message
from shuren.notifications.services import mark_read

from .. import services
from ..kpis import AppealKpis, appeal_kpis, appeal_kpis_by
from ..models import (
    Appeal,
    Channel,
)
from ..selectors import (
    AppealFilter,
    appeal_messages,
    appeal_of_message,
    category_by_code,
    category_list,
    filter_appeals,
    handler_organization_ids,
    kpi_group_labels,
    kpi_period_appeals,
    list_rows_of,
    listed_appeals,
    my_appeals,
    openable_appeal,
    references_of,
    reporting_place,
    visible_appeals,
)
from .base import (
    ANY_PARTY,
    ETAG,
    LOCATION,
    PARTY_ACTIONS,
    DeadlineClock,
    Viewer,
    appeal_response,
    problems,
)
from .serializers import (
    PLACE_FIELDS,
    AppealCreatedSerializer,
    AppealDetailSerializer,
    AppealFilterSerializer,
    AppealListItemSerializer,
    CategorySerializer,
    EventSerializer,
    KpiQuerySerializer,
    KpiReportSerializer,
    NotificationSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    SubmitSerializer,
    list_items,
)

# --- categories -----------------------------------------------------------------------------------


class CategoryListView(APIView):
    """The category tree, flat in display order: each category names its parent's code. Appeals are
    filed under categories without children."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="appeals_categories_list",
        parameters=[OpenApiParameter("active", OpenApiTypes.BOOL, description="Only categories open for appeals.")],
        responses={200: CategorySerializer(many=True), **problems(401)},
    )
    def get(self, request: Request) -> Response:
        categories = category_list(active_only=request.query_params.get("active") in ("1", "true"))
        return Response(CategorySerializer(categories, many=True).data)


# --- list and submit ------------------------------------------------------------------------------


class AppealListView(ServiceAPIView, generics.GenericAPIView):
    """GET: the appeals the caller works on as staff or handler, newest first (``mine=1``: the
    appeals the caller reported or recorded). POST: submit an appeal."""

    permission_classes = [AnyActionByMethod({"GET": PARTY_ACTIONS, "POST": ("appeals.report",)})]
    pagination_class = CappedCountPagination
    serializer_class = AppealListItemSerializer
    idempotency_required = True  # for POST: a retried submission must not file the appeal twice

    def get_queryset(self) -> QuerySet[Appeal]:
        user = self.request.user
        appeals = my_appeals(user) if self.filters["mine"] else visible_appeals(user)
        return listed_appeals(filter_appeals(appeals, user=user, filters=AppealFilter.from_api(self.filters)))

    @cached_property
    def filters(self) -> dict[str, Any]:
        query = AppealFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    @extend_schema(
        operation_id="appeals_list",
        parameters=[
            AppealFilterSerializer,
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows per page (50; at most 200)."),
        ],
        responses={200: AppealListItemSerializer(many=True), **problems(400, 401, 403)},
        description="Paginated (`page`, `page_size` up to 200). `count` stops at 10,000: narrow the "
        "list with filters to reach older appeals.",
    )
    def get(self, request: Request) -> Response:
        if not self.filters["mine"]:  # staff and handlers: the page's ids, then its rows as values
            ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
            return self.get_paginated_response(list_items(list_rows_of(list(ids or ())), clock=DeadlineClock()))
        # The caller's own reports: internal flags only where they work on the appeal.
        page = self.paginate_queryset(self.get_queryset())
        user, orgs = request.user, handler_organization_ids(request.user)
        context: dict[str, Any] = {
            "clock": DeadlineClock(),
            "shows_internal": lambda appeal: can(user, "appeals.view", appeal) or appeal.organization_id in orgs,
        }
        rows = AppealListItemSerializer(page, many=True, context=context).data
        return self.get_paginated_response(rows)

    @extend_schema(
        operation_id="appeals_submit",
        request=SubmitSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED, ETAG, LOCATION],
        responses={
            (201, "application/json"): OpenApiResponse(
                AppealCreatedSerializer, description="The new appeal; its timeline and photos are under `links`."
            ),
            **problems(400, 401, 403),
        },
        description="Files an appeal. A resident becomes its reporter; staff recording an appeal for someone "
        "else give the `channel` (and the reporter's name and phone if known). Give exactly one of "
        "`dwelling`, `building`, `estate` or `area`. Add photos afterwards with POST {id}/photos/.",
    )
    def post(self, request: Request) -> Response:
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        category = category_by_code(data["category"])
        if category is None:
            raise serializers.ValidationError({"category": [_("Unknown category.")]})
        place_field, location = _location(data)
        try:
            appeal = services.submit_appeal(
                actor=acting_user(request),
                category=category,
                description=data["description"],
                location=location,
                channel=data.get("channel", Channel.API),
                address=data.get("address", ""),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                is_anonymous=data["is_anonymous"],
                reporter_name=data.get("reporter_name", ""),
                reporter_phone=data.get("reporter_phone", ""),
            )
        except OutOfScope:
            # A place outside the caller's community reads like one that does not exist.
            raise serializers.ValidationError({place_field: [_("Unknown place.")]}) from None
        data = AppealCreatedSerializer(appeal, context={"clock": DeadlineClock()}).data
        response = Response(data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(appeal)
        response["Location"] = data["url"]
        return response


def _location(data: dict[str, Any]) -> tuple[str, services.AppealLocation]:
    field = next(name for name in PLACE_FIELDS if data.get(name) is not None)
    place = reporting_place(field, data[field])
    if place is None:
        raise serializers.ValidationError({field: [_("Unknown place.")]})
    return field, services.AppealLocation(**{field: place})


# --- one appeal -----------------------------------------------------------------------------------


class AppealDetailView(ServiceAPIView):
    """One appeal as the caller may see it, with the actions they may take now."""

    permission_classes = [ANY_PARTY]

    @extend_schema(
        operation_id="appeals_retrieve",
        parameters=[ETAG],
        responses={200: AppealDetailSerializer, **problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return appeal_response(request.user, openable_appeal(request.user, pk))


class AppealEventsView(ServiceAPIView):
    """The appeal's timeline, oldest first (the reporter sees only the public events)."""

    permission_classes = [ANY_PARTY]

    @extend_schema(
        operation_id="appeals_events_list", responses={200: EventSerializer(many=True), **problems(401, 404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        viewer = Viewer(request.user, openable_appeal(request.user, pk))
        return Response(EventSerializer(viewer.events(), many=True, context={"viewer": viewer}).data)


class AppealPhotosView(ServiceAPIView):
    """GET: the appeal's photos. POST (multipart): add photos, ``stage`` report or resolution. They are
    re-encoded without their EXIF data (location, device)."""

    permission_classes = [ANY_PARTY]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="appeals_photos_list", responses={200: PhotoSerializer(many=True), **problems(401, 404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        appeal = openable_appeal(request.user, pk)
        return Response(PhotoSerializer(appeal.photos.all(), many=True).data)

    @extend_schema(
        operation_id="appeals_photos_create",
        request={"multipart/form-data": PhotoUploadSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: PhotoSerializer(many=True), **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        appeal = openable_appeal(request.user, pk)
        body = PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = services.add_photos(
            actor=acting_user(request),
            appeal=appeal,
            photos=body.validated_data["photos"],
            stage=body.validated_data["stage"],
        )
        return Response(PhotoSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)


class AppealPhotoView(ServiceAPIView):
    """One photo (JPEG), for those who may open the appeal."""

    permission_classes = [ANY_PARTY]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # an <img> asks for image/*

    @extend_schema(
        operation_id="appeals_photos_retrieve",
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, **problems(401, 404)},
    )
    def get(self, request: Request, pk: int, photo_pk: int) -> FileResponse:
        return photo_response(openable_appeal(request.user, pk).photos, photo_pk)  # not cached: core NoStoreMiddleware


# --- KPIs -----------------------------------------------------------------------------------------


def _kpi_data(kpis: AppealKpis) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(kpis, name) for name in AppealKpis.__dataclass_fields__}
    for rate in ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_resolution_rate"):
        value = getattr(kpis, rate)
        data[rate] = None if value is None else round(value, 4)
    return data


class KpiView(ServiceAPIView):
    """The KPIs (响应率, 解决率, 满意率, on-time resolution, average handling time, overdue, repeats) of
    the appeals the caller may see, submitted from ``start`` to ``end`` (inclusive), optionally per
    organisation, area, estate or category. Rates are 0-1, or null when there is nothing to count.
    The definitions are in ``shuren.appeals.kpis`` and docs/appeals.md."""

    permission_classes = [ActionByMethod({"GET": "appeals.view_kpi"})]

    @extend_schema(
        operation_id="appeals_kpis",
        parameters=[KpiQuerySerializer],
        responses={200: KpiReportSerializer, **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = KpiQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end, group = (query.validated_data.get(k) for k in ("start", "end", "group"))
        appeals = kpi_period_appeals(request.user, start, end)
        groups = []
        if group:
            rows = appeal_kpis_by(appeals, group)
            labels = kpi_group_labels(group, [key for key, _kpis in rows])
            for key, kpis in rows:
                name, code = labels.get(key, ("", None))
                groups.append({"id": key, "name": name, "code": code, **_kpi_data(kpis)})
        report = {
            "start": start,
            "end": end,
            "group": group,
            "total": _kpi_data(appeal_kpis(appeals)),
            "groups": groups,
        }
        return Response(KpiReportSerializer(report).data)


# --- notifications --------------------------------------------------------------------------------


def _notification_rows(messages: list[Message]) -> list[dict[str, Any]]:
    """The API's notification (its contract predates the outbox): the inbox message, its kind
    without the "appeals." prefix, its text as ``message`` and the appeal it is about."""
    ids = {m.pk: appeal_of_message(m) for m in messages}
    references = references_of(i for i in ids.values() if i is not None)
    return [
        {
            "id": m.pk,
            "kind": m.kind.removeprefix("appeals."),
            "message": m.text,
            "appeal": {"id": ids[m.pk], "reference": references.get(ids[m.pk] or 0, "")},
            "created_at": m.created_at,
            "read_at": m.read_at,
        }
        for m in messages
    ]


class NotificationListView(generics.ListAPIView):
    """The caller's messages about appeals in their inbox, newest first (``unread=1``: only unread
    ones). The inbox itself is /notifications/; marking read here marks it read there."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Message]:
        unread = self.request.query_params.get("unread") in ("1", "true")
        return appeal_messages(self.request.user, unread=unread)

    @extend_schema(
        operation_id="appeals_notifications_list",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications.")],
        responses={200: NotificationSerializer(many=True), **problems(401)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = _notification_rows(list(page if page is not None else self.get_queryset()))
        data = NotificationSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class NotificationReadView(APIView):
    """Mark one of the caller's messages about appeals read (again: no change)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="appeals_notifications_read",
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: NotificationSerializer, **problems(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        message = get_object_or_404(appeal_messages(request.user), pk=pk)
        message.read_at = mark_read(actor=acting_user(request), pk=message.pk).read_at
        return Response(NotificationSerializer(_notification_rows([message])[0]).data)

"""Reads of the governance API: the items (with the POST that puts one on the list), one item,
its photos, and the completion figures."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import ETAG, IDEMPOTENCY_KEY, problems
from shuren.api.pagination import PageNumberPagination
from shuren.api.permissions import AnyActionByMethod, HasAction
from shuren.core.photos import photo_response
from shuren.core.scoping import has_action

from .. import selectors, services
from ..models import GovernanceItem
from .base import READERS, GovernanceAPIView, item_response
from .serializers import (
    FiguresQuerySerializer,
    FiguresResponseSerializer,
    ItemCreateSerializer,
    ItemDetailSerializer,
    ItemFilterSerializer,
    ItemSerializer,
    item_rows,
)


class ItemPagination(PageNumberPagination):
    pass


class ItemListView(GovernanceAPIView, generics.GenericAPIView):
    """GET: items the caller works on (staff: their areas; residents: open items of their community
    and their own wishes), newest first. POST: put an item on the list (governance.manage)."""

    permission_classes = [AnyActionByMethod({"GET": READERS, "POST": ("governance.manage",)})]
    pagination_class = ItemPagination
    serializer_class = ItemSerializer

    @cached_property
    def filters(self) -> dict[str, Any]:
        query = ItemFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def get_queryset(self) -> QuerySet[GovernanceItem]:
        f = self.filters
        items = selectors.filter_items(
            selectors.readable_items(self.request.user),
            status=f.get("status", ""),
            kind=f.get("kind", ""),
            source=f.get("source", ""),
            governance_list=f.get("governance_list"),
            overdue=f.get("overdue", False),
        )
        return selectors.listed_items(items).order_by("-created_at", "-pk")

    @extend_schema(
        operation_id="governance_items_list",
        parameters=[
            ItemFilterSerializer,
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
        ],
        responses={200: ItemSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        # The page's ids on the items table alone, then its rows as values and its active claims in
        # one query each (item_rows: ItemSerializer's output, the holders masked as it masks them).
        ids = list(self.paginate_queryset(self.get_queryset().values_list("pk", flat=True)) or ())
        data = item_rows(
            selectors.item_rows_of(ids),
            user=request.user,
            staff=has_action(request.user, "governance.view"),
            claims=selectors.active_claims_of(selectors.items_by_ids(ids)),
            today=timezone.localdate(),
        )
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="governance_items_create",
        request=ItemCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ItemDetailSerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        body = ItemCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = acting_user(request)
        places = {kind: _place(kind, data.pop(kind, None)) for kind in ("area", "estate", "building", "unit")}
        appeal_id = data.pop("appeal", None)
        appeal = None
        if appeal_id is not None:
            appeal = selectors.visible_appeal(user, appeal_id)
            if appeal is None:
                raise serializers.ValidationError({"appeal": [_("No such appeal among those you may see.")]})
        list_id = data.pop("governance_list", None)
        batch = None
        if list_id is not None:
            batch = selectors.manageable_list(user, list_id)
            if batch is None:
                raise serializers.ValidationError({"governance_list": [_("No such list among yours.")]})
        item = services.create_item(actor=user, appeal=appeal, governance_list=batch, **places, **data)
        response = item_response(user, item, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{item.pk}/")
        return response


def _place(kind: str, pk: int | None) -> Any:
    if pk is None:
        return None
    place = selectors.place_by_id(kind, pk)
    if place is None:
        raise serializers.ValidationError({kind: [_("No such place.")]})
    return place


class ItemDetailView(GovernanceAPIView):
    """GET: one item with its timeline and the actions the caller may take now."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]

    @extend_schema(
        operation_id="governance_items_retrieve",
        responses={200: ItemDetailSerializer, **problems(401, 403, 404)},
        parameters=[ETAG],
    )
    def get(self, request: Request, pk: int) -> Response:
        return item_response(acting_user(request), selectors.openable_item(request.user, pk))


class ItemPhotoView(GovernanceAPIView):
    """One photo of a progress note (JPEG), for those who may open the item."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="governance_items_photo",
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, **problems(401, 404)},
    )
    def get(self, request: Request, pk: int, photo_pk: int) -> Any:
        item = selectors.openable_item(request.user, pk)
        return photo_response(selectors.item_photos(item), photo_pk)


class FiguresView(GovernanceAPIView):
    """Completion figures of the caller's areas: the total and one row per community, grid, estate
    or governance list (``by``)."""

    permission_classes = [HasAction("governance.view")]

    @extend_schema(
        operation_id="governance_figures",
        parameters=[FiguresQuerySerializer],
        responses={200: FiguresResponseSerializer, **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        by = query.validated_data["by"]
        items = selectors.visible_items(request.user)
        return Response(
            {
                "total": selectors.figures_of(items, _("Total")).as_dict(),
                "by": by,
                "rows": [row.as_dict() for row in selectors.figures_by(items, by)],
            }
        )

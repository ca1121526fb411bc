"""REST API of the governance list (/api/v1/governance/): items (list, one item, create), the
workflow (claim, release, progress with photos, submit, verify, return, cancel) with If-Match or
``version`` and Idempotency-Key, photos, and the completion figures."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.openapi import ETAG, IDEMPOTENCY_KEY, IF_MATCH, problems
from shuren.api.pagination import PageNumberPagination
from shuren.api.parsers import JSONParser, MultiPartParser
from shuren.api.permissions import AnyActionByMethod, HasAction
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.photos import photo_response
from shuren.core.scoping import can, has_action, visible
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, Building, Estate, Unit

from . import selectors, services
from .api_serializers import (
    ActionSerializer,
    ClaimSerializer,
    FiguresQuerySerializer,
    FiguresResponseSerializer,
    ItemCreateSerializer,
    ItemDetailSerializer,
    ItemFilterSerializer,
    ItemNoteSerializer,
    ItemOptionalReasonSerializer,
    ItemProgressSerializer,
    ItemReasonSerializer,
    ItemSerializer,
)
from .models import GovernanceItem, GovernanceList, ItemPhoto

# Staff read with governance.view; residents, volunteers and building leaders with governance.claim.
READERS = ("governance.view", "governance.claim")


def is_staff_view(user: Any, item: GovernanceItem) -> bool:
    return can(user, "governance.view", item) or can(user, "governance.manage", item)


def item_response(user: Any, item: GovernanceItem, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The item as ``user`` may see it, with its ETag."""
    item = selectors.openable_item(user, item.pk)
    data = ItemDetailSerializer(item, context={"user": user, "staff": is_staff_view(user, item)}).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(item)
    return response


class GovernanceAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""


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
        user = self.request.user
        if has_action(user, "governance.view"):
            items = selectors.visible_items(user)
        else:
            # A resident's community, without other people's wishes still under review.
            items = GovernanceItem.objects.filter(selectors.portal_reach_q(user)).filter(
                ~Q(status="proposed") | Q(created_by=user)
            )
        f = self.filters
        for name in ("status", "kind", "source"):
            if f.get(name):
                items = items.filter(**{name: f[name]})
        if f.get("governance_list"):
            items = items.filter(governance_list_id=f["governance_list"])
        if f.get("overdue"):
            items = items.filter(selectors.overdue_q())
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
        page = self.paginate_queryset(self.get_queryset())
        ids = [item.pk for item in page]
        claims = selectors.active_claims_of(GovernanceItem.objects.filter(pk__in=ids))
        staff = has_action(request.user, "governance.view")
        data = ItemSerializer(
            page,
            many=True,
            context={"user": request.user, "staff": staff, "claims": claims, "today": timezone.localdate()},
        ).data
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
        user = request.user
        places = {
            "area": _lookup(Area, data.pop("area", None), "area"),
            "estate": _lookup(Estate, data.pop("estate", None), "estate"),
            "building": _lookup(Building, data.pop("building", None), "building"),
            "unit": _lookup(Unit, data.pop("unit", None), "unit"),
        }
        appeal_id = data.pop("appeal", None)
        appeal = None
        if appeal_id is not None:
            from shuren.appeals.selectors import visible_appeals

            appeal = visible_appeals(user).filter(pk=appeal_id).first()
            if appeal is None:
                raise serializers.ValidationError({"appeal": [_("No such appeal among those you may see.")]})
        list_id = data.pop("governance_list", None)
        batch = None
        if list_id is not None:
            batch = visible(GovernanceList.objects.filter(pk=list_id), user, "governance.manage").first()
            if batch is None:
                raise serializers.ValidationError({"governance_list": [_("No such list among yours.")]})
        item = services.create_item(user, appeal=appeal, governance_list=batch, **places, **data)
        response = item_response(user, item, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{item.pk}/")
        return response


def _lookup(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise serializers.ValidationError({field: [_("No such place.")]})
    return obj


class ItemDetailView(GovernanceAPIView):
    """GET: one item with its timeline and the actions the caller may take now."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]

    @extend_schema(
        operation_id="governance_items_retrieve",
        responses={200: ItemDetailSerializer, **problems(401, 403, 404)},
        parameters=[ETAG],
    )
    def get(self, request: Request, pk: int) -> Response:
        return item_response(request.user, selectors.openable_item(request.user, pk))


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
        return photo_response(ItemPhoto.objects.filter(update__item=item), photo_pk)


# --- the workflow ---------------------------------------------------------------------------------


class ItemActionView(GovernanceAPIView):
    """One step of the workflow. The item is looked up first (404 outside the caller's reach), then
    the body is checked (400), then the version the caller read (428/412/409), then the service
    decides whether the state and the caller's part allow the step (409/403)."""

    permission_classes = [AnyActionByMethod({"POST": ("governance.claim", "governance.manage", "governance.verify")})]
    parser_classes = [JSONParser, MultiPartParser]
    body_serializer: type[ActionSerializer] = ActionSerializer
    slug = ""

    def perform(self, actor: Any, item: GovernanceItem, version: int, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        item = selectors.openable_item(request.user, pk)
        raw = request.data
        if hasattr(raw, "getlist"):  # multipart: several photos under one name
            raw = {key: (raw.getlist(key) if key == "photos" else raw.get(key)) for key in raw}
        body = self.body_serializer(data=raw)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if self.slug == "claim":
            services.check_claimable(request.user, item)
        version = expected_version(
            item, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        self.perform(request.user, item, version, data)
        return item_response(request.user, item)


def _action(
    slug: str, serializer: type[ActionSerializer], summary: str, perform: Any, doc: str
) -> type[ItemActionView]:
    @extend_schema(
        operation_id=f"governance_items_{slug}",
        summary=summary,
        description=doc,
        request={"application/json": serializer, "multipart/form-data": serializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY],
        responses={200: ItemDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def post(self: ItemActionView, request: Request, pk: int) -> Response:
        return ItemActionView.post(self, request, pk)

    return type(
        f"Item{slug.title()}View",
        (ItemActionView,),
        {
            "slug": slug,
            "body_serializer": serializer,
            "perform": lambda self, u, i, v, d: perform(u, i, v, d),
            "post": post,
            "__doc__": doc,
        },
    )


def _claim(user: Any, item: GovernanceItem, version: int, data: dict[str, Any]) -> Any:
    organization = person = None
    if data.get("organization"):
        organization = Organization.objects.filter(pk=data["organization"]).first()
        if organization is None:
            raise serializers.ValidationError({"organization": [_("No such organisation.")]})
    if data.get("person"):
        person = Person.objects.filter(pk=data["person"]).first()
        if person is None:
            raise serializers.ValidationError({"person": [_("Choose a resident of this community.")]})
    return services.claim_item(user, item, version=version, person=person, organization=organization, note=data["note"])


ACTION_VIEWS: dict[str, type[ItemActionView]] = {
    "claim": _action(
        "claim",
        ClaimSerializer,
        "Claim",
        _claim,
        "认领: for oneself (party member, volunteer, building leader), for an organisation one belongs to, or "
        "(staff) for a resident or organisation. 409 `already-claimed` names the holder.",
    ),
    "release": _action(
        "release",
        ItemOptionalReasonSerializer,
        "Release",
        lambda u, i, v, d: services.release_claim(u, i, version=v, reason=d["reason"]),
        "The holder gives the item back; it is open for claiming again.",
    ),
    "progress": _action(
        "progress",
        ItemProgressSerializer,
        "Record progress",
        lambda u, i, v, d: services.record_progress(u, i, version=v, text=d["text"], photos=d["photos"]),
        "A progress note with photos (multipart); the claim's lapse time starts again.",
    ),
    "submit": _action(
        "submit",
        ItemProgressSerializer,
        "Report done",
        lambda u, i, v, d: services.submit_item(u, i, version=v, text=d["text"], photos=d["photos"]),
        "The holder reports the item done; staff verify it next.",
    ),
    "verify": _action(
        "verify",
        ItemNoteSerializer,
        "Verify",
        lambda u, i, v, d: services.verify_item(u, i, version=v, note=d["note"]),
        "Staff (governance.verify) confirm the item done; the points are credited to the holder.",
    ),
    "return": _action(
        "return",
        ItemReasonSerializer,
        "Return for more work",
        lambda u, i, v, d: services.return_item(u, i, version=v, reason=d["reason"]),
        "Staff send the item back to its holder.",
    ),
    "cancel": _action(
        "cancel",
        ItemReasonSerializer,
        "Cancel",
        lambda u, i, v, d: services.cancel_item(u, i, version=v, reason=d["reason"]),
        "Staff take the item off the list; an active claim is withdrawn.",
    ),
}


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

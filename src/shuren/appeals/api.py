"""REST API of the appeals workflow under /api/v1/appeals/: intake, the working lists, one endpoint
per step of the workflow, the timeline, photos, KPIs and the caller's notifications.

The views are adapters: they find the appeal as the caller may open it (``selectors``), check the
version the caller read (If-Match or ``version``), call the service, and answer with the appeal as
the caller may see it (``Viewer``). Domain errors become problems: OutOfScope 404, NotPermitted 403,
InvalidTransition and StaleVersion 409, validation errors 400 with the fields named.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.api.pagination import PageNumberPagination
from shuren.api.permissions import ActionByMethod
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.errors import OutOfScope
from shuren.core.scoping import can, has_action
from shuren.orgs.models import Organization
from shuren.places.models import Area, Building, Dwelling, Estate

from . import services, workflow
from .api_serializers import (
    PLACE_FIELDS,
    ActionSerializer,
    AppealDetailSerializer,
    AppealFilterSerializer,
    AppealListItemSerializer,
    CategorySerializer,
    DispatchSerializer,
    EventSerializer,
    FeedbackSerializer,
    KpiQuerySerializer,
    KpiReportSerializer,
    MergeSerializer,
    NoteOptionalSerializer,
    NoteSerializer,
    NotificationSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    ProblemSerializer,
    ProgressSerializer,
    PublishSerializer,
    ReasonSerializer,
    ResolveSerializer,
    SubmitSerializer,
    SuperviseSerializer,
)
from .dispatching import suggest_organization
from .duplicates import similar_open_appeals
from .kpis import AppealKpis, appeal_kpis, appeal_kpis_by, in_period
from .models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    AppealPhoto,
    Category,
    Channel,
    Notification,
    Status,
)
from .privacy import visible_reporter
from .selectors import (
    due_soon_limit,
    due_soon_q,
    handler_organization_ids,
    listed_appeals,
    my_appeals,
    openable_appeal,
    overdue_q,
    visible_appeals,
)

# --- permissions ----------------------------------------------------------------------------------

# Whoever takes part in appeals: staff of a place, handlers, and reporters. Which appeal each may
# open, and what they may do with it, the selectors and the workflow decide.
PARTY_ACTIONS = ("appeals.view", "appeals.handle", "appeals.report")


def AnyActionByMethod(table: dict[str, tuple[str, ...]]) -> type[BasePermission]:  # noqa: N802
    """Permission class: per HTTP method, the user must hold at least one of the listed actions
    somewhere (HEAD and OPTIONS follow GET). The first GET action is what the route walker reports."""
    actions = {method.upper(): tuple(names) for method, names in table.items()}
    for alias in ("HEAD", "OPTIONS"):
        if "GET" in actions:
            actions.setdefault(alias, actions["GET"])

    class _AnyActionByMethod(BasePermission):
        shuren_action = (actions.get("GET") or next(iter(actions.values())))[0]
        shuren_actions = dict(actions)

        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            if not (user and user.is_authenticated):
                return False
            return any(has_action(user, action) for action in actions.get(request.method, ()))

    _AnyActionByMethod.__name__ = (
        "AnyActionByMethod[" + ",".join(f"{m}={'|'.join(a)}" for m, a in actions.items()) + "]"
    )
    return _AnyActionByMethod


ANY_PARTY = AnyActionByMethod({"GET": PARTY_ACTIONS, "POST": PARTY_ACTIONS})

# --- OpenAPI pieces -------------------------------------------------------------------------------

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Unique key for this operation; a retry with the same key returns the first response.",
)
IDEMPOTENCY_KEY_REQUIRED = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="Unique key for this submission (e.g. a UUID); a retry with the same key returns the first "
    "response and creates nothing.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read. Alternatively send `version` in the body. Without either: 428.",
)
ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201], description="The appeal's version."
)
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[201], description="The new appeal."
)
PROBLEM = "application/problem+json"


def problems(*codes: int) -> dict[Any, Any]:
    """Documented problem answers (RFC 9457) for the given status codes."""
    meaning = {
        400: "Invalid input; `errors` names each field.",
        401: "Not signed in.",
        403: "Your roles do not allow this action on this appeal.",
        404: "No such appeal among those you may open.",
        409: "The state does not allow this step, or someone changed the appeal first (reload it).",
        412: "If-Match names an older version.",
        428: "Send If-Match or `version`.",
    }
    return {(code, PROBLEM): OpenApiResponse(ProblemSerializer, description=meaning[code]) for code in codes}


# --- how the caller stands to an appeal -----------------------------------------------------------


class Viewer:
    """The caller's part in one appeal, which decides what they see of it.

    Staff of the place see everything, with the reporter's phone masked. A handler sees all events
    but the reporter only when the dispatcher shared the contact (and then in full, audited). A
    reporter sees the public timeline and not the internal flags. Nobody sees who reported an
    anonymous appeal.
    """

    STAFF, HANDLER, REPORTER = "staff", "handler", "reporter"

    def __init__(self, user: Any, appeal: Appeal) -> None:
        self.user, self.appeal = user, appeal
        if can(user, "appeals.view", appeal):
            self.role = self.STAFF
        elif appeal.organization_id is not None and appeal.organization_id in handler_organization_ids(user):
            self.role = self.HANDLER
        elif user.pk in (appeal.reporter_id, appeal.recorded_by_id):
            self.role = self.REPORTER
        else:  # a handler who has just returned the appeal: the most discreet view
            self.role = self.HANDLER

    @property
    def is_reporter_view(self) -> bool:
        return self.role == self.REPORTER

    @property
    def sees_contact(self) -> bool:
        if self.appeal.is_anonymous:
            return False
        return self.role != self.HANDLER or self.appeal.contact_shared

    @property
    def sees_dwelling(self) -> bool:
        """The dwelling is mostly the reporter's home: a handler learns it with the contact."""
        return self.role != self.HANDLER or self.appeal.contact_shared

    @cached_property
    def actions(self) -> list[str]:
        return workflow.allowed_actions(self.user, self.appeal)

    @cached_property
    def is_dispatcher(self) -> bool:
        return self.role == self.STAFF and workflow.is_dispatcher(self.user, self.appeal)

    def reporter(self) -> dict[str, str] | None:
        seen = visible_reporter(self.user, self.appeal, as_handler=self.role == self.HANDLER)
        if seen is None or seen.anonymous or not (seen.name or seen.phone):
            return None
        return {"name": seen.name, "phone": seen.phone}

    def suggested_organization(self) -> Organization | None:
        return suggest_organization(self.appeal) if self.is_dispatcher else None

    def similar(self) -> list[tuple[Appeal, float]]:
        if not (self.is_dispatcher and self.appeal.is_open):
            return []
        return similar_open_appeals(self.appeal)

    def events(self) -> QuerySet[AppealEvent]:
        events = self.appeal.events.select_related("actor", "organization")
        return events.filter(is_public=True) if self.is_reporter_view else events


class DeadlineClock:
    """Whether an open appeal's next deadline has passed or is near, as the selectors define it."""

    def __init__(self) -> None:
        self.now = timezone.now()

    @cached_property
    def soon(self) -> dt.datetime:
        return due_soon_limit(self.now)

    def state_of(self, appeal: Appeal) -> str | None:
        if appeal.status not in OPEN_STATUSES:
            return None
        deadlines = [appeal.resolution_due_at]
        if appeal.status == Status.DISPATCHED:
            deadlines.append(appeal.response_due_at)
        deadlines = [d for d in deadlines if d is not None]
        if any(d < self.now for d in deadlines):
            return "overdue"
        if any(d <= self.soon for d in deadlines):
            return "due_soon"
        return None


def appeal_response(user: Any, appeal: Appeal, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The appeal as ``user`` may see it, with its ETag."""
    viewer = Viewer(user, appeal)
    data = AppealDetailSerializer(appeal, context={"viewer": viewer, "clock": DeadlineClock()}).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(appeal)
    return response


# --- base -----------------------------------------------------------------------------------------


class AppealAPIView(APIView):
    """Turns the services' Django ValidationErrors into 400 problems naming the request's fields."""

    # Service field name -> request field name, where they differ.
    field_names: dict[str, str] = {}

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            if hasattr(exc, "error_dict"):
                names = {NON_FIELD_ERRORS: "non_field_errors", **self.field_names}
                errors = {names.get(k, k): v for k, v in exc.message_dict.items()}
            else:
                errors = {"non_field_errors": exc.messages}
            exc = serializers.ValidationError(errors)
        return super().handle_exception(exc)


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_LIMIT rows: an exact count of millions of appeals costs more than the
    page itself. Narrow the list with filters to reach rows beyond the limit."""

    COUNT_LIMIT = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.COUNT_LIMIT].count()


class AppealPagination(PageNumberPagination):
    django_paginator_class = CappedCountPaginator


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
        categories = Category.objects.select_related("parent").order_by("sort_order", "code")
        if request.query_params.get("active") in ("1", "true"):
            categories = categories.filter(is_active=True)
        return Response(CategorySerializer(categories, many=True).data)


# --- list and submit ------------------------------------------------------------------------------


class AppealListView(AppealAPIView, generics.GenericAPIView):
    """GET: the appeals the caller works on as staff or handler, newest first (``mine=1``: the
    appeals the caller reported or recorded). POST: submit an appeal."""

    permission_classes = [AnyActionByMethod({"GET": PARTY_ACTIONS, "POST": ("appeals.report",)})]
    pagination_class = AppealPagination
    serializer_class = AppealListItemSerializer
    idempotency_required = True  # for POST: a retried submission must not file the appeal twice

    def get_queryset(self) -> QuerySet[Appeal]:
        return filter_appeals(self.request.user, self.filters)

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
        page = self.paginate_queryset(self.get_queryset())
        context: dict[str, Any] = {"clock": DeadlineClock()}
        if self.filters["mine"]:  # the caller's own reports: internal flags only where they work on it
            user, orgs = request.user, handler_organization_ids(request.user)
            context["shows_internal"] = lambda appeal: (
                can(user, "appeals.view", appeal) or appeal.organization_id in orgs
            )
        rows = AppealListItemSerializer(page, many=True, context=context).data
        return self.get_paginated_response(rows)

    @extend_schema(
        operation_id="appeals_submit",
        request=SubmitSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED, ETAG, LOCATION],
        responses={
            (201, "application/json"): OpenApiResponse(AppealDetailSerializer, description="The new appeal."),
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
        category = Category.objects.filter(code=data["category"]).first()
        if category is None:
            raise serializers.ValidationError({"category": [_("Unknown category.")]})
        place_field, location = _location(data)
        try:
            appeal = services.submit_appeal(
                actor=request.user,
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
        response = appeal_response(request.user, appeal, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api:appeal-detail", kwargs={"pk": appeal.pk})
        return response


_PLACES: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "dwelling": (Dwelling, ("unit__building__estate__community", "unit__building__grid__parent")),
    "building": (Building, ("estate__community", "grid__parent")),
    "estate": (Estate, ("community",)),
    "area": (Area, ("parent",)),
}


def _location(data: dict[str, Any]) -> tuple[str, services.AppealLocation]:
    field = next(name for name in PLACE_FIELDS if data.get(name) is not None)
    model, joins = _PLACES[field]
    place = model.objects.select_related(*joins).filter(pk=data[field]).first()
    if place is None:
        raise serializers.ValidationError({field: [_("Unknown place.")]})
    return field, services.AppealLocation(**{field: place})


def filter_appeals(user: Any, params: dict[str, Any]) -> QuerySet[Appeal]:
    """The list's query: the caller's appeals narrowed by the filters, newest first."""
    appeals = my_appeals(user) if params.get("mine") else visible_appeals(user)
    wanted = params.get("status")
    if wanted == "open":
        appeals = appeals.filter(status__in=OPEN_STATUSES)
    elif wanted == "finished":
        appeals = appeals.filter(status__in=FINISHED_STATUSES)
    elif wanted:
        appeals = appeals.filter(status=wanted)
    if params.get("category"):
        code = params["category"]
        family = Category.objects.filter(Q(code=code) | Q(parent__code=code) | Q(parent__parent__code=code))
        appeals = appeals.filter(category__in=family.values("pk"))
    for field in ("estate", "building", "organization"):
        if params.get(field):
            appeals = appeals.filter(**{f"{field}_id": params[field]})
    if params.get("level"):
        appeals = appeals.filter(level=params["level"])
    if params.get("supervised") is not None:
        appeals = appeals.filter(is_supervised=params["supervised"])
    now = timezone.now()
    if params.get("due") == "overdue":
        appeals = appeals.filter(overdue_q(now))
    elif params.get("due") == "soon":
        appeals = appeals.filter(due_soon_q(now, due_soon_limit(now)))
    if params.get("q"):
        text = params["q"].strip()
        appeals = appeals.filter(Q(description__icontains=text) | Q(reference=text))
    tz = timezone.get_current_timezone()
    if params.get("submitted_after"):
        appeals = appeals.filter(submitted_at__gte=dt.datetime.combine(params["submitted_after"], dt.time.min, tz))
    if params.get("submitted_before"):
        appeals = appeals.filter(submitted_at__lt=dt.datetime.combine(params["submitted_before"], dt.time.min, tz))
    return listed_appeals(appeals).order_by("-submitted_at", "-pk")


# --- one appeal -----------------------------------------------------------------------------------


class AppealDetailView(AppealAPIView):
    """One appeal as the caller may see it, with the actions they may take now."""

    permission_classes = [ANY_PARTY]

    @extend_schema(
        operation_id="appeals_retrieve",
        parameters=[ETAG],
        responses={200: AppealDetailSerializer, **problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return appeal_response(request.user, openable_appeal(request.user, pk))


class AppealEventsView(AppealAPIView):
    """The appeal's timeline, oldest first (the reporter sees only the public events)."""

    permission_classes = [ANY_PARTY]

    @extend_schema(
        operation_id="appeals_events_list", responses={200: EventSerializer(many=True), **problems(401, 404)}
    )
    def get(self, request: Request, pk: int) -> Response:
        viewer = Viewer(request.user, openable_appeal(request.user, pk))
        return Response(EventSerializer(viewer.events(), many=True, context={"viewer": viewer}).data)


class AppealPhotosView(AppealAPIView):
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
            actor=request.user, appeal=appeal, photos=body.validated_data["photos"], stage=body.validated_data["stage"]
        )
        return Response(PhotoSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)


class AppealPhotoView(AppealAPIView):
    """One photo (JPEG), for those who may open the appeal."""

    permission_classes = [ANY_PARTY]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # an <img> asks for image/*

    @extend_schema(
        operation_id="appeals_photos_retrieve",
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY, **problems(401, 404)},
    )
    def get(self, request: Request, pk: int, photo_pk: int) -> FileResponse:
        appeal = openable_appeal(request.user, pk)
        photo = get_object_or_404(AppealPhoto, pk=photo_pk, appeal=appeal)
        try:
            handle = photo.image.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type="image/jpeg")  # not cached: see core NoStoreMiddleware


# --- the workflow ---------------------------------------------------------------------------------


class AppealActionView(AppealAPIView):
    """One step of the workflow. The appeal is looked up first (404 outside the caller's reach),
    then the body is checked (400), then the version the caller read (428/412/409), then the service
    decides whether the state and the caller's part allow the step (409/403)."""

    permission_classes = [ANY_PARTY]
    body_serializer: type[ActionSerializer] = ActionSerializer

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        appeal = openable_appeal(request.user, pk)
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            appeal, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        appeal = self.perform(request.user, appeal, version, data)
        return appeal_response(request.user, appeal)


def action_schema(serializer: type[ActionSerializer], operation: str, summary: str) -> Any:
    return extend_schema(
        operation_id=f"appeals_{operation}",
        summary=summary,
        request=serializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY, ETAG],
        responses={200: AppealDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )


class AcceptView(AppealActionView):
    """受理: the desk takes the appeal on; it waits for dispatch."""

    body_serializer = NoteOptionalSerializer

    @action_schema(NoteOptionalSerializer, "accept", "Accept")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.accept_appeal(actor=actor, appeal=appeal, version=version, note=data["note"])


class RejectView(AppealActionView):
    """不予受理: ends the appeal with a reason the reporter reads."""

    body_serializer = ReasonSerializer

    @action_schema(ReasonSerializer, "reject", "Reject")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.reject_appeal(actor=actor, appeal=appeal, version=version, reason=data["reason"])


class DispatchView(AppealActionView):
    """派单: give the appeal to an organisation. Another than the suggested one needs a reason."""

    body_serializer = DispatchSerializer

    @action_schema(DispatchSerializer, "dispatch", "Dispatch")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        organization = Organization.objects.filter(pk=data["organization"]).first()
        if organization is None:
            raise serializers.ValidationError(
                {"organization": [_("Choose an organisation of this place or above it.")]}
            )
        return services.dispatch_appeal(
            actor=actor,
            appeal=appeal,
            version=version,
            organization=organization,
            reason=data["reason"],
            share_contact=data["share_contact"],
            note=data["note"],
        )


class TakeUpView(AppealActionView):
    """签收: the handler confirms it is on the case (the response the response rate counts)."""

    body_serializer = NoteOptionalSerializer

    @action_schema(NoteOptionalSerializer, "take_up", "Take up")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.take_up_appeal(actor=actor, appeal=appeal, version=version, note=data["note"])


class ReturnView(AppealActionView):
    """退单: the organisation says the appeal is not theirs; it goes back to the desk."""

    body_serializer = ReasonSerializer

    @action_schema(ReasonSerializer, "return", "Return to the desk")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.return_appeal(actor=actor, appeal=appeal, version=version, reason=data["reason"])


class ProgressView(AppealActionView):
    """A progress note on the timeline (public: the reporter reads it)."""

    body_serializer = ProgressSerializer

    @action_schema(ProgressSerializer, "progress", "Record progress")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.record_progress(
            actor=actor, appeal=appeal, version=version, note=data["note"], public=data["public"]
        )


class ResolveView(AppealActionView):
    """办结: the reply to the reporter, who is then asked to rate it. Add photos of the result with
    POST {id}/photos/ and stage=resolution."""

    body_serializer = ResolveSerializer

    @action_schema(ResolveSerializer, "resolve", "Resolve")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.resolve_appeal(actor=actor, appeal=appeal, version=version, resolution=data["resolution"])


class FeedbackView(AppealActionView):
    """The reporter rates the outcome (closes the appeal), or reopens it once within the window."""

    body_serializer = FeedbackSerializer

    @action_schema(FeedbackSerializer, "feedback", "Rate the outcome")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.give_feedback(
            actor=actor,
            appeal=appeal,
            version=version,
            is_solved=data["is_solved"],
            satisfaction=data["satisfaction"],
            comment=data["comment"],
            reopen=data["reopen"],
        )


class CloseView(AppealActionView):
    """结案 without the reporter's feedback."""

    body_serializer = NoteOptionalSerializer

    @action_schema(NoteOptionalSerializer, "close", "Close")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.close_appeal(actor=actor, appeal=appeal, version=version, note=data["note"])


class EscalateView(AppealActionView):
    """上报: hand the appeal to the level above (grid → community → subdistrict → district)."""

    body_serializer = ReasonSerializer

    @action_schema(ReasonSerializer, "escalate", "Escalate")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.escalate_appeal(actor=actor, appeal=appeal, version=version, reason=data["reason"])


class SuperviseView(AppealActionView):
    """督办: put the appeal under supervision (with what it asks for), or lift it."""

    body_serializer = SuperviseSerializer

    @action_schema(SuperviseSerializer, "supervise", "Supervise")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.supervise_appeal(actor=actor, appeal=appeal, version=version, on=data["on"], note=data["note"])


class MergeView(AppealActionView):
    """合并: this appeal repeats ``into``; its reporter gets the outcome of ``into``."""

    body_serializer = MergeSerializer

    @action_schema(MergeSerializer, "merge", "Merge")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        into = visible_appeals(actor).filter(pk=data["into"]).first()
        if into is None:
            raise serializers.ValidationError({"into": [_("Choose another open appeal to merge into.")]})
        return services.merge_appeal(actor=actor, appeal=appeal, version=version, into=into)


class NoteView(AppealActionView):
    """An internal note (never shown to the reporter)."""

    body_serializer = NoteSerializer

    @action_schema(NoteSerializer, "note", "Internal note")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.add_note(actor=actor, appeal=appeal, version=version, note=data["note"])


class PublishView(AppealActionView):
    """Show a resolved appeal on the public board (件件有回音) with a summary free of personal data,
    or take it off."""

    body_serializer = PublishSerializer
    field_names = {"is_published": "published", "public_summary": "summary"}

    @action_schema(PublishSerializer, "publish", "Publish on the public board")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: Any, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.set_publication(
            actor=actor, appeal=appeal, version=version, published=data["published"], summary=data["summary"]
        )


# URL slug -> view: POST /api/v1/appeals/{id}/{slug}/
ACTION_VIEWS: dict[str, type[AppealActionView]] = {
    "accept": AcceptView,
    "reject": RejectView,
    "dispatch": DispatchView,
    "take-up": TakeUpView,
    "return": ReturnView,
    "progress": ProgressView,
    "resolve": ResolveView,
    "feedback": FeedbackView,
    "close": CloseView,
    "escalate": EscalateView,
    "supervise": SuperviseView,
    "merge": MergeView,
    "note": NoteView,
    "publish": PublishView,
}


# --- KPIs -----------------------------------------------------------------------------------------


def _kpi_data(kpis: AppealKpis) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(kpis, name) for name in AppealKpis.__dataclass_fields__}
    for rate in ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_resolution_rate"):
        value = getattr(kpis, rate)
        data[rate] = None if value is None else round(value, 4)
    return data


def _group_labels(group: str, keys: list[Any]) -> dict[Any, tuple[str, str | None]]:
    """(name, code) of each group key; the key None (not dispatched, no estate) is named too."""
    ids = [key for key in keys if key is not None]
    labels: dict[Any, tuple[str, str | None]] = {}
    if group == "category":
        labels = {
            pk: (name, code) for pk, name, code in Category.objects.filter(pk__in=ids).values_list("pk", "name", "code")
        }
    else:
        model = {"organization": Organization, "area": Area, "estate": Estate}[group]
        labels = {pk: (name, None) for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name")}
    labels[None] = ({"organization": _("Not dispatched yet"), "estate": _("No estate")}.get(group, ""), None)
    return labels


class KpiView(AppealAPIView):
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
        appeals = in_period(visible_appeals(request.user), start, end)
        groups = []
        if group:
            rows = appeal_kpis_by(appeals, group)
            labels = _group_labels(group, [key for key, _kpis in rows])
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


def _notifications_of(user: Any) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("appeal")
        .only("pk", "kind", "message", "created_at", "read_at", "recipient_id", "appeal_id", "appeal__reference")
    )


class NotificationListView(generics.ListAPIView):
    """The caller's notifications about appeals, newest first (``unread=1``: only unread ones)."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        notifications = _notifications_of(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            notifications = notifications.filter(read_at__isnull=True)
        return notifications

    @extend_schema(
        operation_id="appeals_notifications_list",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications.")],
        responses={200: NotificationSerializer(many=True), **problems(401)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationReadView(APIView):
    """Mark one of the caller's notifications read (again: no change)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="appeals_notifications_read",
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: NotificationSerializer, **problems(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = get_object_or_404(_notifications_of(request.user), pk=pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=notification.read_at)
        return Response(NotificationSerializer(notification).data)

"""The API's own endpoints: who am I, the area tree, and API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.accounts.acting import acting_user
from shuren.accounts.credentials import verify_password
from shuren.accounts.mfa import confirmed_device, mfa_required
from shuren.accounts.models import RoleGrant
from shuren.accounts.roles import Role
from shuren.accounts.services import issue_api_token
from shuren.audit.services import record_event
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.scoping import visible
from shuren.places.models import Area
from shuren.places.services import change_area, create_grid

from .authentication import ApiTokenAuthentication
from .errors import problem
from .permissions import ActionByMethod, PublicEndpoint
from .serializers import (
    AreaChangeSerializer,
    AreaSerializer,
    GridCreateSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .throttling import AuthRateThrottle

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Unique key for this operation; a retry with the same key returns the first response.",
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read. Alternatively send `version` in the body.",
)


class MeView(APIView):
    """The signed-in user, with phone masked and roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        grants = RoleGrant.objects.active().filter(user=user).select_related("area")
        data = {
            "username": user.username,
            "full_name": user.full_name,
            "phone_masked": user.masked_phone,
            "language": request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "zh-hans",
            "roles": [
                {
                    "role": g.role,
                    "role_label": str(Role(g.role).label),
                    "area_path": g.area.path if g.area is not None else "",
                    "area_name": g.area.name if g.area is not None else "",
                }
                for g in grants
            ],
        }
        return Response(MeSerializer(data).data)


class AreaListView(generics.ListAPIView):
    """Areas in the caller's scope; POST adds a grid to a community."""

    permission_classes = [ActionByMethod({"GET": "places.view_area", "POST": "places.change_area"})]
    serializer_class = AreaSerializer
    idempotency_required = True  # for POST; GET is never affected

    def get_queryset(self) -> Any:
        areas = visible(Area.objects.all(), self.request.user, "places.view_area").order_by("path")
        kind = self.request.query_params.get("kind")
        parent = self.request.query_params.get("parent")
        if kind:
            areas = areas.filter(kind=kind)
        if parent:
            areas = areas.filter(parent_id=int(parent)) if parent.isdigit() else areas.none()
        return areas

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("parent", int)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=GridCreateSerializer, responses={201: AreaSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def post(self, request: Request) -> Response:
        body = GridCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        community = get_object_or_404(
            visible(Area.objects.all(), request.user, "places.view_area"), pk=body.validated_data["parent"]
        )
        try:
            grid = create_grid(
                actor=acting_user(request),
                community=community,
                code=body.validated_data["code"],
                name=body.validated_data["name"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        response = Response(AreaSerializer(grid).data, status=status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/areas/{grid.pk}/"
        response["ETag"] = etag_for(grid)
        return response


class AreaDetailView(APIView):
    """One area. PATCH changes name and figures; send If-Match (the ETag) or `version`."""

    permission_classes = [ActionByMethod({"GET": "places.view_area", "PATCH": "places.change_area"})]

    def _area(self, request: Request, pk: int) -> Area:
        return get_object_or_404(visible(Area.objects.all(), request.user, "places.view_area"), pk=pk)

    @extend_schema(responses=AreaSerializer)
    def get(self, request: Request, pk: int) -> Response:
        area = self._area(request, pk)
        response = Response(AreaSerializer(area).data)
        response["ETag"] = etag_for(area)
        return response

    @extend_schema(
        request=AreaChangeSerializer,
        responses={200: AreaSerializer, 409: OpenApiResponse(), 412: OpenApiResponse(), 428: OpenApiResponse()},
        parameters=[IF_MATCH_HEADER, IDEMPOTENCY_HEADER],
    )
    def patch(self, request: Request, pk: int) -> Response:
        area = self._area(request, pk)
        body = AreaChangeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = {k: v for k, v in body.validated_data.items() if k != "version"}
        version = expected_version(
            area, if_match=request.headers.get("If-Match"), body_version=body.validated_data.get("version")
        )
        area = change_area(actor=acting_user(request), area=area, version=version, changes=changes)
        response = Response(AreaSerializer(area).data)
        response["ETag"] = etag_for(area)
        return response


class TokenView(APIView):
    """Exchange a username (or mobile) and password — plus a TOTP code for staff — for a new API
    token. The key is in this answer only; it stops working at `expires_at`, after the idle timeout,
    on a password change, on "sign out everywhere" or when revoked. DELETE revokes the token used to
    call it. Wrong passwords count towards the same lockout as the sign-in page."""

    permission_classes = [PublicEndpoint]
    authentication_classes: list[Any] = []
    throttle_classes = [AuthRateThrottle]

    @extend_schema(
        request=TokenRequestSerializer, responses={200: TokenSerializer, 401: OpenApiResponse(), 429: OpenApiResponse()}
    )
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        check = verify_password(
            request._request,
            identity=body.validated_data["username"],
            password=body.validated_data["password"],
            purpose="api_token",
        )
        if check.refusal is not None:
            response = problem(429, "Too many failed attempts. Try again in 15 minutes.", "locked-out")
            response["Retry-After"] = str(check.retry_after)
            return response
        user = check.user
        if user is None:
            return problem(401, "The username/mobile number or password is incorrect.", "invalid-credentials")
        if mfa_required(user):
            device = confirmed_device(user)
            if device is None or not device.verify_token(body.validated_data.get("otp", "")):
                record_event("auth.token_denied", actor=user, obj=user, outcome="failure", reason="second factor")
                return problem(401, "A valid code from the authenticator app is required.", "otp-required")
        token, key = issue_api_token(user=user, name=body.validated_data.get("name", ""))
        return Response(
            TokenSerializer(
                {
                    "token": key,
                    "name": token.name,
                    "prefix": token.key_prefix,
                    "expires_at": token.expires_at,
                    "idle_timeout_seconds": token.idle_seconds,
                }
            ).data
        )

    @extend_schema(responses={204: None, 401: OpenApiResponse()})
    def delete(self, request: Request) -> Response:
        from shuren.accounts.services import revoke_api_token

        try:
            result = ApiTokenAuthentication().authenticate(request)
        except exceptions.AuthenticationFailed:
            result = None
        if result is None:
            return problem(401, "Send a valid token to revoke in the Authorization header.", "not-authenticated")
        user, token = result
        revoke_api_token(actor=user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""The steps of the points API: adjustments, reversals, redeeming a reward, fulfilling or cancelling
a redemption. Every POST needs an Idempotency-Key."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import IDEMPOTENCY_KEY_REQUIRED, problems
from shuren.api.permissions import AnyActionByMethod
from shuren.core.errors import OutOfScope

from .. import selectors, services
from .base import (
    POST_ONLY_MANAGE,
    PointsAPIView,
    own_account,
    redemptions_for,
)
from .serializers import (
    PointsAdjustmentSerializer,
    PointsReasonSerializer,
    PointsRedemptionSerializer,
    PointsTransactionSerializer,
)


class AdjustmentView(PointsAPIView):
    """POST: a manual credit (points > 0) or debit (< 0) with a reason (points.manage)."""

    permission_classes = [AnyActionByMethod(POST_ONLY_MANAGE)]
    idempotency_required = True

    @extend_schema(
        operation_id="points_accounts_adjust",
        request=PointsAdjustmentSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: PointsTransactionSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        account = selectors.staff_account(request.user, pk)
        body = PointsAdjustmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        txn = services.adjust_points(actor=acting_user(request), account=account, **body.validated_data)
        return Response(PointsTransactionSerializer(txn).data, status=status.HTTP_201_CREATED)


class ReversalView(PointsAPIView):
    """POST: reverse a credit or an adjustment (mirror entries, at most once; points.manage)."""

    permission_classes = [AnyActionByMethod(POST_ONLY_MANAGE)]
    idempotency_required = True

    @extend_schema(
        operation_id="points_transactions_reverse",
        request=PointsReasonSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: PointsTransactionSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        txn = selectors.visible_transaction(request.user, pk)
        if txn is None:
            raise OutOfScope()
        body = PointsReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.reverse_transaction(
            actor=acting_user(request), txn=txn, reason=body.validated_data["reason"]
        )
        return Response(PointsTransactionSerializer(reversal).data, status=status.HTTP_201_CREATED)


class RedeemView(PointsAPIView):
    """POST: redeem the reward for oneself. Points leave at once; the answer carries the
    collection code. A retry with the same Idempotency-Key returns the same redemption."""

    permission_classes = [AnyActionByMethod({"GET": ("points.redeem",), "POST": ("points.redeem",)})]
    idempotency_required = True

    @extend_schema(
        operation_id="points_rewards_redeem",
        request=None,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: PointsRedemptionSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        account = own_account(request.user)
        reward = selectors.community_reward(account, pk)
        if reward is None:
            raise OutOfScope()
        redemption = services.redeem_reward(actor=acting_user(request), reward=reward)
        return Response(PointsRedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)


class RedemptionActionView(PointsAPIView):
    permission_classes = [
        AnyActionByMethod({"GET": ("points.manage", "points.redeem"), "POST": ("points.manage", "points.redeem")})
    ]
    idempotency_required = True
    action = ""

    def post(self, request: Request, pk: int) -> Response:
        redemption = selectors.redemption_among(redemptions_for(request.user), pk)
        body = PointsReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = body.validated_data.get("version")
        if self.action == "fulfil":
            services.fulfil_redemption(actor=acting_user(request), redemption=redemption, version=version)
        else:
            services.cancel_redemption(
                actor=acting_user(request), redemption=redemption, reason=body.validated_data["reason"], version=version
            )
        redemption.refresh_from_db()
        return Response(PointsRedemptionSerializer(redemption).data)


class FulfilView(RedemptionActionView):
    """POST: staff hand the reward over (points.manage)."""

    action = "fulfil"

    @extend_schema(
        operation_id="points_redemptions_fulfil",
        request=PointsReasonSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={200: PointsRedemptionSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class CancelView(RedemptionActionView):
    """POST: cancel a pending redemption: staff with a reason, or the resident their own. The
    points are refunded and the item restocked."""

    action = "cancel"

    @extend_schema(
        operation_id="points_redemptions_cancel",
        request=PointsReasonSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={200: PointsRedemptionSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

"""REST API of points (/api/v1/points/): my account and statement; accounts in scope with their
statements, adjustments and reversals (staff); rules (read; write for the system administrator);
rewards (list, create, update); redeeming; redemptions (list, fulfil, cancel); the leaderboard.
Every mutating POST needs an Idempotency-Key (a retried redemption must not redeem twice);
versioned updates take If-Match or ``version``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.openapi import IDEMPOTENCY_KEY_REQUIRED, IF_MATCH, problems
from shuren.api.pagination import PageNumberPagination
from shuren.api.permissions import AnyActionByMethod
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.errors import OutOfScope
from shuren.core.scoping import has_action, scope_paths, scope_q, visible
from shuren.orgs.models import Organization
from shuren.places.models import Area, AreaKind

from . import selectors, services
from .api_serializers import (
    PointsAccountSerializer,
    PointsAdjustmentSerializer,
    PointsEntrySerializer,
    PointsLeaderboardQuerySerializer,
    PointsReasonSerializer,
    PointsRedemptionSerializer,
    PointsRewardInputSerializer,
    PointsRewardPatchSerializer,
    PointsRewardSerializer,
    PointsRuleInputSerializer,
    PointsRuleSerializer,
    PointsStandingSerializer,
    PointsTransactionSerializer,
)
from .models import Account, LedgerTransaction, Redemption, Reward, Rule
from .portal_views import my_account

STAFF = ("points.view",)
# POST-only routes name the same action for GET so that a GET is answered 405, not 403.
POST_ONLY_MANAGE = {"GET": ("points.manage",), "POST": ("points.manage",)}
# Rules in force are read by everyone who earns or pays points, for the communities they work or
# live in; the administrator reads and writes every rule through /rules/.
READERS = ("points.view", "points.redeem")
ADMIN = ("points.configure",)


class PointsPagination(PageNumberPagination):
    page_size = 50


class PointsAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""


def _own_account(user: Any) -> Account:
    account = my_account(user)
    if account is None:
        raise OutOfScope(_("Your account is not linked to a resident record."))
    return account


# --- my account ----------------------------------------------------------------------------------


class MyAccountView(PointsAPIView):
    """GET: the caller's own points account."""

    permission_classes = [AnyActionByMethod({"GET": ("points.redeem",)})]

    @extend_schema(operation_id="points_me", responses={200: PointsAccountSerializer, **problems(401, 403, 404)})
    def get(self, request: Request) -> Response:
        return Response(PointsAccountSerializer(_own_account(request.user)).data)


class MyStatementView(PointsAPIView, generics.GenericAPIView):
    """GET: every entry of the caller's account, newest first."""

    permission_classes = [AnyActionByMethod({"GET": ("points.redeem",)})]
    pagination_class = PointsPagination
    serializer_class = PointsEntrySerializer

    @extend_schema(operation_id="points_my_statement", responses={200: PointsEntrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.statement(_own_account(request.user)))
        return self.get_paginated_response(PointsEntrySerializer(page, many=True).data)


# --- accounts in scope ---------------------------------------------------------------------------


class AccountListView(PointsAPIView, generics.GenericAPIView):
    """GET: accounts of people and organisations in the caller's areas (``q``: name)."""

    permission_classes = [AnyActionByMethod({"GET": STAFF})]
    pagination_class = PointsPagination
    serializer_class = PointsAccountSerializer

    def get_queryset(self) -> QuerySet[Account]:
        return selectors.holder_accounts(self.request.user, query=self.request.query_params.get("q", "")[:50])

    @extend_schema(operation_id="points_accounts_list", responses={200: PointsAccountSerializer(many=True)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PointsAccountSerializer(page, many=True).data)


def staff_account(user: Any, pk: int) -> Account:
    account = selectors.visible_accounts(user).filter(pk=pk).first()
    if account is None:
        raise OutOfScope()
    return account


class AccountStatementView(PointsAPIView, generics.GenericAPIView):
    """GET: one account's statement (every entry, newest first)."""

    permission_classes = [AnyActionByMethod({"GET": STAFF})]
    pagination_class = PointsPagination
    serializer_class = PointsEntrySerializer

    @extend_schema(operation_id="points_accounts_statement", responses={200: PointsEntrySerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(selectors.statement(staff_account(request.user, pk)))
        return self.get_paginated_response(PointsEntrySerializer(page, many=True).data)


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
        account = staff_account(request.user, pk)
        body = PointsAdjustmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        txn = services.adjust_points(actor=request.user, account=account, **body.validated_data)
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
        visible_ids = selectors.visible_accounts(request.user).values("pk")
        txn = LedgerTransaction.objects.filter(pk=pk, entries__account__in=visible_ids).distinct().first()
        if txn is None:
            raise OutOfScope()
        body = PointsReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.reverse_transaction(actor=request.user, txn=txn, reason=body.validated_data["reason"])
        return Response(PointsTransactionSerializer(reversal).data, status=status.HTTP_201_CREATED)


# --- rules ---------------------------------------------------------------------------------------


def _rule_data(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    community = data.pop("community", None)
    if community is not None:
        community = (
            visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, "points.configure").filter(pk=community).first()
        )
        if community is None:
            raise serializers.ValidationError({"community": [_("No such community.")]})
    data["community"] = community
    return data


def visible_rules(user: Any) -> QuerySet[Rule]:
    """Rules for every community, and those of the communities the caller works in or lives in."""
    from shuren.people.residency import person_of

    paths = sorted({p for action in READERS for p in scope_paths(user, action)})
    person = person_of(user)
    home = Q(community_id=person.community_id) if person is not None else Q(pk__in=[])
    return Rule.objects.filter(Q(community__isnull=True) | scope_q(paths, "community__path") | home)


class RulesInForceView(PointsAPIView):
    """GET: the active rules that apply where the caller works or lives (rules for every community
    and those of their communities): how points are earned."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]

    @extend_schema(operation_id="points_rules_in_force", responses={200: PointsRuleSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rules = visible_rules(request.user).filter(is_active=True)
        return Response(PointsRuleSerializer(rules.order_by("event", "community__path", "-valid_from"), many=True).data)


class RuleListView(PointsAPIView):
    """The administrator's rules (points.configure). GET: every rule (``all=1``: also those
    switched off). POST: add a rule."""

    permission_classes = [AnyActionByMethod({"GET": ADMIN, "POST": ADMIN})]
    idempotency_required = True

    @extend_schema(operation_id="points_rules_list", responses={200: PointsRuleSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rules = Rule.objects.order_by("event", "community__path", "-valid_from", "pk")
        if request.query_params.get("all") != "1":
            rules = rules.filter(is_active=True)
        return Response(PointsRuleSerializer(rules, many=True).data)

    @extend_schema(
        operation_id="points_rules_create",
        request=PointsRuleInputSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: PointsRuleSerializer, **problems(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = PointsRuleInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = _rule_data(request.user, dict(body.validated_data))
        data.pop("version", None)
        active = data.pop("is_active", True)
        rule = services.create_rule(actor=request.user, **data)
        if not active:
            rule = services.set_rule_active(actor=request.user, rule=rule, version=rule.version, active=False)
        response = Response(PointsRuleSerializer(rule).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(rule)
        return response


class RuleDetailView(PointsAPIView):
    """GET: one rule. PUT: replace it from the version read (If-Match or ``version``). Both for the
    administrator (points.configure)."""

    permission_classes = [AnyActionByMethod({"GET": ADMIN, "PUT": ADMIN})]

    @extend_schema(operation_id="points_rules_retrieve", responses={200: PointsRuleSerializer})
    def get(self, request: Request, pk: int) -> Response:
        rule = get_object_or_404(Rule, pk=pk)
        response = Response(PointsRuleSerializer(rule).data)
        response["ETag"] = etag_for(rule)
        return response

    @extend_schema(
        operation_id="points_rules_update",
        request=PointsRuleInputSerializer,
        parameters=[IF_MATCH],
        responses={200: PointsRuleSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def put(self, request: Request, pk: int) -> Response:
        rule = get_object_or_404(Rule, pk=pk)
        body = PointsRuleInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = _rule_data(request.user, dict(body.validated_data))
        version = expected_version(
            rule, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        active = data.pop("is_active", True)
        rule = services.edit_rule(actor=request.user, rule=rule, version=version, **data)
        if rule.is_active != active:
            rule = services.set_rule_active(actor=request.user, rule=rule, version=rule.version, active=active)
        response = Response(PointsRuleSerializer(rule).data)
        response["ETag"] = etag_for(rule)
        return response


# --- rewards and redemptions ---------------------------------------------------------------------


def _supplier(user: Any, pk: int | None) -> Organization | None:
    if pk is None:
        return None
    # Held to the caller's scope like every id in a body: one answer for "none" and "elsewhere".
    supplier = visible(Organization.objects.filter(pk=pk), user, "points.manage").first()
    if supplier is None:
        raise serializers.ValidationError({"supplier": [_("No such organisation.")]})
    return supplier


class RewardListView(PointsAPIView):
    """GET: staff see the rewards of their areas; residents the catalogue of their community.
    POST: add a reward to a community's catalogue (points.manage)."""

    permission_classes = [AnyActionByMethod({"GET": ("points.view", "points.redeem"), "POST": ("points.manage",)})]
    idempotency_required = True

    @extend_schema(operation_id="points_rewards_list", responses={200: PointsRewardSerializer(many=True)})
    def get(self, request: Request) -> Response:
        user = request.user
        if has_action(user, "points.view"):
            rewards = selectors.visible_rewards(user).order_by("scope", "cost", "name")
        else:
            account = my_account(user)
            rewards = selectors.catalogue(account.community) if account else Reward.objects.none()
        return Response(PointsRewardSerializer(rewards, many=True).data)

    @extend_schema(
        operation_id="points_rewards_create",
        request=PointsRewardInputSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: PointsRewardSerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        body = PointsRewardInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("version", None)
        community_pk = data.pop("community", None)
        community = selectors.communities(request.user, "points.manage").filter(pk=community_pk).first()
        if community is None:
            raise serializers.ValidationError({"community": [_("Choose one of your communities.")]})
        data["supplier"] = _supplier(request.user, data.get("supplier"))
        reward = services.create_reward(actor=request.user, community=community, **data)
        response = Response(PointsRewardSerializer(reward).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(reward)
        return response


def _reward_for(user: Any, pk: int) -> Reward:
    reward = selectors.visible_rewards(user).filter(pk=pk).first()
    if reward is None:
        account = my_account(user)
        reward = Reward.objects.filter(pk=pk, community_id=account.community_id).first() if account else None
    if reward is None:
        raise OutOfScope()
    return reward


class RewardDetailView(PointsAPIView):
    """GET: one reward. PATCH: change it from the version read (points.manage)."""

    permission_classes = [AnyActionByMethod({"GET": ("points.view", "points.redeem"), "PATCH": ("points.manage",)})]

    @extend_schema(operation_id="points_rewards_retrieve", responses={200: PointsRewardSerializer})
    def get(self, request: Request, pk: int) -> Response:
        reward = _reward_for(request.user, pk)
        response = Response(PointsRewardSerializer(reward).data)
        response["ETag"] = etag_for(reward)
        return response

    @extend_schema(
        operation_id="points_rewards_update",
        request=PointsRewardPatchSerializer,
        parameters=[IF_MATCH],
        responses={200: PointsRewardSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        reward = selectors.visible_rewards(request.user, "points.manage").filter(pk=pk).first()
        if reward is None:
            raise OutOfScope()
        body = PointsRewardPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("community", None)
        version = expected_version(
            reward, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        if "supplier" in data:
            data["supplier"] = _supplier(request.user, data["supplier"])
        reward = services.edit_reward(actor=request.user, reward=reward, version=version, **data)
        response = Response(PointsRewardSerializer(reward).data)
        response["ETag"] = etag_for(reward)
        return response


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
        account = _own_account(request.user)
        reward = Reward.objects.filter(pk=pk, community_id=account.community_id).first()
        if reward is None:
            raise OutOfScope()
        redemption = services.redeem_reward(actor=request.user, reward=reward)
        return Response(PointsRedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)


def _redemptions_for(user: Any) -> QuerySet[Redemption]:
    if has_action(user, "points.view"):
        return selectors.visible_redemptions(user)
    return selectors.my_redemptions(my_account(user)).select_related("account__person")


class RedemptionListView(PointsAPIView, generics.GenericAPIView):
    """GET: staff see the redemptions of their areas (``code``: a collection code; ``status``),
    residents their own."""

    permission_classes = [AnyActionByMethod({"GET": ("points.view", "points.redeem")})]
    pagination_class = PointsPagination
    serializer_class = PointsRedemptionSerializer

    @extend_schema(operation_id="points_redemptions_list", responses={200: PointsRedemptionSerializer(many=True)})
    def get(self, request: Request) -> Response:
        redemptions = _redemptions_for(request.user)
        if request.query_params.get("code"):
            redemptions = redemptions.filter(pickup_code=request.query_params["code"][:6])
        if request.query_params.get("status"):
            redemptions = redemptions.filter(status=request.query_params["status"][:10])
        page = self.paginate_queryset(redemptions.order_by("-created_at", "-pk"))
        return self.get_paginated_response(PointsRedemptionSerializer(page, many=True).data)


class RedemptionActionView(PointsAPIView):
    permission_classes = [
        AnyActionByMethod({"GET": ("points.manage", "points.redeem"), "POST": ("points.manage", "points.redeem")})
    ]
    idempotency_required = True
    action = ""

    def post(self, request: Request, pk: int) -> Response:
        redemption = _redemptions_for(request.user).filter(pk=pk).first()
        if redemption is None:
            raise OutOfScope()
        body = PointsReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = body.validated_data.get("version")
        if self.action == "fulfil":
            services.fulfil_redemption(actor=request.user, redemption=redemption, version=version)
        else:
            services.cancel_redemption(
                actor=request.user, redemption=redemption, reason=body.validated_data["reason"], version=version
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


# --- leaderboard ---------------------------------------------------------------------------------


class LeaderboardView(PointsAPIView):
    """GET: points earned in the period. Staff: any community or grid of their areas, with names;
    residents: their community, names masked, with their own place."""

    permission_classes = [AnyActionByMethod({"GET": ("points.view", "points.redeem")})]

    @extend_schema(
        operation_id="points_leaderboard",
        parameters=[PointsLeaderboardQuerySerializer],
        responses={200: PointsStandingSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        query = PointsLeaderboardQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        q = query.validated_data
        start, end = selectors.period_bounds(q["period"], q.get("start"), q.get("end"))
        user = request.user
        mine = my_account(user) if has_action(user, "points.redeem") else None
        if has_action(user, "points.view"):
            community = grid = None
            if q.get("community"):
                community = get_object_or_404(selectors.communities(user, "points.view"), pk=q["community"])
            if q.get("grid"):
                grid = Area.objects.filter(kind=AreaKind.GRID, pk=q["grid"]).first()
                if grid is None:
                    raise OutOfScope()
            board = selectors.leaderboard(
                community=community,
                grid=grid,
                start=start,
                end=end,
                accounts=selectors.visible_accounts(user),
                limit=200,
            )
            rows = [
                {"rank": s.rank, "name": s.name, "points": s.points, "is_me": bool(mine and s.account.pk == mine.pk)}
                for s in board
            ]
        else:
            if mine is None:
                raise OutOfScope()
            board = selectors.leaderboard(community=mine.community, start=start, end=end, limit=200)
            rows = [
                {"rank": s.rank, "name": s.masked_name, "points": s.points, "is_me": s.account.pk == mine.pk}
                for s in board
            ]
        return Response(PointsStandingSerializer(rows, many=True).data)

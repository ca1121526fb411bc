"""The reads of the points API: my account and statement, accounts in scope, rules (and the
administrator's edits), rewards (and the catalogue's edits), redemptions, the leaderboard."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import IDEMPOTENCY_KEY_REQUIRED, IF_MATCH, problems
from shuren.api.permissions import AnyActionByMethod
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.errors import OutOfScope
from shuren.core.scoping import has_action

from .. import selectors, services
from ..models import Account, LedgerEntry
from .base import (
    ADMIN,
    READERS,
    STAFF,
    PointsAPIView,
    PointsPagination,
    my_account,
    own_account,
    redemptions_for,
    reward_for,
    rule_data,
    supplier_of,
)
from .serializers import (
    PointsAccountSerializer,
    PointsEntrySerializer,
    PointsLeaderboardQuerySerializer,
    PointsRedemptionSerializer,
    PointsRewardInputSerializer,
    PointsRewardPatchSerializer,
    PointsRewardSerializer,
    PointsRuleInputSerializer,
    PointsRuleSerializer,
    PointsStandingSerializer,
    account_items,
    entry_items,
)


def statement_page(view: generics.GenericAPIView, entries: QuerySet[LedgerEntry]) -> Response:
    """A page of a statement: the page's entries chosen on the entries table alone, then read with
    their transactions as values and built as ``PointsEntrySerializer`` would (entry_items)."""
    ids = view.paginate_queryset(entries.values_list("pk", flat=True))
    return view.get_paginated_response(entry_items(selectors.entry_rows_of(list(ids or ()))))


class MyAccountView(PointsAPIView):
    """GET: the caller's own points account."""

    permission_classes = [AnyActionByMethod({"GET": ("points.redeem",)})]

    @extend_schema(operation_id="points_me", responses={200: PointsAccountSerializer, **problems(401, 403, 404)})
    def get(self, request: Request) -> Response:
        return Response(PointsAccountSerializer(own_account(request.user)).data)


class MyStatementView(PointsAPIView, generics.GenericAPIView):
    """GET: every entry of the caller's account, newest first."""

    permission_classes = [AnyActionByMethod({"GET": ("points.redeem",)})]
    pagination_class = PointsPagination
    serializer_class = PointsEntrySerializer

    @extend_schema(operation_id="points_my_statement", responses={200: PointsEntrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        return statement_page(self, selectors.statement(own_account(request.user)))


class AccountListView(PointsAPIView, generics.GenericAPIView):
    """GET: accounts of people and organisations in the caller's areas (``q``: name)."""

    permission_classes = [AnyActionByMethod({"GET": STAFF})]
    pagination_class = PointsPagination
    serializer_class = PointsAccountSerializer

    def get_queryset(self) -> QuerySet[Account]:
        return selectors.holder_accounts(self.request.user, query=self.request.query_params.get("q", "")[:50])

    @extend_schema(operation_id="points_accounts_list", responses={200: PointsAccountSerializer(many=True)})
    def get(self, request: Request) -> Response:
        ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
        return self.get_paginated_response(account_items(selectors.account_rows_of(list(ids or ()))))


class AccountStatementView(PointsAPIView, generics.GenericAPIView):
    """GET: one account's statement (every entry, newest first)."""

    permission_classes = [AnyActionByMethod({"GET": STAFF})]
    pagination_class = PointsPagination
    serializer_class = PointsEntrySerializer

    @extend_schema(operation_id="points_accounts_statement", responses={200: PointsEntrySerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        return statement_page(self, selectors.statement(selectors.staff_account(request.user, pk)))


class RulesInForceView(PointsAPIView):
    """GET: the active rules that apply where the caller works or lives (rules for every community
    and those of their communities): how points are earned."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]

    @extend_schema(operation_id="points_rules_in_force", responses={200: PointsRuleSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rules = selectors.rules_in_force_for(request.user, READERS)
        return Response(PointsRuleSerializer(rules.order_by("event", "community__path", "-valid_from"), many=True).data)


class RuleListView(PointsAPIView):
    """The administrator's rules (points.configure). GET: every rule (``all=1``: also those
    switched off). POST: add a rule."""

    permission_classes = [AnyActionByMethod({"GET": ADMIN, "POST": ADMIN})]
    idempotency_required = True

    @extend_schema(operation_id="points_rules_list", responses={200: PointsRuleSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rules = selectors.rules(active_only=request.query_params.get("all") != "1")
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
        data = rule_data(request.user, dict(body.validated_data))
        data.pop("version", None)
        active = data.pop("is_active", True)
        rule = services.create_rule(actor=acting_user(request), **data)
        if not active:
            rule = services.set_rule_active(actor=acting_user(request), rule=rule, version=rule.version, active=False)
        response = Response(PointsRuleSerializer(rule).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(rule)
        return response


class RuleDetailView(PointsAPIView):
    """GET: one rule. PUT: replace it from the version read (If-Match or ``version``). Both for the
    administrator (points.configure)."""

    permission_classes = [AnyActionByMethod({"GET": ADMIN, "PUT": ADMIN})]

    @extend_schema(operation_id="points_rules_retrieve", responses={200: PointsRuleSerializer})
    def get(self, request: Request, pk: int) -> Response:
        rule = get_object_or_404(selectors.rules(active_only=False), pk=pk)
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
        rule = get_object_or_404(selectors.rules(active_only=False), pk=pk)
        body = PointsRuleInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = rule_data(request.user, dict(body.validated_data))
        version = expected_version(
            rule, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        active = data.pop("is_active", True)
        rule = services.edit_rule(actor=acting_user(request), rule=rule, version=version, **data)
        if rule.is_active != active:
            rule = services.set_rule_active(actor=acting_user(request), rule=rule, version=rule.version, active=active)
        response = Response(PointsRuleSerializer(rule).data)
        response["ETag"] = etag_for(rule)
        return response


class RewardListView(PointsAPIView):
    """GET: staff see the rewards of their areas; residents the catalogue of their community.
    POST: add a reward to a community's catalogue (points.manage)."""

    permission_classes = [AnyActionByMethod({"GET": ("points.view", "points.redeem"), "POST": ("points.manage",)})]
    idempotency_required = True

    @extend_schema(operation_id="points_rewards_list", responses={200: PointsRewardSerializer(many=True)})
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        if has_action(user, "points.view"):
            rewards = selectors.visible_rewards(user).order_by("scope", "cost", "name")
        else:
            account = my_account(user)
            rewards = selectors.catalogue(account.community) if account else selectors.no_rewards()
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
        community = selectors.community_by_pk(request.user, community_pk, "points.manage")
        if community is None:
            raise serializers.ValidationError({"community": [_("Choose one of your communities.")]})
        data["supplier"] = supplier_of(request.user, data.get("supplier"))
        reward = services.create_reward(actor=acting_user(request), community=community, **data)
        response = Response(PointsRewardSerializer(reward).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(reward)
        return response


class RewardDetailView(PointsAPIView):
    """GET: one reward. PATCH: change it from the version read (points.manage)."""

    permission_classes = [AnyActionByMethod({"GET": ("points.view", "points.redeem"), "PATCH": ("points.manage",)})]

    @extend_schema(operation_id="points_rewards_retrieve", responses={200: PointsRewardSerializer})
    def get(self, request: Request, pk: int) -> Response:
        reward = reward_for(request.user, pk)
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
        reward = selectors.visible_reward(request.user, pk, "points.manage")
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
            data["supplier"] = supplier_of(request.user, data["supplier"])
        reward = services.edit_reward(actor=acting_user(request), reward=reward, version=version, **data)
        response = Response(PointsRewardSerializer(reward).data)
        response["ETag"] = etag_for(reward)
        return response


class RedemptionListView(PointsAPIView, generics.GenericAPIView):
    """GET: staff see the redemptions of their areas (``code``: a collection code; ``status``),
    residents their own."""

    permission_classes = [AnyActionByMethod({"GET": ("points.view", "points.redeem")})]
    pagination_class = PointsPagination
    serializer_class = PointsRedemptionSerializer

    @extend_schema(operation_id="points_redemptions_list", responses={200: PointsRedemptionSerializer(many=True)})
    def get(self, request: Request) -> Response:
        redemptions = redemptions_for(request.user)
        redemptions = selectors.filter_redemptions(
            redemptions,
            code=request.query_params.get("code", "")[:6],
            status=request.query_params.get("status", "")[:10],
        )
        page = self.paginate_queryset(redemptions.order_by("-created_at", "-pk"))
        return self.get_paginated_response(PointsRedemptionSerializer(page, many=True).data)


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
        user = acting_user(request)
        mine = my_account(user) if has_action(user, "points.redeem") else None
        if has_action(user, "points.view"):
            community = grid = None
            if q.get("community"):
                community = get_object_or_404(selectors.communities(user, "points.view"), pk=q["community"])
            if q.get("grid"):
                grid = selectors.grid_by_pk(q["grid"])
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

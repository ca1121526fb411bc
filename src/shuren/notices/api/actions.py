"""The workflow's steps and the receipts in the notices API: the notice is looked up first (404
outside the caller's reach), the body checked (400), the version the caller read (If-Match or
``version``: 428/412/409), then the service decides (409/403)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.accounts.models import User
from shuren.api.openapi import IF_MATCH, problems
from shuren.api.permissions import HasAction
from shuren.core.concurrency import expected_version

from .. import selectors, services
from ..models import Notice
from .base import NoticesAPIView, notice_response
from .serializers import (
    NoticeDetailSerializer,
    NoticeHouseholdSerializer,
    NoticeVersionSerializer,
    NoticeWithdrawSerializer,
)


class NoticeActionView(NoticesAPIView):
    permission_classes = [HasAction("notices.write")]
    body_serializer: type[NoticeVersionSerializer] = NoticeVersionSerializer

    def perform(self, actor: User, notice: Notice, version: int, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        notice = selectors.staff_notice(user, pk)
        selectors.require(user, selectors.WRITE, notice)
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            notice, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        self.perform(user, notice, version, data)
        return notice_response(user, notice)


def _view(slug: str, serializer: type[NoticeVersionSerializer], perform: Any, doc: str) -> type[NoticeActionView]:
    @extend_schema(
        operation_id=f"notices_{slug}",
        description=doc,
        request=serializer,
        parameters=[IF_MATCH],
        responses={200: NoticeDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def post(self: NoticeActionView, request: Request, pk: int) -> Response:
        return NoticeActionView.post(self, request, pk)

    return type(
        f"Notice{slug.title()}View",
        (NoticeActionView,),
        {
            "body_serializer": serializer,
            "perform": lambda self, u, n, v, d: perform(u, n, v, d),
            "post": post,
            "__doc__": doc,
        },
    )


ACTION_VIEWS: dict[str, type[NoticeActionView]] = {
    "publish": _view(
        "publish",
        NoticeVersionSerializer,
        lambda u, n, v, d: services.publish_notice(actor=u, notice=n, version=v),
        "Publish a draft now (or schedule it when its publish time is ahead): the audience is fixed and messaged.",
    ),
    "unschedule": _view(
        "unschedule",
        NoticeVersionSerializer,
        lambda u, n, v, d: services.unschedule_notice(actor=u, notice=n, version=v),
        "Take a scheduled notice back to draft.",
    ),
    "end": _view(
        "end",
        NoticeVersionSerializer,
        lambda u, n, v, d: services.end_notice(actor=u, notice=n, version=v),
        "End a published notice now.",
    ),
    "withdraw": _view(
        "withdraw",
        NoticeWithdrawSerializer,
        lambda u, n, v, d: services.withdraw_notice(actor=u, notice=n, version=v, reason=d["reason"]),
        "Withdraw a published or scheduled notice with a reason; undelivered messages are cancelled.",
    ),
}


class HouseholdTellView(NoticesAPIView):
    """已告知: mark a household of a current notice as told at the door (notices.tell)."""

    permission_classes = [HasAction("notices.tell")]

    @extend_schema(
        operation_id="notices_household_tell",
        request=None,
        responses={200: NoticeHouseholdSerializer, **problems(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        household = services.mark_told(actor=user, household=selectors.tellable_household(user, pk))
        return Response(NoticeHouseholdSerializer(household).data)

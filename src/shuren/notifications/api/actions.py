"""The signed-in user's WeChat link (/api/v1/notifications/wechat/link/): the mini program posts the
code of ``wx.login``; Shuren exchanges it with WeChat (code2session) for the user's openid and keeps
it, so that subscribe messages reach them. DELETE unlinks; GET says whether WeChat is linked."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.accounts.acting import acting_user
from shuren.core.errors import PROBLEM_CONTENT_TYPE, problem_body

from .. import services, wechat
from ..models import WeChatLink
from .serializers import WeChatLinkRequestSerializer, WeChatLinkSerializer


def problem(status_code: int, title: str, code: str) -> Response:
    """An RFC 9457 problem, as every API error answers (the app sits beneath ``shuren.api``)."""
    return Response(problem_body(status_code, title, code), status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def _state(link: WeChatLink | None) -> Response:
    data = {
        "linked": link is not None,
        "openid_masked": wechat.mask_openid(link.openid) if link is not None else "",
        "linked_at": link.linked_at if link is not None else None,
    }
    return Response(WeChatLinkSerializer(data).data)


class WeChatLinkView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WeChatLinkSerializer)
    def get(self, request: Request) -> Response:
        return _state(WeChatLink.objects.filter(user=acting_user(request)).first())

    @extend_schema(request=WeChatLinkRequestSerializer, responses=WeChatLinkSerializer)
    def post(self, request: Request) -> Response:
        """Link WeChat: 400 ``wechat-code-refused`` when WeChat refuses the code (wrong, used or
        older than five minutes), 503 ``wechat-unavailable`` when WeChat cannot be reached, 404
        ``wechat-not-configured`` on a site without a mini program."""
        body = WeChatLinkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not wechat.configured():
            return problem(404, _("WeChat is not set up on this site."), "wechat-not-configured")
        try:
            link = services.link_wechat(actor=acting_user(request), js_code=body.validated_data["js_code"])
        except wechat.WechatError as error:
            if error.retryable:
                return problem(503, _("WeChat cannot be reached; try again later."), "wechat-unavailable")
            return problem(400, _("WeChat refused the login code; log in again."), "wechat-code-refused")
        response = _state(link)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        services.unlink_wechat(actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

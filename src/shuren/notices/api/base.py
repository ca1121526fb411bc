"""What the notices API's views share: a notice as the caller may see it, with its ETag."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.core.concurrency import etag_for

from .. import workflow
from ..models import Notice
from .serializers import NoticeDetailSerializer

STAFF = ("notices.view", "notices.write")
READERS = (*STAFF, "portal.use")


def notice_response(user: Any, notice: Notice, *, status_code: int = status.HTTP_200_OK) -> Response:
    notice.refresh_from_db()
    data = NoticeDetailSerializer(notice, context={"actions": workflow.allowed_actions(notice, actor=user)}).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(notice)
    return response


class NoticesAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""

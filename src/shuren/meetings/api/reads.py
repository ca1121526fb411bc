"""Meetings API: the list (and scheduling), one meeting."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import ActionByMethod

from .. import services
from ..selectors import filter_meetings, listed_meetings, openable_meeting, visible_meetings
from .base import VIEW_OR_MANAGE, MeetingAPIView
from .serializers import MeetingDetailSerializer, MeetingSerializer, ScheduleSerializer, meeting_response


class MeetingListView(MeetingAPIView):
    permission_classes = [VIEW_OR_MANAGE]

    @extend_schema(operation_id="meetings_list", responses={200: paginated(MeetingSerializer)})
    def get(self, request: Request) -> Response:
        meetings = filter_meetings(
            listed_meetings(visible_meetings(acting_user(request))).order_by("-starts_at"),
            kind=request.query_params.get("kind") or "",
            status=request.query_params.get("status") or "",
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(meetings, request, view=self)
        return paginator.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        operation_id="meetings_schedule", request=ScheduleSerializer, responses={201: MeetingDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        meeting = services.schedule_meeting(actor=acting_user(request), **self.body(request, ScheduleSerializer))
        return meeting_response(meeting, status.HTTP_201_CREATED)


class MeetingDetailView(MeetingAPIView):
    permission_classes = [ActionByMethod({"GET": "meetings.view"})]

    @extend_schema(operation_id="meetings_detail", responses={200: MeetingDetailSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return meeting_response(openable_meeting(acting_user(request), pk))

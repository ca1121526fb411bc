"""Meetings API: what is recorded on a meeting: its steps, invitations, sign-in (by staff or by QR
token), agenda, minutes, resolutions, action items and their progress, publication."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.errors import NotPermitted, OutOfScope

from .. import services
from ..models import AgendaItem, Resolution
from ..selectors import (
    buildings_named,
    estates_named,
    invitation_of,
    may_update,
    openable_action_item,
    owner_organizations,
    owner_users,
    reachable_organizations,
    reachable_people,
    reachable_users,
)
from .base import MANAGE, MeetingAPIView, _missing, _pick, _within
from .serializers import (
    ActionItemInputSerializer,
    ActionItemSerializer,
    ActionUpdateSerializer,
    AgendaInputSerializer,
    AgendaItemSerializer,
    AttendanceInputSerializer,
    AttendanceSerializer,
    CheckInSerializer,
    InviteSerializer,
    MeetingDetailSerializer,
    MeetingPublishSerializer,
    MinutesInputSerializer,
    ResolutionInputSerializer,
    ResolutionSerializer,
    StepSerializer,
    meeting_response,
)


class MeetingStepView(MeetingAPIView):
    """Open or close sign-in, end or cancel the meeting (If-Match or ``version``)."""

    permission_classes = [MANAGE]

    @extend_schema(operation_id="meetings_step", request=StepSerializer, responses={200: MeetingDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.managed(request, pk)
        data = self.body(request, StepSerializer)
        version = expected_version(meeting, if_match=request.headers.get("If-Match"), body_version=data.get("version"))
        action = data["action"]
        if action in ("open_checkin", "close_checkin"):
            meeting = services.set_checkin(
                actor=acting_user(request), meeting=meeting, version=version, open=action == "open_checkin"
            )
        elif action == "end":
            meeting = services.end_meeting(actor=acting_user(request), meeting=meeting, version=version)
        else:
            meeting = services.cancel_meeting(
                actor=acting_user(request), meeting=meeting, version=version, reason=data["reason"]
            )
        return meeting_response(meeting)


class InvitationsView(MeetingAPIView):
    permission_classes = [MANAGE]

    @extend_schema(operation_id="meetings_invite", request=InviteSerializer, responses={200: MeetingDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.managed(request, pk)
        data = self.body(request, InviteSerializer)
        if data["by"] == "role":
            services.invite_by_role(
                actor=acting_user(request), meeting=meeting, role=data.get("role", ""), is_voting=data["is_voting"]
            )
        elif data["by"] == "organization":
            services.invite_organization(
                actor=acting_user(request),
                meeting=meeting,
                organization=_within(reachable_organizations(acting_user(request), meeting), data.get("organization"))
                or _missing("organization"),
                itself=data["itself"],
                members=data["members"],
                is_voting=data["is_voting"],
            )
        else:
            services.invite_person(
                actor=acting_user(request),
                meeting=meeting,
                person=_within(reachable_people(acting_user(request), meeting), data.get("person")),
                user=_within(reachable_users(acting_user(request), meeting), data.get("user")),
                invited_as=data["invited_as"],
                is_voting=data["is_voting"],
            )
        return meeting_response(meeting)


class AttendanceView(MeetingAPIView):
    """Staff sign in an invitee (``invitation``) or a walk-in (``name``)."""

    permission_classes = [MANAGE]

    @extend_schema(
        operation_id="meetings_sign_in", request=AttendanceInputSerializer, responses={201: AttendanceSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.managed(request, pk)
        data = self.body(request, AttendanceInputSerializer)
        if data.get("invitation"):
            invitation = invitation_of(meeting, data["invitation"])
            attendance = services.sign_in_invitee(actor=acting_user(request), invitation=invitation)
        else:
            attendance = services.sign_in_walk_in(
                actor=acting_user(request),
                meeting=meeting,
                name=data.get("name", ""),
                representing=data["representing"],
            )
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class CheckInView(MeetingAPIView):
    """The signed-in caller checks in with the token of the meeting's QR code."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="meetings_check_in", request=CheckInSerializer, responses={200: AttendanceSerializer})
    def post(self, request: Request) -> Response:
        data = self.body(request, CheckInSerializer)
        attendance, created = services.check_in_with_token(actor=acting_user(request), token=data["token"])
        return Response(
            AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class AgendaView(MeetingAPIView):
    permission_classes = [MANAGE]

    @extend_schema(
        operation_id="meetings_agenda_add", request=AgendaInputSerializer, responses={201: AgendaItemSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        from shuren.appeals.models import Appeal
        from shuren.conventions.models import ConventionVersion
        from shuren.governance.models import GovernanceItem
        from shuren.proposals.models import Proposal

        meeting = self.managed(request, pk)
        data = self.body(request, AgendaInputSerializer)
        item = services.add_agenda_item(
            actor=acting_user(request),
            meeting=meeting,
            kind=data["kind"],
            title=data["title"],
            notes=data["notes"],
            presenter=data["presenter"],
            appeal=_pick(Appeal, data.get("appeal")),
            governance_item=_pick(GovernanceItem, data.get("governance_item")),
            proposal=_pick(Proposal, data.get("proposal")),
            convention_version=_pick(ConventionVersion, data.get("convention_version")),
        )
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


class MinutesView(MeetingAPIView):
    permission_classes = [MANAGE]

    @extend_schema(
        operation_id="meetings_minutes", request=MinutesInputSerializer, responses={200: MeetingDetailSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.managed(request, pk)
        data = self.body(request, MinutesInputSerializer)
        services.save_minutes(
            actor=acting_user(request), meeting=meeting, text=data["text"], version=data.get("version")
        )
        return meeting_response(meeting)


class ResolutionsView(MeetingAPIView):
    permission_classes = [MANAGE]

    @extend_schema(
        operation_id="meetings_resolution", request=ResolutionInputSerializer, responses={201: ResolutionSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        from shuren.conventions.models import ConventionVersion

        meeting = self.managed(request, pk)
        data = self.body(request, ResolutionInputSerializer)
        resolution = services.record_resolution(
            actor=acting_user(request),
            meeting=meeting,
            text=data["text"],
            vote_mode=data["vote_mode"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstain=data["votes_abstain"],
            named_votes=data.get("named_votes") or {},
            agenda_item=_pick(AgendaItem, data.get("agenda_item"), meeting.agenda_items.all()),
            convention_version=_pick(ConventionVersion, data.get("convention_version")),
        )
        return Response(ResolutionSerializer(resolution).data, status=status.HTTP_201_CREATED)


class ActionItemsView(MeetingAPIView):
    permission_classes = [MANAGE]

    @extend_schema(
        operation_id="meetings_action_add", request=ActionItemInputSerializer, responses={201: ActionItemSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.managed(request, pk)
        data = self.body(request, ActionItemInputSerializer)
        item = services.add_action_item(
            actor=acting_user(request),
            meeting=meeting,
            title=data["title"],
            due_on=data["due_on"],
            owner_user=_within(owner_users(acting_user(request), meeting), data.get("owner_user")),
            owner_organization=_within(
                owner_organizations(acting_user(request), meeting), data.get("owner_organization")
            ),
            owner_name=data["owner_name"],
            resolution=_pick(Resolution, data.get("resolution"), meeting.resolutions.all()),
        )
        response = Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(item)
        return response


class ActionItemUpdateView(MeetingAPIView):
    """The owner or the meeting's staff report progress (done = 100 %). If-Match or ``version``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="meetings_action_update", request=ActionUpdateSerializer, responses={200: ActionItemSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        item = openable_action_item(acting_user(request), pk)
        if not may_update(acting_user(request), item):
            raise NotPermitted()  # seen by staff who only view; only the owner or the meeting's staff update
        data = self.body(request, ActionUpdateSerializer)
        version = expected_version(
            item, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        item = services.update_action_item(actor=acting_user(request), item=item, version=version, **data)
        response = Response(ActionItemSerializer(item).data)
        response["ETag"] = etag_for(item)
        return response


class PublishView(MeetingAPIView):
    permission_classes = [MANAGE]

    @extend_schema(
        operation_id="meetings_publish", request=MeetingPublishSerializer, responses={200: MeetingDetailSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.managed(request, pk)
        data = self.body(request, MeetingPublishSerializer)
        version = expected_version(meeting, if_match=request.headers.get("If-Match"), body_version=data.get("version"))
        estates = estates_named(data["estates"])
        buildings = buildings_named(data["buildings"])
        if len(estates) != len(set(data["estates"])) or len(buildings) != len(set(data["buildings"])):
            raise OutOfScope()
        meeting = services.publish_meeting(
            actor=acting_user(request), meeting=meeting, version=version, estates=estates, buildings=buildings
        )
        return meeting_response(meeting)

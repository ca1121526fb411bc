"""REST API of meetings (/api/v1/meetings/): meetings (list, detail, schedule), the meeting's steps,
invitations, sign-in (by QR token or by staff), agenda, minutes, resolutions with their votes and
arithmetic, action items and their progress, publication. Every write goes through ``services``;
errors are problem+json; versioned rows take If-Match or ``version``; POSTs accept Idempotency-Key."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuren.accounts.models import User
from shuren.api.pagination import PageNumberPagination
from shuren.api.permissions import ActionByMethod
from shuren.api.serializers import StrictSerializer
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.orgs.models import Organization
from shuren.people.models import Person
from shuren.places.models import Area, Building, Estate, Unit

from . import services
from .models import (
    ActionItem,
    AgendaItem,
    AgendaKind,
    Attendance,
    Choice,
    Invitation,
    Meeting,
    MeetingKind,
    Minutes,
    Resolution,
    VoteMode,
)
from .rules import explain
from .selectors import listed_meetings, openable_action_item, openable_meeting, visible_meetings

VIEW_OR_MANAGE = ActionByMethod({"GET": "meetings.view", "POST": "meetings.manage"})
MANAGE = ActionByMethod({"GET": "meetings.manage", "POST": "meetings.manage"})

# --- output ---------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_label", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "location",
            "status",
            "checkin_open",
            "area",
            "estate",
            "building",
            "unit",
            "place",
            "scope",
            "cancelled_reason",
            "published_at",
            "version",
        ]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "person", "user", "organization", "invited_as", "status", "is_voting", "replied_at"]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "invitation", "name", "representing", "is_voting", "method", "checked_in_at"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "position",
            "kind",
            "title",
            "notes",
            "presenter",
            "appeal",
            "governance_item",
            "proposal",
            "convention_version",
            "outcome",
        ]
        read_only_fields = fields


class ResolutionSerializer(serializers.ModelSerializer):
    named_votes = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "id",
            "agenda_item",
            "text",
            "vote_mode",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "voting_members_present",
            "voting_members_invited",
            "quorum_met",
            "carried",
            "arithmetic",
            "explanation",
            "convention_version",
            "named_votes",
            "created_at",
        ]
        read_only_fields = fields

    def get_named_votes(self, obj: Resolution) -> list[dict[str, Any]]:
        return [
            {"attendance": v.attendance_id, "name": v.attendance.name, "choice": v.choice}
            for v in obj.named_votes.select_related("attendance")
        ]

    def get_explanation(self, obj: Resolution) -> list[str]:
        return [str(line) for line in explain(obj.arithmetic)]


class ActionItemSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "resolution",
            "title",
            "owner_user",
            "owner_organization",
            "owner_name",
            "owner",
            "due_on",
            "status",
            "progress",
            "done_at",
            "version",
        ]
        read_only_fields = fields

    def get_owner(self, obj: ActionItem) -> str:
        return services.owner_label(obj)


class MeetingDetailSerializer(MeetingSerializer):
    invitations = InvitationSerializer(many=True, read_only=True)
    attendances = AttendanceSerializer(many=True, read_only=True)
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    minutes = serializers.SerializerMethodField()
    resolutions = ResolutionSerializer(many=True, read_only=True)
    action_items = ActionItemSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "invitations",
            "attendances",
            "agenda_items",
            "minutes",
            "resolutions",
            "action_items",
        ]
        read_only_fields = fields

    def get_minutes(self, obj: Meeting) -> dict[str, Any] | None:
        minutes = Minutes.objects.filter(meeting=obj).first()
        if minutes is None:
            return None
        return {"text": minutes.text, "version": minutes.version, "updated_at": minutes.updated_at}


def meeting_response(meeting: Meeting, status_code: int = status.HTTP_200_OK) -> Response:
    meeting = Meeting.objects.get(pk=meeting.pk)
    response = Response(MeetingDetailSerializer(meeting).data, status=status_code)
    response["ETag"] = etag_for(meeting)
    return response


# --- input ----------------------------------------------------------------------------------------


class ScheduleSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=120)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)
    estate = serializers.PrimaryKeyRelatedField(queryset=Estate.objects.all(), required=False, allow_null=True)
    building = serializers.PrimaryKeyRelatedField(queryset=Building.objects.all(), required=False, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)


class StepSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=["open_checkin", "close_checkin", "end", "cancel"])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class InviteSerializer(StrictSerializer):
    by = serializers.ChoiceField(choices=["role", "organization", "person"])
    role = serializers.CharField(max_length=30, required=False)
    organization = serializers.IntegerField(required=False)
    itself = serializers.BooleanField(required=False, default=True)
    members = serializers.BooleanField(required=False, default=False)
    person = serializers.IntegerField(required=False)
    user = serializers.IntegerField(required=False)
    invited_as = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    is_voting = serializers.BooleanField(required=False, default=True)


class AttendanceInputSerializer(StrictSerializer):
    invitation = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=50, required=False)
    representing = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class CheckInSerializer(StrictSerializer):
    token = serializers.CharField(max_length=60)


class AgendaInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=AgendaKind.choices, default=AgendaKind.DISCUSSION)
    title = serializers.CharField(max_length=150)
    notes = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    presenter = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    appeal = serializers.IntegerField(required=False)
    governance_item = serializers.IntegerField(required=False)
    proposal = serializers.IntegerField(required=False)
    convention_version = serializers.IntegerField(required=False)


class MinutesInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=50000)
    version = serializers.IntegerField(required=False, help_text="The minutes' version you read (to change them).")


class ResolutionInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=3000)
    vote_mode = serializers.ChoiceField(choices=VoteMode.choices, default=VoteMode.COUNTS)
    votes_for = serializers.IntegerField(min_value=0, default=0)
    votes_against = serializers.IntegerField(min_value=0, default=0)
    votes_abstain = serializers.IntegerField(min_value=0, default=0)
    named_votes = serializers.DictField(
        child=serializers.ChoiceField(choices=Choice.choices), required=False, help_text="attendance id -> choice"
    )
    agenda_item = serializers.IntegerField(required=False)
    convention_version = serializers.IntegerField(required=False)


class ActionItemInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=150)
    due_on = serializers.DateField()
    owner_user = serializers.IntegerField(required=False)
    owner_organization = serializers.IntegerField(required=False)
    owner_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    resolution = serializers.IntegerField(required=False)


class ActionUpdateSerializer(StrictSerializer):
    text = serializers.CharField(max_length=2000)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    status = serializers.CharField(max_length=12, required=False)
    version = serializers.IntegerField(required=False)


class MeetingPublishSerializer(StrictSerializer):
    estates = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    buildings = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    version = serializers.IntegerField(required=False)


# --- views ----------------------------------------------------------------------------------------


class MeetingAPIView(APIView):
    """Maps the services' Django ValidationErrors to 400 problems naming the fields."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            if hasattr(exc, "error_dict"):
                errors = {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
            else:
                errors = {"non_field_errors": exc.messages}
            exc = serializers.ValidationError(errors)
        return super().handle_exception(exc)

    def body(self, request: Request, serializer: type[serializers.Serializer]) -> dict[str, Any]:
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def managed(self, request: Request, pk: int) -> Meeting:
        return openable_meeting(request.user, pk)


def _pick(model: Any, pk: Any, queryset: Any = None) -> Any:
    if pk is None:
        return None
    obj = (queryset if queryset is not None else model.objects).filter(pk=pk).first()
    if obj is None:
        raise DjangoValidationError({model._meta.model_name: ["No such object."]})
    return obj


class MeetingListView(MeetingAPIView):
    permission_classes = [VIEW_OR_MANAGE]

    @extend_schema(operation_id="meetings_list", responses={200: MeetingSerializer(many=True)})
    def get(self, request: Request) -> Response:
        meetings = listed_meetings(visible_meetings(request.user)).order_by("-starts_at")
        for name in ("kind", "status"):
            if request.query_params.get(name):
                meetings = meetings.filter(**{name: request.query_params[name]})
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(meetings, request, view=self)
        return paginator.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        operation_id="meetings_schedule", request=ScheduleSerializer, responses={201: MeetingDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        meeting = services.schedule_meeting(actor=request.user, **self.body(request, ScheduleSerializer))
        return meeting_response(meeting, status.HTTP_201_CREATED)


class MeetingDetailView(MeetingAPIView):
    permission_classes = [ActionByMethod({"GET": "meetings.view"})]

    @extend_schema(operation_id="meetings_detail", responses={200: MeetingDetailSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return meeting_response(openable_meeting(request.user, pk))


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
                actor=request.user, meeting=meeting, version=version, open=action == "open_checkin"
            )
        elif action == "end":
            meeting = services.end_meeting(actor=request.user, meeting=meeting, version=version)
        else:
            meeting = services.cancel_meeting(
                actor=request.user, meeting=meeting, version=version, reason=data["reason"]
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
                actor=request.user, meeting=meeting, role=data.get("role", ""), is_voting=data["is_voting"]
            )
        elif data["by"] == "organization":
            services.invite_organization(
                actor=request.user,
                meeting=meeting,
                organization=_pick(Organization, data.get("organization")) or _missing("organization"),
                itself=data["itself"],
                members=data["members"],
                is_voting=data["is_voting"],
            )
        else:
            services.invite_person(
                actor=request.user,
                meeting=meeting,
                person=_pick(Person, data.get("person")),
                user=_pick(User, data.get("user")),
                invited_as=data["invited_as"],
                is_voting=data["is_voting"],
            )
        return meeting_response(meeting)


def _missing(field: str) -> Any:
    raise DjangoValidationError({field: ["This field is required."]})


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
            invitation = get_object_or_404(Invitation, pk=data["invitation"], meeting=meeting)
            attendance = services.sign_in_invitee(actor=request.user, invitation=invitation)
        else:
            attendance = services.sign_in_walk_in(
                actor=request.user, meeting=meeting, name=data.get("name", ""), representing=data["representing"]
            )
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class CheckInView(MeetingAPIView):
    """The signed-in caller checks in with the token of the meeting's QR code."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="meetings_check_in", request=CheckInSerializer, responses={200: AttendanceSerializer})
    def post(self, request: Request) -> Response:
        data = self.body(request, CheckInSerializer)
        attendance, created = services.check_in_with_token(user=request.user, token=data["token"])
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
            actor=request.user,
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
        services.save_minutes(actor=request.user, meeting=meeting, text=data["text"], version=data.get("version"))
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
            actor=request.user,
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
            actor=request.user,
            meeting=meeting,
            title=data["title"],
            due_on=data["due_on"],
            owner_user=_pick(User, data.get("owner_user")),
            owner_organization=_pick(Organization, data.get("owner_organization")),
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
        item = openable_action_item(request.user, pk)
        if not services.may_update(request.user, item):
            raise NotPermitted()  # seen by staff who only view; only the owner or the meeting's staff update
        data = self.body(request, ActionUpdateSerializer)
        version = expected_version(
            item, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        item = services.update_action_item(actor=request.user, item=item, version=version, **data)
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
        estates = list(Estate.objects.filter(pk__in=data["estates"]))
        buildings = list(Building.objects.filter(pk__in=data["buildings"]))
        if len(estates) != len(set(data["estates"])) or len(buildings) != len(set(data["buildings"])):
            raise OutOfScope()
        meeting = services.publish_meeting(
            actor=request.user, meeting=meeting, version=version, estates=estates, buildings=buildings
        )
        return meeting_response(meeting)

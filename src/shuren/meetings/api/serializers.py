"""Serializers of the meetings API: what it returns (meetings with everything recorded about them)
and what it accepts."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, status
from rest_framework.response import Response

from shuren.api.serializers import StrictSerializer
from shuren.core.concurrency import etag_for
from shuren.places.models import Area, Building, Estate, Unit

from ..models import (
    ActionItem,
    AgendaItem,
    AgendaKind,
    Attendance,
    Choice,
    Invitation,
    Meeting,
    MeetingKind,
    Resolution,
    VoteMode,
)
from ..rules import explain
from ..selectors import minutes_of, owner_label

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
        return owner_label(obj)


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
        minutes = minutes_of(obj)
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

"""Serializers of the volunteering API: strict input for each action; output that shows each caller
what their part allows (the check-in token only to organisers, other volunteers' names only to staff).
Component names carry the ``Volunteering`` prefix (drf-spectacular needs them unique across apps)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuren.api.serializers import StrictSerializer

from ..models import Availability, ProfileStatus
from ..services import current_teams, hours_in_year, hours_overall, proposed_minutes, to_hours

VERSION_HELP = "The version you read (or send If-Match with the ETag instead)."

# --- input ----------------------------------------------------------------------------------------


class VolunteeringActivityCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    location = serializers.CharField(max_length=120, help_text="Where volunteers meet.")
    area = serializers.IntegerField(required=False, min_value=1, help_text="A community or a grid.")
    estate = serializers.IntegerField(required=False, min_value=1)
    building = serializers.IntegerField(required=False, min_value=1)
    unit = serializers.IntegerField(required=False, min_value=1)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    signup_closes_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty: sign-up closes at the start."
    )
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    skills = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, default=list, help_text="Skill codes."
    )
    points_per_hour = serializers.IntegerField(
        required=False, min_value=0, max_value=1000, default=0, help_text="0: the community's points rule."
    )
    team = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    approved_volunteers_only = serializers.BooleanField(required=False, default=True)
    publish = serializers.BooleanField(required=False, default=False, help_text="Publish at once (else a draft).")


class VolunteeringVersionSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class VolunteeringReasonSerializer(VolunteeringVersionSerializer):
    reason = serializers.CharField(max_length=200)


class VolunteeringEmptySerializer(StrictSerializer):
    pass


class VolunteeringTokenSerializer(StrictSerializer):
    token = serializers.CharField(max_length=64, help_text="The token of the activity's QR code.")


class VolunteeringConfirmSerializer(StrictSerializer):
    minutes = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=1440, help_text="Empty: the proposal."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class VolunteeringCorrectSerializer(StrictSerializer):
    minutes = serializers.IntegerField(min_value=-1440, max_value=1440, help_text="The signed difference.")
    reason = serializers.CharField(max_length=200)


class VolunteeringDoorSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1)
    check_in_now = serializers.BooleanField(required=False, default=True)


class VolunteeringRegisterSerializer(StrictSerializer):
    skills = serializers.ListField(child=serializers.SlugField(max_length=40), required=False, default=list)
    availability = serializers.ListField(
        child=serializers.ChoiceField(choices=Availability.choices), required=False, default=list
    )
    introduction = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    teams = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class VolunteeringDecisionSerializer(VolunteeringVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class VolunteeringActivityFilterSerializer(StrictSerializer):
    status = serializers.CharField(required=False, max_length=10)
    when = serializers.ChoiceField(choices=["upcoming", "past"], required=False)
    team = serializers.IntegerField(required=False, min_value=1)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class VolunteeringRecordFilterSerializer(StrictSerializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    person = serializers.IntegerField(required=False, min_value=1)
    activity = serializers.IntegerField(required=False, min_value=1)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class VolunteeringProfileFilterSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=ProfileStatus.choices, required=False)
    q = serializers.CharField(required=False, max_length=50)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class VolunteeringProgressQuerySerializer(StrictSerializer):
    community = serializers.IntegerField(required=False, min_value=1)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    behind = serializers.BooleanField(required=False, default=False)


# --- output ---------------------------------------------------------------------------------------


class VolunteeringActivitySerializer(serializers.Serializer):
    """One activity (``context``: manage: bool, mine: {activity id: sign-up})."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    location = serializers.CharField()
    place = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    signup_closes_at = serializers.DateTimeField(allow_null=True)
    capacity = serializers.IntegerField()
    confirmed = serializers.IntegerField(source="confirmed_count")
    waitlisted = serializers.IntegerField(source="waitlisted_count")
    places_left = serializers.SerializerMethodField()
    skills_wanted = serializers.SerializerMethodField()
    points_per_hour = serializers.IntegerField(help_text="0: the community's points rule.")
    approved_volunteers_only = serializers.BooleanField()
    cancelled_reason = serializers.CharField()
    my_signup = serializers.SerializerMethodField()
    checkin_token = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_place(self, a: Any) -> dict[str, Any]:
        return {
            "area": a.area_id,
            "estate": a.estate_id,
            "building": a.building_id,
            "unit": a.unit_id,
            "label": a.place_label,
        }

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_team(self, a: Any) -> dict[str, Any] | None:
        return {"id": a.team_id, "name": a.team.name} if a.team_id else None

    def get_places_left(self, a: Any) -> int:
        return max(0, a.capacity - a.confirmed_count)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills_wanted(self, a: Any) -> list[str]:
        return [s.code for s in a.skills_wanted.all()]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_my_signup(self, a: Any) -> dict[str, Any] | None:
        signup = (self.context.get("mine") or {}).get(a.pk)
        return {"id": signup.pk, "status": signup.status} if signup else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_checkin_token(self, a: Any) -> str | None:
        manage = self.context.get("manage")
        allowed = manage(a) if callable(manage) else bool(manage)
        return a.checkin_token if allowed else None


class VolunteeringCheckInSerializer(serializers.Serializer):
    checked_in_at = serializers.DateTimeField()
    checked_in_by = serializers.CharField()
    checked_out_at = serializers.DateTimeField(allow_null=True)
    checked_out_by = serializers.CharField()


class VolunteeringRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name")
    activity = serializers.IntegerField(source="activity_id", allow_null=True)
    signup = serializers.IntegerField(source="signup_id", allow_null=True)
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    served_on = serializers.DateField()
    minutes = serializers.IntegerField(help_text="For a correction: the signed difference.")
    proposed_minutes = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()
    reason = serializers.CharField()
    confirmed_at = serializers.DateTimeField()


_DATE, _DATETIME = serializers.DateField(), serializers.DateTimeField()  # DRF's own formatting


def record_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``VolunteeringRecordSerializer``'s output for rows read as values (selectors.record_rows_of),
    without DRF's per-field machinery. The tests hold the two equal."""
    return [
        {
            "id": row["id"],
            "person": row["person_id"],
            "person_name": row["person__name"],
            "activity": row["activity_id"],
            "signup": row["signup_id"],
            "corrects": row["corrects_id"],
            "served_on": _DATE.to_representation(row["served_on"]),
            "minutes": row["minutes"],
            "proposed_minutes": row["proposed_minutes"],
            "description": row["description"],
            "reason": row["reason"],
            "confirmed_at": _DATETIME.to_representation(row["confirmed_at"]),
        }
        for row in rows
    ]


class VolunteeringSignUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.IntegerField(source="activity_id")
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name")
    status = serializers.CharField()
    queued_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    at_the_door = serializers.SerializerMethodField()
    checkin = serializers.SerializerMethodField()
    proposed_minutes = serializers.SerializerMethodField()
    record = serializers.SerializerMethodField()

    def get_at_the_door(self, s: Any) -> bool:
        return s.recorded_by_id is not None

    @extend_schema_field(VolunteeringCheckInSerializer(allow_null=True))
    def get_checkin(self, s: Any) -> dict[str, Any] | None:
        checkin = getattr(s, "checkin", None) if hasattr(s, "checkin") else None
        return VolunteeringCheckInSerializer(checkin).data if checkin else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_proposed_minutes(self, s: Any) -> int | None:
        return proposed_minutes(s) if hasattr(s, "checkin") else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_record(self, s: Any) -> dict[str, Any] | None:
        records = list(s.records.all())
        original = next((r for r in records if r.corrects_id is None), None)
        if original is None:
            return None
        return {"id": original.pk, "minutes": original.minutes, "total_minutes": sum(r.minutes for r in records)}


class VolunteeringScanSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["checked_in", "checked_out", "already_in", "already_out"])
    signup = VolunteeringSignUpSerializer()


class VolunteeringProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    community = serializers.IntegerField(source="community_id")
    status = serializers.CharField()
    skills = serializers.SerializerMethodField()
    availability = serializers.ListField(child=serializers.CharField())
    introduction = serializers.CharField()
    teams = serializers.SerializerMethodField()
    applied_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    hours_this_year = serializers.SerializerMethodField()
    hours_overall = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills(self, p: Any) -> list[str]:
        return [s.code for s in p.skills.all()]

    # A list passes its page's teams in ``context["teams"]`` (services.current_teams_of) and
    # annotates the minutes (selectors.with_hours): no query a row. One profile reads its own.

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_teams(self, p: Any) -> list[dict[str, Any]]:
        teams = self.context.get("teams")
        memberships = teams.get(p.person_id, []) if teams is not None else current_teams(p.person)
        return [{"id": m.organization_id, "name": m.organization.name, "role": m.role} for m in memberships]

    @extend_schema_field(OpenApiTypes.NUMBER)
    def get_hours_this_year(self, p: Any) -> float:
        if "minutes_year" in vars(p):
            return float(to_hours(vars(p)["minutes_year"]))
        return float(hours_in_year(p.person, timezone.localdate().year))

    @extend_schema_field(OpenApiTypes.NUMBER)
    def get_hours_overall(self, p: Any) -> float:
        if "minutes_total" in vars(p):
            return float(to_hours(vars(p)["minutes_total"]))
        return float(hours_overall(p.person))


class VolunteeringProgressRowSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    party_status = serializers.CharField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    target = serializers.IntegerField()
    percent = serializers.IntegerField()
    expected = serializers.DecimalField(max_digits=8, decimal_places=1, help_text="Hours due by now (pro rata).")
    is_behind = serializers.BooleanField()


class VolunteeringProgressSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    year = serializers.IntegerField()
    target = serializers.IntegerField()
    rows = VolunteeringProgressRowSerializer(many=True)

"""The reads of the volunteering API: activities (and creating one), an activity's sign-ups, service
records, volunteer profiles (and registering), the party members' progress."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import ETAG, IDEMPOTENCY_KEY_REQUIRED, problems
from shuren.api.permissions import AnyActionByMethod
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import has_action
from shuren.places.models import Area, Building, Estate, Unit

from .. import selectors, services
from ..models import Activity
from .base import (
    MANAGE,
    READERS,
    STAFF,
    VolunteeringAPIView,
    VolunteeringPagination,
    activities_data,
    activity_for,
    activity_response,
    is_staff,
    profile_response,
    skills_of,
)
from .serializers import (
    VolunteeringActivityCreateSerializer,
    VolunteeringActivityFilterSerializer,
    VolunteeringActivitySerializer,
    VolunteeringProfileFilterSerializer,
    VolunteeringProfileSerializer,
    VolunteeringProgressQuerySerializer,
    VolunteeringProgressSerializer,
    VolunteeringRecordFilterSerializer,
    VolunteeringRecordSerializer,
    VolunteeringRegisterSerializer,
    VolunteeringSignUpSerializer,
    record_items,
)


def _place(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = selectors.place(model, pk)
    if obj is None:
        raise serializers.ValidationError({field: [_("No such place.")]})
    return obj


class ActivityListView(VolunteeringAPIView, generics.GenericAPIView):
    """GET: staff see the activities of their areas (newest first); volunteers the upcoming published
    activities of their community (soonest first). POST: create an activity (volunteering.manage)."""

    permission_classes = [AnyActionByMethod({"GET": READERS, "POST": MANAGE})]
    pagination_class = VolunteeringPagination
    serializer_class = VolunteeringActivitySerializer
    idempotency_required = True

    def get_queryset(self) -> QuerySet[Activity]:
        user = self.request.user
        query = VolunteeringActivityFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        if is_staff(user):
            activities = selectors.listed_activities(selectors.visible_activities(user)).order_by("-starts_at", "-pk")
        else:
            activities = selectors.upcoming_for_volunteer(user)
        return selectors.filter_activities(activities, status=f.get("status"), team=f.get("team"), when=f.get("when"))

    @extend_schema(
        operation_id="volunteering_activities_list",
        parameters=[VolunteeringActivityFilterSerializer],
        responses={200: VolunteeringActivitySerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(activities_data(request.user, list(page or [])))

    @extend_schema(
        operation_id="volunteering_activities_create",
        request=VolunteeringActivityCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: VolunteeringActivitySerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        body = VolunteeringActivityCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        places = {
            "area": _place(Area, data.pop("area", None), "area"),
            "estate": _place(Estate, data.pop("estate", None), "estate"),
            "building": _place(Building, data.pop("building", None), "building"),
            "unit": _place(Unit, data.pop("unit", None), "unit"),
        }
        team_id = data.pop("team", None)
        team = None
        if team_id is not None:
            team = selectors.visible_team(request.user, team_id)
            if team is None:
                raise serializers.ValidationError({"team": [_("No such volunteer team in your areas.")]})
        skills = skills_of(data.pop("skills"))
        activity = services.create_activity(actor=acting_user(request), team=team, skills=skills, **places, **data)
        response = activity_response(request.user, activity, status_code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{activity.pk}/")
        return response


class ActivityDetailView(VolunteeringAPIView):
    """GET: one activity; organisers also get the check-in token of its QR code."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]

    @extend_schema(
        operation_id="volunteering_activities_retrieve",
        responses={200: VolunteeringActivitySerializer, **problems(401, 403, 404)},
        parameters=[ETAG],
    )
    def get(self, request: Request, pk: int) -> Response:
        return activity_response(request.user, activity_for(request.user, pk))


class ActivitySignUpListView(VolunteeringAPIView):
    """GET: the activity's sign-ups with check-ins, proposed minutes and confirmed records (staff)."""

    permission_classes = [AnyActionByMethod({"GET": STAFF})]

    @extend_schema(
        operation_id="volunteering_activities_signups",
        responses={200: VolunteeringSignUpSerializer(many=True), **problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        activity = selectors.staff_activity(request.user, pk)
        return Response(VolunteeringSignUpSerializer(selectors.signups_of(activity), many=True).data)


class RecordListView(VolunteeringAPIView, generics.GenericAPIView):
    """GET: service records — staff: of their areas; volunteers: their own."""

    permission_classes = [AnyActionByMethod({"GET": READERS})]
    pagination_class = VolunteeringPagination
    serializer_class = VolunteeringRecordSerializer

    @extend_schema(
        operation_id="volunteering_records_list",
        parameters=[VolunteeringRecordFilterSerializer],
        responses={200: VolunteeringRecordSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = VolunteeringRecordFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        user = acting_user(request)
        records = selectors.visible_records(user) if is_staff(user) else selectors.own_records(user)
        records = selectors.filter_records(
            records, year=f.get("year"), person=f.get("person"), activity=f.get("activity")
        )
        # The page's ids on the records table alone, then its rows as values (record_items).
        ids = self.paginate_queryset(records.order_by("-served_on", "-pk").values_list("pk", flat=True))
        return self.get_paginated_response(record_items(selectors.record_rows_of(list(ids or ()))))


class ProfileMeView(VolunteeringAPIView):
    """GET: my volunteer profile (404 before registering). POST: register or update it."""

    permission_classes = [AnyActionByMethod({"GET": ("volunteering.volunteer",), "POST": ("volunteering.volunteer",)})]
    idempotency_required = True

    @extend_schema(
        operation_id="volunteering_profile_me",
        responses={200: VolunteeringProfileSerializer, **problems(401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        person = services.person_of(request.user)
        profile = selectors.profile_of(person)
        if profile is None:
            raise OutOfScope(_("You have not registered as a volunteer."))
        return profile_response(profile)

    @extend_schema(
        operation_id="volunteering_profile_register",
        request=VolunteeringRegisterSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={200: VolunteeringProfileSerializer, 201: VolunteeringProfileSerializer, **problems(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = VolunteeringRegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = services.person_of(request.user)
        existed = selectors.profile_of(person) is not None
        teams: list[Any] = []
        if data["teams"] and person is not None:
            found = selectors.community_teams(person.community, data["teams"])
            if found is None:
                raise serializers.ValidationError({"teams": [_("Choose volunteer teams of your community.")]})
            teams = found
        profile = services.register_volunteer(
            actor=acting_user(request),
            skills=skills_of(data["skills"]),
            availability=data["availability"],
            introduction=data["introduction"],
            teams=teams,
        )
        return profile_response(profile, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class ProfileListView(VolunteeringAPIView, generics.GenericAPIView):
    """GET: volunteer registrations of the caller's areas (staff)."""

    permission_classes = [AnyActionByMethod({"GET": STAFF})]
    pagination_class = VolunteeringPagination
    serializer_class = VolunteeringProfileSerializer

    @extend_schema(
        operation_id="volunteering_profiles_list",
        parameters=[VolunteeringProfileFilterSerializer],
        responses={200: VolunteeringProfileSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = VolunteeringProfileFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        profiles = selectors.visible_profiles(request.user).prefetch_related("skills")
        profiles = selectors.filter_profiles(profiles, q=f.get("q"), status=f.get("status"))
        # The hours as annotations and the page's teams in one query: no query a row.
        profiles = selectors.with_hours(profiles, timezone.localdate().year)
        page = list(self.paginate_queryset(profiles.order_by("person__name_pinyin", "pk")) or ())
        teams = services.current_teams_of([profile.person_id for profile in page])
        data = VolunteeringProfileSerializer(page, many=True, context={"teams": teams}).data
        return self.get_paginated_response(data)


class ProfileDetailView(VolunteeringAPIView):
    permission_classes = [AnyActionByMethod({"GET": STAFF})]

    @extend_schema(
        operation_id="volunteering_profiles_retrieve",
        responses={200: VolunteeringProfileSerializer, **problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return profile_response(selectors.staff_profile(request.user, pk))


class PartyProgressView(VolunteeringAPIView):
    """GET: each party member of a community with hours this year (or ``year``) against the target;
    needs volunteering.view and people.view_affiliation."""

    permission_classes = [AnyActionByMethod({"GET": ("volunteering.view",)})]

    @extend_schema(
        operation_id="volunteering_party_progress",
        parameters=[VolunteeringProgressQuerySerializer],
        responses={200: VolunteeringProgressSerializer, **problems(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        if not has_action(user, "people.view_affiliation"):
            raise NotPermitted()
        query = VolunteeringProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        community = selectors.progress_community(user, f.get("community"))
        if community is None:
            raise OutOfScope()
        year = f.get("year") or timezone.localdate().year
        rows = selectors.party_progress(user, community, year, behind=bool(f.get("behind")))
        record_event(
            "volunteering.view_progress",
            request=request,
            detail={"community": community.path, "year": year, "rows": len(rows)},
        )
        return Response(
            VolunteeringProgressSerializer(
                {
                    "community": community.pk,
                    "year": year,
                    "target": services.policy_for(community).party_member_target_hours,
                    "rows": rows,
                }
            ).data
        )

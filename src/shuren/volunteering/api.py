"""REST API of volunteering (/api/v1/volunteering/): activities (list, one, create, publish, cancel,
finish), signing up and cancelling, check-in by the QR token, the organiser's check-in/out, door
sign-ups and hour confirmations, corrections, service records, volunteer profiles (register, me,
approve / reject / suspend) and the party members' progress. Every POST needs an Idempotency-Key;
steps that change a versioned activity or profile take If-Match or ``version``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.openapi import ETAG, IDEMPOTENCY_KEY_REQUIRED, IF_MATCH, problems
from shuren.api.pagination import PageNumberPagination
from shuren.api.permissions import AnyActionByMethod
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can, has_action
from shuren.people.models import Person
from shuren.places.models import Area, Building, Estate, Unit

from . import selectors, services
from .api_serializers import (
    VolunteeringActivityCreateSerializer,
    VolunteeringActivityFilterSerializer,
    VolunteeringActivitySerializer,
    VolunteeringConfirmSerializer,
    VolunteeringCorrectSerializer,
    VolunteeringDecisionSerializer,
    VolunteeringDoorSerializer,
    VolunteeringEmptySerializer,
    VolunteeringProfileFilterSerializer,
    VolunteeringProfileSerializer,
    VolunteeringProgressQuerySerializer,
    VolunteeringProgressSerializer,
    VolunteeringReasonSerializer,
    VolunteeringRecordFilterSerializer,
    VolunteeringRecordSerializer,
    VolunteeringRegisterSerializer,
    VolunteeringScanSerializer,
    VolunteeringSignUpSerializer,
    VolunteeringTokenSerializer,
    VolunteeringVersionSerializer,
)
from .models import ACTIVE_SIGNUP_STATUSES, Activity, ServiceRecord, SignUp, Skill, VolunteerProfile

STAFF = ("volunteering.view", "volunteering.manage")
READERS = (*STAFF, "volunteering.volunteer")
MANAGE = ("volunteering.manage",)
# POST-only views list GET too, so that a GET answers 405 (not 403) to those who may POST.
VOLUNTEER = ("volunteering.volunteer",)


class VolunteeringAPIView(ServiceAPIView):
    """Service ValidationErrors become 400 problems naming the request's fields."""


class VolunteeringPagination(PageNumberPagination):
    pass


def _is_staff(user: Any) -> bool:
    return has_action(user, "volunteering.view") or has_action(user, "volunteering.manage")


def _activity_for(user: Any, pk: int) -> Activity:
    """Staff: an activity of their areas; volunteers: one of their community (or signed up for)."""
    if _is_staff(user):
        try:
            return selectors.staff_activity(user, pk)
        except OutOfScope:
            if not has_action(user, "volunteering.volunteer"):
                raise
    return selectors.openable_for_volunteer(user, pk)


def _mine(user: Any, activities: list[Activity]) -> dict[int, SignUp]:
    person = services.person_of(user)
    if person is None:
        return {}
    signups = SignUp.objects.filter(person=person, activity__in=activities, status__in=ACTIVE_SIGNUP_STATUSES)
    return {s.activity_id: s for s in signups}


def activity_response(user: Any, activity: Activity, *, status_code: int = status.HTTP_200_OK) -> Response:
    activity = _activity_for(user, activity.pk)
    data = VolunteeringActivitySerializer(
        activity,
        context={"manage": lambda a: can(user, "volunteering.manage", a), "mine": _mine(user, [activity])},
    ).data
    response = Response(data, status=status_code)
    response["ETag"] = etag_for(activity)
    return response


def _lookup(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise serializers.ValidationError({field: [_("No such place.")]})
    return obj


def _skills(codes: list[str]) -> list[Skill]:
    skills = list(Skill.objects.filter(code__in=codes))
    if len(skills) != len(set(codes)):
        raise serializers.ValidationError({"skills": [_("Unknown skill.")]})
    return skills


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
        if _is_staff(user):
            activities = selectors.listed_activities(selectors.visible_activities(user)).order_by("-starts_at", "-pk")
        else:
            activities = selectors.upcoming_for_volunteer(user)
        if f.get("status"):
            activities = activities.filter(status=f["status"])
        if f.get("team"):
            activities = activities.filter(team_id=f["team"])
        if f.get("when") == "upcoming":
            activities = activities.filter(ends_at__gte=timezone.now())
        elif f.get("when") == "past":
            activities = activities.filter(ends_at__lt=timezone.now())
        return activities

    @extend_schema(
        operation_id="volunteering_activities_list",
        parameters=[VolunteeringActivityFilterSerializer],
        responses={200: VolunteeringActivitySerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        user = request.user
        data = VolunteeringActivitySerializer(
            page,
            many=True,
            context={"manage": lambda a: can(user, "volunteering.manage", a), "mine": _mine(user, page)},
        ).data
        return self.get_paginated_response(data)

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
            "area": _lookup(Area, data.pop("area", None), "area"),
            "estate": _lookup(Estate, data.pop("estate", None), "estate"),
            "building": _lookup(Building, data.pop("building", None), "building"),
            "unit": _lookup(Unit, data.pop("unit", None), "unit"),
        }
        team_id = data.pop("team", None)
        team = None
        if team_id is not None:
            team = selectors.visible_teams(request.user).filter(pk=team_id).first()
            if team is None:
                raise serializers.ValidationError({"team": [_("No such volunteer team in your areas.")]})
        skills = _skills(data.pop("skills"))
        activity = services.create_activity(request.user, team=team, skills=skills, **places, **data)
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
        return activity_response(request.user, _activity_for(request.user, pk))


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


class ActivityStepView(VolunteeringAPIView):
    """Publish, cancel or finish: the activity is looked up first (404 outside the caller's areas),
    then the body (400), then the version the caller read (428/412/409), then the service decides."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True
    step = ""

    def post(self, request: Request, pk: int) -> Response:
        user = request.user
        activity = selectors.staff_activity(user, pk)
        if not can(user, "volunteering.manage", activity):
            raise NotPermitted()
        body = (VolunteeringReasonSerializer if self.step == "cancel" else VolunteeringVersionSerializer)(
            data=request.data
        )
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            activity, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        if self.step == "publish":
            services.publish_activity(user, activity, version=version)
        elif self.step == "cancel":
            services.cancel_activity(user, activity, version=version, reason=data["reason"])
        else:
            services.finish_activity(user, activity, version=version)
        return activity_response(user, activity)


def _step_view(step: str, serializer: Any, doc: str) -> type[ActivityStepView]:
    @extend_schema(
        operation_id=f"volunteering_activities_{step}",
        description=doc,
        request=serializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY_REQUIRED],
        responses={200: VolunteeringActivitySerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def post(self: ActivityStepView, request: Request, pk: int) -> Response:
        return ActivityStepView.post(self, request, pk)

    return type(
        f"Activity{step.title()}View",
        (ActivityStepView,),
        {"step": step, "post": post, "__doc__": doc, "idempotency_required": True},
    )


STEP_VIEWS = {
    "publish": _step_view("publish", VolunteeringVersionSerializer, "Publish a draft: residents can sign up."),
    "cancel": _step_view(
        "cancel", VolunteeringReasonSerializer, "Cancel with a reason, which volunteers who signed up read."
    ),
    "finish": _step_view("finish", VolunteeringVersionSerializer, "Mark a started activity as finished."),
}


class SignUpView(VolunteeringAPIView):
    """POST: sign the caller up (201 confirmed or waitlisted; 200 when already signed up)."""

    permission_classes = [AnyActionByMethod({"GET": VOLUNTEER, "POST": VOLUNTEER})]
    idempotency_required = True

    @extend_schema(
        operation_id="volunteering_activities_sign_up",
        request=VolunteeringEmptySerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={
            201: VolunteeringSignUpSerializer,
            200: VolunteeringSignUpSerializer,
            **problems(401, 403, 404, 409),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = selectors.openable_for_volunteer(request.user, pk)
        VolunteeringEmptySerializer(data=request.data).is_valid(raise_exception=True)
        before = selectors.active_signup(request.user, activity)
        signup = services.sign_up(request.user, activity)
        signup = selectors.signups_of(activity).get(pk=signup.pk)
        code = status.HTTP_200_OK if before is not None else status.HTTP_201_CREATED
        return Response(VolunteeringSignUpSerializer(signup).data, status=code)


class CancelSignUpView(VolunteeringAPIView):
    """POST: the caller gives their place back; the first on the waiting list moves up."""

    permission_classes = [AnyActionByMethod({"GET": VOLUNTEER, "POST": VOLUNTEER})]
    idempotency_required = True

    @extend_schema(
        operation_id="volunteering_activities_cancel_sign_up",
        request=VolunteeringEmptySerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={200: VolunteeringSignUpSerializer, **problems(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = selectors.openable_for_volunteer(request.user, pk)
        VolunteeringEmptySerializer(data=request.data).is_valid(raise_exception=True)
        signup = selectors.active_signup(request.user, activity)
        if signup is None:
            raise OutOfScope(_("You are not signed up for this activity."))
        signup = services.cancel_signup(request.user, signup)
        return Response(VolunteeringSignUpSerializer(selectors.signups_of(activity).get(pk=signup.pk)).data)


class CheckInByTokenView(VolunteeringAPIView):
    """POST {token}: what scanning the QR code does: check in, or (the next time) check out."""

    permission_classes = [AnyActionByMethod({"GET": VOLUNTEER, "POST": VOLUNTEER})]
    idempotency_required = True

    @extend_schema(
        operation_id="volunteering_checkin_by_token",
        request=VolunteeringTokenSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={200: VolunteeringScanSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        body = VolunteeringTokenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scan = services.check_in_with_token(user=request.user, token=body.validated_data["token"])
        signup = selectors.signups_of(scan.signup.activity).get(pk=scan.signup.pk)
        return Response({"outcome": scan.outcome, "signup": VolunteeringSignUpSerializer(signup).data})


def _staff_signup(user: Any, pk: int) -> SignUp:
    signup = (
        SignUp.objects.filter(pk=pk, activity__in=selectors.visible_activities(user))
        .select_related("activity", "person")
        .first()
    )
    if signup is None:
        raise OutOfScope()
    if not can(user, "volunteering.manage", signup.activity):
        raise NotPermitted()
    return signup


class SignUpStepView(VolunteeringAPIView):
    """The organiser's steps on one sign-up: check-in, check-out, withdraw, confirm hours."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True
    step = ""

    def post(self, request: Request, pk: int) -> Response:
        user = request.user
        signup = _staff_signup(user, pk)
        serializer = VolunteeringConfirmSerializer if self.step == "confirm" else VolunteeringEmptySerializer
        body = serializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = status.HTTP_200_OK
        if self.step == "check-in":
            services.check_in(user, signup)
        elif self.step == "check-out":
            services.check_out(user, signup)
        elif self.step == "withdraw":
            services.withdraw_signup(user, signup)
        else:
            record = services.confirm_hours(
                user, signup, minutes=body.validated_data["minutes"], description=body.validated_data["description"]
            )
            if getattr(record, "created_now", False):
                code = status.HTTP_201_CREATED
        fresh = selectors.signups_of(signup.activity).get(pk=signup.pk)
        return Response(VolunteeringSignUpSerializer(fresh).data, status=code)


def _signup_step(step: str, serializer: Any, doc: str) -> type[SignUpStepView]:
    @extend_schema(
        operation_id=f"volunteering_signups_{step.replace('-', '_')}",
        description=doc,
        request=serializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={
            200: VolunteeringSignUpSerializer,
            201: VolunteeringSignUpSerializer,
            **problems(400, 401, 403, 404, 409),
        },
    )
    def post(self: SignUpStepView, request: Request, pk: int) -> Response:
        return SignUpStepView.post(self, request, pk)

    return type(
        f"SignUp{step.title().replace('-', '')}View",
        (SignUpStepView,),
        {"step": step, "post": post, "__doc__": doc, "idempotency_required": True},
    )


SIGNUP_STEP_VIEWS = {
    "check-in": _signup_step("check-in", VolunteeringEmptySerializer, "The organiser checks the volunteer in."),
    "check-out": _signup_step("check-out", VolunteeringEmptySerializer, "The organiser checks the volunteer out."),
    "withdraw": _signup_step("withdraw", VolunteeringEmptySerializer, "Take the volunteer off (before check-in)."),
    "confirm": _signup_step(
        "confirm",
        VolunteeringConfirmSerializer,
        "Confirm the hours: `minutes` or (empty) the proposal. 201 when written, 200 when already confirmed.",
    ),
}


class DoorSignUpView(VolunteeringAPIView):
    """POST {person}: the organiser signs a resident up at the door (and checks them in)."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True

    @extend_schema(
        operation_id="volunteering_activities_door",
        request=VolunteeringDoorSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: VolunteeringSignUpSerializer, **problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        user = request.user
        activity = selectors.staff_activity(user, pk)
        if not can(user, "volunteering.manage", activity):
            raise NotPermitted()
        body = VolunteeringDoorSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = Person.objects.filter(
            pk=body.validated_data["person"], community=services.community_of(activity)
        ).first()
        if person is None:
            raise serializers.ValidationError({"person": [_("Choose a resident of this community.")]})
        signup = services.sign_up_at_door(user, activity, person, check_in_now=body.validated_data["check_in_now"])
        fresh = selectors.signups_of(activity).get(pk=signup.pk)
        return Response(VolunteeringSignUpSerializer(fresh).data, status=status.HTTP_201_CREATED)


class ConfirmAllView(VolunteeringAPIView):
    """POST: confirm the proposed minutes of every volunteer who can be confirmed."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True

    @extend_schema(
        operation_id="volunteering_activities_confirm_all",
        request=VolunteeringEmptySerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={200: VolunteeringRecordSerializer(many=True), **problems(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = selectors.staff_activity(request.user, pk)
        if not can(request.user, "volunteering.manage", activity):
            raise NotPermitted()
        VolunteeringEmptySerializer(data=request.data).is_valid(raise_exception=True)
        records = services.confirm_all(request.user, activity)
        return Response(VolunteeringRecordSerializer(records, many=True).data)


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
        user = request.user
        records = selectors.visible_records(user) if _is_staff(user) else selectors.own_records(user)
        if f.get("year"):
            records = records.filter(served_on__year=f["year"])
        if f.get("person"):
            records = records.filter(person_id=f["person"])
        if f.get("activity"):
            records = records.filter(activity_id=f["activity"])
        page = self.paginate_queryset(records.select_related("person").order_by("-served_on", "-pk"))
        return self.get_paginated_response(VolunteeringRecordSerializer(page, many=True).data)


class RecordCorrectView(VolunteeringAPIView):
    """POST {minutes, reason}: a correcting record with the signed difference."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True

    @extend_schema(
        operation_id="volunteering_records_correct",
        request=VolunteeringCorrectSerializer,
        parameters=[IDEMPOTENCY_KEY_REQUIRED],
        responses={201: VolunteeringRecordSerializer, **problems(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        record = selectors.visible_records(request.user).filter(pk=pk).first()
        if record is None:
            raise OutOfScope()
        body = VolunteeringCorrectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        correction = services.correct_record(
            request.user, record, minutes=body.validated_data["minutes"], reason=body.validated_data["reason"]
        )
        correction = ServiceRecord.objects.select_related("person").get(pk=correction.pk)
        return Response(VolunteeringRecordSerializer(correction).data, status=status.HTTP_201_CREATED)


# --- profiles --------------------------------------------------------------------------------------


def _profile_response(profile: VolunteerProfile, *, status_code: int = status.HTTP_200_OK) -> Response:
    profile = VolunteerProfile.objects.select_related("person").prefetch_related("skills").get(pk=profile.pk)
    response = Response(VolunteeringProfileSerializer(profile).data, status=status_code)
    response["ETag"] = etag_for(profile)
    return response


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
        profile = VolunteerProfile.objects.filter(person=person).first() if person else None
        if profile is None:
            raise OutOfScope(_("You have not registered as a volunteer."))
        return _profile_response(profile)

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
        existed = person is not None and VolunteerProfile.objects.filter(person=person).exists()
        teams = []
        if data["teams"] and person is not None:
            teams = list(services.teams_of_community(person.community).filter(pk__in=data["teams"]))
            if len(teams) != len(set(data["teams"])):
                raise serializers.ValidationError({"teams": [_("Choose volunteer teams of your community.")]})
        profile = services.register_volunteer(
            request.user,
            skills=_skills(data["skills"]),
            availability=data["availability"],
            introduction=data["introduction"],
            teams=teams,
        )
        return _profile_response(profile, status_code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


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
        if f.get("status"):
            profiles = profiles.filter(status=f["status"])
        if f.get("q"):
            q = f["q"].strip()
            profiles = profiles.filter(Q(person__name__icontains=q) | Q(person__name_pinyin__icontains=q.lower()))
        page = self.paginate_queryset(profiles.order_by("person__name_pinyin", "pk"))
        return self.get_paginated_response(VolunteeringProfileSerializer(page, many=True).data)


class ProfileDetailView(VolunteeringAPIView):
    permission_classes = [AnyActionByMethod({"GET": STAFF})]

    @extend_schema(
        operation_id="volunteering_profiles_retrieve",
        responses={200: VolunteeringProfileSerializer, **problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _profile_response(selectors.staff_profile(request.user, pk))


class ProfileDecisionView(VolunteeringAPIView):
    """Approve, reject or suspend a registration (If-Match or ``version``; a note to reject/suspend)."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True
    decision = ""

    def post(self, request: Request, pk: int) -> Response:
        profile = selectors.staff_profile(request.user, pk)
        body = VolunteeringDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            profile, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        services.decide_profile(request.user, profile, version=version, decision=self.decision, note=data["note"])
        return _profile_response(profile)


def _decision_view(decision: str) -> type[ProfileDecisionView]:
    @extend_schema(
        operation_id=f"volunteering_profiles_{decision}",
        request=VolunteeringDecisionSerializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY_REQUIRED],
        responses={200: VolunteeringProfileSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )
    def post(self: ProfileDecisionView, request: Request, pk: int) -> Response:
        return ProfileDecisionView.post(self, request, pk)

    return type(
        f"Profile{decision.title()}View",
        (ProfileDecisionView,),
        {"decision": decision, "post": post, "idempotency_required": True},
    )


DECISION_VIEWS = {d: _decision_view(d) for d in ("approve", "reject", "suspend")}


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
        from shuren.audit.services import record_event

        user = request.user
        if not has_action(user, "people.view_affiliation"):
            raise NotPermitted()
        query = VolunteeringProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        communities = selectors.progress_communities(user)
        community = communities.filter(pk=f["community"]).first() if f.get("community") else communities.first()
        if community is None:
            raise OutOfScope()
        year = f.get("year") or timezone.localdate().year
        rows = selectors.party_progress(user, community, year)
        if f.get("behind"):
            rows = [r for r in rows if r.is_behind]
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

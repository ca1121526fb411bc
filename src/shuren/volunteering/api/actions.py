"""The steps of the volunteering API: publish, cancel, finish an activity; sign up and cancel; check
in by the QR token; the organiser's steps on a sign-up; door sign-ups; confirming and correcting
hours; deciding on a registration. Every POST needs an Idempotency-Key; steps that change a
versioned activity or profile take If-Match or ``version``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.api.openapi import IDEMPOTENCY_KEY_REQUIRED, IF_MATCH, problems
from shuren.api.permissions import AnyActionByMethod
from shuren.core.concurrency import expected_version
from shuren.core.errors import NotPermitted, OutOfScope
from shuren.core.scoping import can

from .. import selectors, services
from .base import (
    MANAGE,
    VOLUNTEER,
    VolunteeringAPIView,
    activity_response,
    profile_response,
)
from .serializers import (
    VolunteeringActivitySerializer,
    VolunteeringConfirmSerializer,
    VolunteeringCorrectSerializer,
    VolunteeringDecisionSerializer,
    VolunteeringDoorSerializer,
    VolunteeringEmptySerializer,
    VolunteeringProfileSerializer,
    VolunteeringReasonSerializer,
    VolunteeringRecordSerializer,
    VolunteeringScanSerializer,
    VolunteeringSignUpSerializer,
    VolunteeringTokenSerializer,
    VolunteeringVersionSerializer,
)


class ActivityStepView(VolunteeringAPIView):
    """Publish, cancel or finish: the activity is looked up first (404 outside the caller's areas),
    then the body (400), then the version the caller read (428/412/409), then the service decides."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True
    step = ""

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
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
            services.publish_activity(actor=user, activity=activity, version=version)
        elif self.step == "cancel":
            services.cancel_activity(actor=user, activity=activity, version=version, reason=data["reason"])
        else:
            services.finish_activity(actor=user, activity=activity, version=version)
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
        signup = services.sign_up(actor=acting_user(request), activity=activity)
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
        signup = services.cancel_signup(actor=acting_user(request), signup=signup)
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
        scan = services.check_in_with_token(actor=acting_user(request), token=body.validated_data["token"])
        signup = selectors.signups_of(scan.signup.activity).get(pk=scan.signup.pk)
        return Response({"outcome": scan.outcome, "signup": VolunteeringSignUpSerializer(signup).data})


class SignUpStepView(VolunteeringAPIView):
    """The organiser's steps on one sign-up: check-in, check-out, withdraw, confirm hours."""

    permission_classes = [AnyActionByMethod({"GET": MANAGE, "POST": MANAGE})]
    idempotency_required = True
    step = ""

    def post(self, request: Request, pk: int) -> Response:
        user = acting_user(request)
        signup = selectors.staff_signup(user, pk)
        serializer = VolunteeringConfirmSerializer if self.step == "confirm" else VolunteeringEmptySerializer
        body = serializer(data=request.data)
        body.is_valid(raise_exception=True)
        code: int = status.HTTP_200_OK
        if self.step == "check-in":
            services.check_in(actor=user, signup=signup)
        elif self.step == "check-out":
            services.check_out(actor=user, signup=signup)
        elif self.step == "withdraw":
            services.withdraw_signup(actor=user, signup=signup)
        else:
            record = services.confirm_hours(
                actor=user,
                signup=signup,
                minutes=body.validated_data["minutes"],
                description=body.validated_data["description"],
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
        user = acting_user(request)
        activity = selectors.staff_activity(user, pk)
        if not can(user, "volunteering.manage", activity):
            raise NotPermitted()
        body = VolunteeringDoorSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = selectors.community_resident(activity, body.validated_data["person"])
        if person is None:
            raise serializers.ValidationError({"person": [_("Choose a resident of this community.")]})
        signup = services.sign_up_at_door(
            actor=user, activity=activity, person=person, check_in_now=body.validated_data["check_in_now"]
        )
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
        records = services.confirm_all(actor=acting_user(request), activity=activity)
        return Response(VolunteeringRecordSerializer(records, many=True).data)


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
        record = selectors.staff_record(request.user, pk)
        body = VolunteeringCorrectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        correction = services.correct_record(
            actor=acting_user(request),
            record=record,
            minutes=body.validated_data["minutes"],
            reason=body.validated_data["reason"],
        )
        correction = selectors.record_with_person(correction.pk)
        return Response(VolunteeringRecordSerializer(correction).data, status=status.HTTP_201_CREATED)


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
        services.decide_profile(
            actor=acting_user(request), profile=profile, version=version, decision=self.decision, note=data["note"]
        )
        return profile_response(profile)


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

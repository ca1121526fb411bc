"""The workflow: one endpoint per action, each with If-Match or version and Idempotency-Key."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.accounts.acting import acting_user
from shuren.accounts.models import User
from shuren.api.base import ServiceAPIView
from shuren.api.openapi import IDEMPOTENCY_KEY, IF_MATCH
from shuren.core.concurrency import expected_version

from .. import services
from ..models import (
    Appeal,
)
from ..selectors import (
    openable_appeal,
    organization_by_pk,
    visible_appeal_by,
)
from .base import ANY_PARTY, ETAG, appeal_response, problems
from .serializers import (
    ActionSerializer,
    AppealDetailSerializer,
    DispatchSerializer,
    FeedbackSerializer,
    MergeSerializer,
    NoteOptionalSerializer,
    NoteSerializer,
    ProgressSerializer,
    PublishSerializer,
    ReasonSerializer,
    ResolveSerializer,
    SuperviseSerializer,
)

# --- the workflow ---------------------------------------------------------------------------------


class AppealActionView(ServiceAPIView):
    """One step of the workflow. The appeal is looked up first (404 outside the caller's reach),
    then the body is checked (400), then the version the caller read (428/412/409), then the service
    decides whether the state and the caller's part allow the step (409/403)."""

    permission_classes = [ANY_PARTY]
    body_serializer: type[ActionSerializer] = ActionSerializer

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        appeal = openable_appeal(request.user, pk)
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = expected_version(
            appeal, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
        )
        appeal = self.perform(acting_user(request), appeal, version, data)
        return appeal_response(request.user, appeal)


def action_schema(serializer: type[ActionSerializer], operation: str, summary: str) -> Any:
    return extend_schema(
        operation_id=f"appeals_{operation}",
        summary=summary,
        request=serializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY, ETAG],
        responses={200: AppealDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )


class AcceptView(AppealActionView):
    """受理: the desk takes the appeal on; it waits for dispatch."""

    body_serializer = NoteOptionalSerializer

    @action_schema(NoteOptionalSerializer, "accept", "Accept")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.accept_appeal(actor=actor, appeal=appeal, version=version, note=data["note"])


class RejectView(AppealActionView):
    """不予受理: ends the appeal with a reason the reporter reads."""

    body_serializer = ReasonSerializer

    @action_schema(ReasonSerializer, "reject", "Reject")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.reject_appeal(actor=actor, appeal=appeal, version=version, reason=data["reason"])


class DispatchView(AppealActionView):
    """派单: give the appeal to an organisation. Another than the suggested one needs a reason."""

    body_serializer = DispatchSerializer

    @action_schema(DispatchSerializer, "dispatch", "Dispatch")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        organization = organization_by_pk(data["organization"])
        if organization is None:
            raise serializers.ValidationError(
                {"organization": [_("Choose an organisation of this place or above it.")]}
            )
        return services.dispatch_appeal(
            actor=actor,
            appeal=appeal,
            version=version,
            organization=organization,
            reason=data["reason"],
            share_contact=data["share_contact"],
            note=data["note"],
        )


class TakeUpView(AppealActionView):
    """签收: the handler confirms it is on the case (the response the response rate counts)."""

    body_serializer = NoteOptionalSerializer

    @action_schema(NoteOptionalSerializer, "take_up", "Take up")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.take_up_appeal(actor=actor, appeal=appeal, version=version, note=data["note"])


class ReturnView(AppealActionView):
    """退单: the organisation says the appeal is not theirs; it goes back to the desk."""

    body_serializer = ReasonSerializer

    @action_schema(ReasonSerializer, "return", "Return to the desk")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.return_appeal(actor=actor, appeal=appeal, version=version, reason=data["reason"])


class ProgressView(AppealActionView):
    """A progress note on the timeline (public: the reporter reads it)."""

    body_serializer = ProgressSerializer

    @action_schema(ProgressSerializer, "progress", "Record progress")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.record_progress(
            actor=actor, appeal=appeal, version=version, note=data["note"], public=data["public"]
        )


class ResolveView(AppealActionView):
    """办结: the reply to the reporter, who is then asked to rate it. Add photos of the result with
    POST {id}/photos/ and stage=resolution."""

    body_serializer = ResolveSerializer

    @action_schema(ResolveSerializer, "resolve", "Resolve")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.resolve_appeal(actor=actor, appeal=appeal, version=version, resolution=data["resolution"])


class FeedbackView(AppealActionView):
    """The reporter rates the outcome (closes the appeal), or reopens it once within the window."""

    body_serializer = FeedbackSerializer

    @action_schema(FeedbackSerializer, "feedback", "Rate the outcome")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.give_feedback(
            actor=actor,
            appeal=appeal,
            version=version,
            is_solved=data["is_solved"],
            satisfaction=data["satisfaction"],
            comment=data["comment"],
            reopen=data["reopen"],
        )


class CloseView(AppealActionView):
    """结案 without the reporter's feedback."""

    body_serializer = NoteOptionalSerializer

    @action_schema(NoteOptionalSerializer, "close", "Close")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.close_appeal(actor=actor, appeal=appeal, version=version, note=data["note"])


class EscalateView(AppealActionView):
    """上报: hand the appeal to the level above (grid → community → subdistrict → district)."""

    body_serializer = ReasonSerializer

    @action_schema(ReasonSerializer, "escalate", "Escalate")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.escalate_appeal(actor=actor, appeal=appeal, version=version, reason=data["reason"])


class SuperviseView(AppealActionView):
    """督办: put the appeal under supervision (with what it asks for), or lift it."""

    body_serializer = SuperviseSerializer

    @action_schema(SuperviseSerializer, "supervise", "Supervise")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.supervise_appeal(actor=actor, appeal=appeal, version=version, on=data["on"], note=data["note"])


class MergeView(AppealActionView):
    """合并: this appeal repeats ``into``; its reporter gets the outcome of ``into``."""

    body_serializer = MergeSerializer

    @action_schema(MergeSerializer, "merge", "Merge")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        into = visible_appeal_by(actor, pk=data["into"])
        if into is None:
            raise serializers.ValidationError({"into": [_("Choose another open appeal to merge into.")]})
        return services.merge_appeal(actor=actor, appeal=appeal, version=version, into=into)


class NoteView(AppealActionView):
    """An internal note (never shown to the reporter)."""

    body_serializer = NoteSerializer

    @action_schema(NoteSerializer, "note", "Internal note")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.add_note(actor=actor, appeal=appeal, version=version, note=data["note"])


class PublishView(AppealActionView):
    """The publication review of a resolved appeal (件件有回音, Open311): confirm the redacted
    summary and reply for the public, or decline. Both texts are redacted again when saved."""

    body_serializer = PublishSerializer
    field_names = {"is_published": "published", "public_summary": "summary", "public_reply": "reply"}

    @action_schema(PublishSerializer, "publish", "Publish on the public board")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, actor: User, appeal: Appeal, version: int, data: dict[str, Any]) -> Appeal:
        return services.set_publication(
            actor=actor,
            appeal=appeal,
            version=version,
            published=data["published"],
            summary=data["summary"],
            reply=data.get("reply"),
        )


# URL slug -> view: POST /api/v1/appeals/{id}/{slug}/
ACTION_VIEWS: dict[str, type[AppealActionView]] = {
    "accept": AcceptView,
    "reject": RejectView,
    "dispatch": DispatchView,
    "take-up": TakeUpView,
    "return": ReturnView,
    "progress": ProgressView,
    "resolve": ResolveView,
    "feedback": FeedbackView,
    "close": CloseView,
    "escalate": EscalateView,
    "supervise": SuperviseView,
    "merge": MergeView,
    "note": NoteView,
    "publish": PublishView,
}

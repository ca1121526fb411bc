"""REST API of proposals (/api/v1/proposals/): list, detail, submit, co-sign, withdraw, answer,
publish the answer, mark not admissible. Staff (proposals.view) see the proposals of their areas;
residents (proposals.propose) those of the places they live in and their own. Co-signers' names
are masked. Versioned writes take If-Match or ``version``; every POST accepts an Idempotency-Key."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from shuren.api.base import ServiceAPIView
from shuren.api.openapi import IDEMPOTENCY_KEY, IF_MATCH, problems
from shuren.api.pagination import PageNumberPagination, paginated
from shuren.api.permissions import AnyActionByMethod, HasAction
from shuren.api.serializers import StrictSerializer
from shuren.core.concurrency import etag_for, expected_version
from shuren.core.scoping import has_action

from . import services
from .models import AnswerKind, Proposal, ProposalStatus
from .selectors import masked_signatures, openable_proposal, resident_proposals, timeline_rows, visible_proposals

READERS = ("proposals.view", "proposals.propose")
ANY_READER = AnyActionByMethod({"GET": READERS, "POST": READERS})
# Staff managing proposals, and conveners of the meeting that has the proposal on its agenda.
ANSWERERS = AnyActionByMethod(
    {"GET": ("proposals.manage", "meetings.manage"), "POST": ("proposals.manage", "meetings.manage")}
)


class ProposalSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_label", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    answer = serializers.SerializerMethodField()
    answer_kind = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "reference",
            "title",
            "body",
            "place",
            "area",
            "estate",
            "building",
            "unit",
            "status",
            "status_label",
            "signature_count",
            "signature_threshold",
            "signing_closes_at",
            "qualified_at",
            "answer_kind",
            "answer",
            "answer_published_at",
            "created_at",
            "version",
        ]

    def _shows_answer(self, obj: Proposal) -> bool:
        return bool(self.context.get("staff")) or bool(obj.answer_published_at) or obj.status == "inadmissible"

    def get_answer(self, obj: Proposal) -> str:
        return obj.answer if self._shows_answer(obj) else ""

    def get_answer_kind(self, obj: Proposal) -> str:
        return obj.answer_kind if self._shows_answer(obj) else ""


class ProposalDetailSerializer(ProposalSerializer):
    signatures = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "signatures", "timeline"]

    def get_signatures(self, obj: Proposal) -> list[dict[str, Any]]:
        return masked_signatures(obj)

    def get_timeline(self, obj: Proposal) -> list[dict[str, Any]]:
        return timeline_rows(obj, for_staff=bool(self.context.get("staff")))


class ProposalSubmitSerializer(StrictSerializer):
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=5000)
    place = serializers.CharField(max_length=40, help_text="A key from `places/`, e.g. `building:12`.")


class ProposalVersionSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False, min_value=1)


class AnswerSerializer(ProposalVersionSerializer):
    kind = serializers.ChoiceField(choices=AnswerKind.choices)
    text = serializers.CharField(max_length=5000)
    publish = serializers.BooleanField(default=False)


class ProposalReasonSerializer(ProposalVersionSerializer):
    reason = serializers.CharField(max_length=1000)


class PlaceSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ProposalAPIView(ServiceAPIView):
    """Services' Django ValidationErrors become 400 problems naming the fields."""


def proposal_response(user: Any, proposal: Proposal, *, code: int = 200) -> Response:
    proposal, staff = openable_proposal(user, proposal.pk)
    response = Response(ProposalDetailSerializer(proposal, context={"staff": staff}).data, status=code)
    response["ETag"] = etag_for(proposal)
    return response


class ProposalListView(ProposalAPIView):
    permission_classes = [AnyActionByMethod({"GET": READERS, "POST": ("proposals.propose",)})]

    @extend_schema(operation_id="proposals_list", responses={200: paginated(ProposalSerializer), **problems(401, 403)})
    def get(self, request: Request) -> Response:
        is_staff = has_action(request.user, "proposals.view")
        proposals = visible_proposals(request.user) if is_staff else resident_proposals(request.user)
        wanted = request.query_params.get("status")
        if wanted in ProposalStatus.values:
            proposals = proposals.filter(status=wanted)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(proposals.order_by("-created_at", "-pk"), request, view=self)
        data = ProposalSerializer(page, many=True, context={"staff": is_staff}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="proposals_submit",
        request=ProposalSubmitSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ProposalDetailSerializer, **problems(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        body = ProposalSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        proposal = services.submit_proposal(
            request.user, title=data["title"], body=data["body"], place_key=data["place"]
        )
        return proposal_response(request.user, proposal, code=status.HTTP_201_CREATED)


class PlacesView(ProposalAPIView):
    permission_classes = [HasAction("proposals.propose")]

    @extend_schema(operation_id="proposals_places", responses={200: PlaceSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response([{"key": p.key, "label": p.label} for p in services.places_of(request.user)])


class ProposalDetailView(ProposalAPIView):
    permission_classes = [ANY_READER]

    @extend_schema(operation_id="proposals_retrieve", responses={200: ProposalDetailSerializer, **problems(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        proposal, _staff = openable_proposal(request.user, pk)
        return proposal_response(request.user, proposal)


class ActionView(ProposalAPIView):
    permission_classes = [ANY_READER]
    body_serializer: type[StrictSerializer] = ProposalVersionSerializer
    versioned = True

    def perform(self, user: Any, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        proposal, _staff = openable_proposal(request.user, pk)
        body = self.body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = None
        if self.versioned:
            version = expected_version(
                proposal, if_match=request.headers.get("If-Match"), body_version=data.pop("version", None)
            )
        proposal = self.perform(request.user, proposal, version, data)
        return proposal_response(request.user, proposal)


def action_schema(serializer: Any, operation: str, *, versioned: bool = True) -> Any:
    return extend_schema(
        operation_id=f"proposals_{operation}",
        request=serializer,
        parameters=[IF_MATCH, IDEMPOTENCY_KEY] if versioned else [IDEMPOTENCY_KEY],
        responses={200: ProposalDetailSerializer, **problems(400, 401, 403, 404, 409, 412, 428)},
    )


class SignView(ActionView):
    """Co-sign (residents of the proposal's place; once per person; not the proposer)."""

    permission_classes = [HasAction("proposals.propose")]
    versioned = False

    @action_schema(None, "sign", versioned=False)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: Any, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        services.sign_proposal(user, proposal)
        return proposal


class WithdrawView(ActionView):
    permission_classes = [HasAction("proposals.propose")]

    @action_schema(ProposalVersionSerializer, "withdraw")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: Any, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.withdraw_proposal(user, proposal, version=version)


class AnswerView(ActionView):
    permission_classes = [ANSWERERS]
    body_serializer = AnswerSerializer

    @action_schema(AnswerSerializer, "answer")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: Any, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.answer(
            user, proposal, kind=data["kind"], text=data["text"], publish=data["publish"], version=version
        )


class PublishView(ActionView):
    permission_classes = [ANSWERERS]

    @action_schema(ProposalVersionSerializer, "publish_answer")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: Any, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.publish_answer(user, proposal, version=version)


class InadmissibleView(ActionView):
    permission_classes = [HasAction("proposals.manage")]
    body_serializer = ProposalReasonSerializer

    @action_schema(ProposalReasonSerializer, "inadmissible")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, user: Any, proposal: Proposal, version: int | None, data: dict[str, Any]) -> Proposal:
        return services.mark_inadmissible(user, proposal, reason=data["reason"], version=version)

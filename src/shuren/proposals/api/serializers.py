"""Serializers of the proposals API: what it returns (proposals, with the answer only where the
caller may read it, co-signatures masked) and what it accepts."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.response import Response

from shuren.accounts.models import User
from shuren.api.serializers import StrictSerializer
from shuren.core.concurrency import etag_for

from ..models import AnswerKind, Proposal
from ..selectors import masked_signatures, openable_proposal, timeline_rows


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
    label = serializers.CharField()  # type: ignore[assignment]  # the API's field "label" shadows Field.label


def proposal_response(user: User, proposal: Proposal, *, code: int = 200) -> Response:
    proposal, staff = openable_proposal(user, proposal.pk)
    response = Response(ProposalDetailSerializer(proposal, context={"staff": staff}).data, status=code)
    response["ETag"] = etag_for(proposal)
    return response

"""Serializers of the ballots API: what goes out (ballots, matters, votes) and what comes in (strict
bodies; places resolved among those where the caller manages ballots)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shuren.api.serializers import StrictSerializer
from shuren.conventions.models import ConventionVersion
from shuren.core.scoping import resolve
from shuren.places.models import Area, Building, Estate, Unit

from ..models import Ballot, BallotRule, BallotVote, Matter, VoteChoice


class MatterSerializer(serializers.ModelSerializer):
    rule: serializers.SlugRelatedField[BallotRule] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Matter
        fields = ["id", "position", "title", "description", "civil_code_item", "rule", "convention_version", "passed"]


class BallotSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_label", read_only=True)
    matters = MatterSerializer(many=True, read_only=True)

    class Meta:
        model = Ballot
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "place",
            "area",
            "estate",
            "building",
            "unit",
            "opens_at",
            "closes_at",
            "electorate_frozen_at",
            "total_area",
            "total_owners",
            "closed_at",
            "version",
            "matters",
        ]


class PlaceInScope(serializers.PrimaryKeyRelatedField):
    """A place named by id, resolved among those where the caller manages ballots
    (core.scoping.resolve): 404 alike when it does not exist and when it lies elsewhere."""

    def to_internal_value(self, data: Any) -> Any:
        queryset = self.get_queryset()
        assert queryset is not None  # every PlaceInScope is declared with its queryset
        return resolve(self.context["request"].user, "ballots.manage", queryset, data)


class BallotCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    area = PlaceInScope(queryset=Area.objects.all(), required=False, allow_null=True)
    estate = PlaceInScope(queryset=Estate.objects.all(), required=False, allow_null=True)
    building = PlaceInScope(queryset=Building.objects.all(), required=False, allow_null=True)
    unit = PlaceInScope(queryset=Unit.objects.all(), required=False, allow_null=True)
    opens_at = serializers.DateTimeField(required=False, allow_null=True)
    closes_at = serializers.DateTimeField()


class MatterCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    civil_code_item = serializers.IntegerField(min_value=1, max_value=9, required=False, allow_null=True)
    rule = serializers.SlugRelatedField(
        slug_field="code", queryset=BallotRule.objects.all(), required=False, allow_null=True
    )
    convention_version = serializers.PrimaryKeyRelatedField(
        queryset=ConventionVersion.objects.all(), required=False, allow_null=True
    )


class BallotVersionSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False)


class CancelSerializer(BallotVersionSerializer):
    reason = serializers.CharField(max_length=500)


class VoteSerializer(StrictSerializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    voter = serializers.IntegerField(required=False, help_text="Needed only when you own dwellings of several voters.")


class PaperVoteSerializer(StrictSerializer):
    voter = serializers.IntegerField()
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    paper_number = serializers.CharField(max_length=40)


class VoteOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = BallotVote
        fields = ["id", "matter", "voter", "choice", "channel", "paper_number", "recorded_at"]

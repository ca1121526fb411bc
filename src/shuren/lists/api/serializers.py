"""Every serializer of the lists' API: what a need, a resource, a match and a suggestion look like,
and the bodies the writes take."""

from __future__ import annotations

from rest_framework import serializers

from shuren.api.serializers import StrictSerializer

from ..models import ALL_WEEK, Category, Concerned, Match, Need, NeedSource, Resource, ResourceKind, Urgency

STAFF_SOURCES = [s.value for s in NeedSource if s != NeedSource.SERVICEABLE_REQUEST]


class MatchSerializer(serializers.ModelSerializer):
    resource_title = serializers.CharField(source="resource.title", read_only=True)
    provider = serializers.CharField(source="resource.public_provider_label", read_only=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "need",
            "resource",
            "resource_title",
            "provider",
            "quantity",
            "status",
            "reason",
            "answer",
            "outcome",
            "answered_at",
            "done_at",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class NeedSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    place = serializers.CharField(source="place_label", read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "reference",
            "title",
            "category",
            "area",
            "place",
            "concerned",
            "urgency",
            "wanted_on",
            "quantity",
            "status",
            "source",
            "source_type",
            "source_id",
            "version",
            "created_at",
            "done_at",
        ]
        read_only_fields = fields


class NeedDetailSerializer(NeedSerializer):
    matches = MatchSerializer(many=True, read_only=True)

    class Meta(NeedSerializer.Meta):
        fields = [
            *NeedSerializer.Meta.fields,
            "description",
            "estate",
            "building",
            "dwelling",
            "concerned_text",
            "close_reason",
            "outcome",
            "matches",
        ]
        read_only_fields = fields


class NeedFilterSerializer(StrictSerializer):
    status = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=NeedSource.choices, required=False, allow_blank=True)  # type: ignore[assignment]  # a field named like a Field attribute
    q = serializers.CharField(required=False, allow_blank=True, max_length=80)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class NeedCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=100)
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    area = serializers.IntegerField(required=False)
    estate = serializers.IntegerField(required=False)
    building = serializers.IntegerField(required=False)
    dwelling = serializers.IntegerField(required=False)
    concerned = serializers.ChoiceField(choices=Concerned.choices, required=False)
    concerned_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    person = serializers.IntegerField(required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    wanted_on = serializers.DateField(required=False, allow_null=True)
    quantity = serializers.IntegerField(min_value=1, max_value=100000, required=False)
    source = serializers.ChoiceField(choices=STAFF_SOURCES, required=False)  # type: ignore[assignment]  # a field named like a Field attribute


class FromAppealSerializer(StrictSerializer):
    appeal = serializers.IntegerField()


class StepReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False)


class OutcomeSerializer(StrictSerializer):
    outcome = serializers.CharField(max_length=300)
    version = serializers.IntegerField(required=False)


class EmptySerializer(StrictSerializer):
    version = serializers.IntegerField(required=False)


class ProposeSerializer(StrictSerializer):
    resource = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, required=False)


class ResourceSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider_label", read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "category",
            "organization",
            "provider",
            "area",
            "capacity",
            "remaining",
            "unit_label",
            "venue_seats",
            "skills",
            "weekdays",
            "opens_at",
            "closes_at",
            "valid_from",
            "valid_until",
            "is_public",
            "is_active",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class ResourceFilterSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ResourceKind.choices, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    q = serializers.CharField(required=False, allow_blank=True, max_length=80)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class ResourceWriteSerializer(StrictSerializer):
    """The body of a new resource (``organization`` and ``title``, ``kind``, ``category`` required)
    or of a change (PATCH: only what changes; the provider never does)."""

    title = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    organization = serializers.IntegerField()
    area = serializers.IntegerField(required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=0, required=False)
    remaining = serializers.IntegerField(min_value=0, required=False)
    unit_label = serializers.CharField(max_length=10, required=False, allow_blank=True)
    venue_seats = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True)
    weekdays = serializers.IntegerField(min_value=1, max_value=ALL_WEEK, required=False)
    opens_at = serializers.TimeField(required=False, allow_null=True)
    closes_at = serializers.TimeField(required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False)


class SuggestionSerializer(serializers.Serializer):
    resource = ResourceSerializer()
    score = serializers.IntegerField()
    reason = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())

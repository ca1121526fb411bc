"""Every serializer of the notices API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shuren.api.serializers import StrictSerializer

from ..models import Notice, NoticeStatus, Urgency
from ..selectors import TARGET_ROLES


class NoticeSerializer(serializers.ModelSerializer[Notice]):
    place = serializers.CharField(source="place_label", read_only=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "title",
            "body",
            "urgency",
            "status",
            "place",
            "area",
            "estate",
            "building",
            "unit",
            "tags",
            "roles",
            "publish_at",
            "ends_at",
            "is_public",
            "published_at",
            "households",
            "version",
        ]
        read_only_fields = fields

    def get_tags(self, notice: Notice) -> list[str]:
        return [tag.code for tag in notice.tags.all()]


class NoticeDetailSerializer(NoticeSerializer):
    allowed_actions = serializers.SerializerMethodField()
    withdrawn_reason = serializers.CharField(read_only=True)
    has_attachment = serializers.SerializerMethodField()

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "allowed_actions", "withdrawn_reason", "has_attachment"]
        read_only_fields = fields

    def get_allowed_actions(self, notice: Notice) -> list[str]:
        return list(self.context.get("actions", []))

    def get_has_attachment(self, notice: Notice) -> bool:
        return bool(notice.attachment)


class NoticeCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=4000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    area = serializers.IntegerField(required=False, allow_null=True)
    estate = serializers.IntegerField(required=False, allow_null=True)
    building = serializers.IntegerField(required=False, allow_null=True)
    unit = serializers.IntegerField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=[str(r) for r in TARGET_ROLES]), required=False, default=list
    )
    organizations = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    publish_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False, default=False)


class NoticeFilterSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=NoticeStatus.choices, required=False)
    q = serializers.CharField(required=False, max_length=80)


class NoticeVersionSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False)


class NoticeWithdrawSerializer(NoticeVersionSerializer):
    reason = serializers.CharField(max_length=200)


class NoticeReachSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="label")
    id = serializers.IntegerField(source="pk", allow_null=True)
    households = serializers.IntegerField()
    read = serializers.IntegerField()
    told = serializers.IntegerField()
    reached = serializers.IntegerField()
    percent = serializers.IntegerField()


class NoticeFiguresSerializer(serializers.Serializer[Any]):
    notice = NoticeReachSerializer()
    buildings = NoticeReachSerializer(many=True)


class NoticeHouseholdSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    building = serializers.IntegerField(source="building_id")
    read_at = serializers.DateTimeField(allow_null=True)
    told_at = serializers.DateTimeField(allow_null=True)
    reached = serializers.BooleanField()

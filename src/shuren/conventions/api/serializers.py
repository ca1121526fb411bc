"""Serializers of the conventions API: conventions, their versions with comments (hidden ones
without their text) and the diff, and a resident's comment."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shuren.api.serializers import StrictSerializer

from ..models import Convention, ConventionVersion
from ..selectors import comments_of, diff_for


class ConventionSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place_label", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Convention
        fields = [
            "id",
            "title",
            "place",
            "area",
            "estate",
            "building",
            "unit",
            "status",
            "status_label",
            "repealed_on",
            "repeal_reason",
            "updated_at",
            "version",
        ]


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.SerializerMethodField()
    hidden_reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_text(self, obj: Any) -> str:
        return "" if obj.hidden_reason else obj.text


class VersionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ConventionVersion
        fields = [
            "id",
            "number",
            "text",
            "change_summary",
            "status",
            "status_label",
            "discussion_opened_at",
            "adopted_via",
            "adopted_reference",
            "adopted_on",
            "published_at",
            "rejection_reason",
        ]


class ConventionDetailSerializer(ConventionSerializer):
    versions = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()

    class Meta(ConventionSerializer.Meta):
        fields = [*ConventionSerializer.Meta.fields, "versions", "diff"]

    def get_versions(self, obj: Convention) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for version in self.context["versions"]:
            data = dict(VersionSerializer(version).data)
            data["comments"] = CommentSerializer(comments_of(version), many=True).data
            rows.append(data)
        return rows

    def get_diff(self, obj: Convention) -> dict[str, Any] | None:
        before, after, lines = diff_for(self.context["versions"], None)
        if before is None:
            return None
        return {
            "from": before.number,
            "to": after.number,
            "lines": [{"kind": ln.kind, "text": ln.text} for ln in lines],
        }


class CommentInSerializer(StrictSerializer):
    text = serializers.CharField(max_length=2000)

"""Serializers of the governance API: strict input for each action, output that shows each caller
what their part allows (residents see claimants' names masked)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuren.api.serializers import StrictSerializer

from .. import selectors, workflow
from ..models import GovernanceItem, ItemKind, ItemSource, ItemStatus, Priority
from ..services.items import STAFF_SOURCES

VERSION_HELP = "The version you read (or send If-Match with the ETag instead)."

# --- input ----------------------------------------------------------------------------------------


class ItemCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False, default=ItemKind.TASK)
    source = serializers.ChoiceField(  # type: ignore[assignment]  # a field named like a Field attribute
        choices=[(s.value, s.label) for s in ItemSource if s in STAFF_SOURCES], required=False, default="staff"
    )
    appeal = serializers.IntegerField(required=False, min_value=1, help_text="For source `appeal`: the appeal's id.")
    governance_list = serializers.IntegerField(required=False, min_value=1)
    area = serializers.IntegerField(required=False, min_value=1, help_text="A community or a grid.")
    estate = serializers.IntegerField(required=False, min_value=1)
    building = serializers.IntegerField(required=False, min_value=1)
    unit = serializers.IntegerField(required=False, min_value=1)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    points = serializers.IntegerField(required=False, min_value=0, max_value=1000, default=0)


class ActionSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class ClaimSerializer(ActionSerializer):
    organization = serializers.IntegerField(
        required=False, min_value=1, help_text="Claim for this organisation (you must be a current member; staff: any)."
    )
    person = serializers.IntegerField(
        required=False, min_value=1, help_text="Staff only: record the claim for this resident."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ItemReasonSerializer(ActionSerializer):
    reason = serializers.CharField(max_length=200)


class ItemOptionalReasonSerializer(ActionSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ItemNoteSerializer(ActionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ItemProgressSerializer(ActionSerializer):
    text = serializers.CharField(max_length=2000)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Photos (multipart/form-data)."
    )


class ItemFilterSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False)
    source = serializers.ChoiceField(choices=ItemSource.choices, required=False)  # type: ignore[assignment]  # a field named like a Field attribute
    governance_list = serializers.IntegerField(required=False, min_value=1)
    overdue = serializers.BooleanField(required=False, default=False)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class FiguresQuerySerializer(StrictSerializer):
    by = serializers.ChoiceField(choices=["community", "grid", "estate", "list"], required=False, default="community")


# --- output ---------------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute
    collected = serializers.IntegerField()
    open = serializers.IntegerField()
    claimed = serializers.IntegerField()
    awaiting_verification = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True, help_text="Done / collected, in percent.")


class FiguresResponseSerializer(serializers.Serializer):
    total = FiguresSerializer()
    by = serializers.CharField()
    rows = FiguresSerializer(many=True)


class ItemSerializer(serializers.Serializer):
    """One item as the caller may see it (``context``: user, staff: bool, claims: {item id: claim})."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute
    appeal = serializers.IntegerField(source="appeal_id", allow_null=True)
    governance_list = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()
    priority = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    points = serializers.IntegerField()
    status = serializers.CharField()
    is_overdue = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    verified_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_governance_list(self, item: GovernanceItem) -> dict[str, Any] | None:
        batch = item.governance_list
        return {"id": batch.pk, "title": batch.title} if batch else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_place(self, item: GovernanceItem) -> dict[str, Any]:
        return {
            "area": item.area_id,
            "estate": item.estate_id,
            "building": item.building_id,
            "unit": item.unit_id,
            "label": item.place_label,
        }

    def get_is_overdue(self, item: GovernanceItem) -> bool:
        return selectors.is_overdue(item, self.context.get("today") or timezone.localdate())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_holder(self, item: GovernanceItem) -> dict[str, Any] | None:
        claims = self.context.get("claims")
        claim = claims.get(item.pk) if claims is not None else selectors.active_claim(item)
        if claim is None:
            return None
        full = self.context.get("staff") or workflow.is_holder(self.context["user"], claim)
        return _holder(claim, full=bool(full))


def _holder(claim: Any, *, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": claim.holder_label if full else claim.public_holder_label,
        "kind": "organization" if claim.organization_id else "person",
        "since": claim.created_at,
    }
    if full:
        data["lapses_at"] = claim.lapses_at
    return data


_DATE, _DATETIME = serializers.DateField(), serializers.DateTimeField()  # DRF's own formatting


def item_rows(
    rows: list[dict[str, Any]], *, user: Any, staff: bool, claims: dict[int, Any], today: Any
) -> list[dict[str, Any]]:
    """``ItemSerializer``'s output for rows read as values (selectors.item_rows_of), with the same
    context (user, staff, the page's active claims, today), without DRF's per-field machinery. A
    claim's holder is named in full to staff and to those who hold it, masked to everyone else, as
    the serializer does. The tests hold the two equal."""
    holds = workflow.holder_test(user)
    items = []
    for row in rows:
        claim = claims.get(row["id"])
        items.append(
            {
                "id": row["id"],
                "reference": row["reference"],
                "kind": row["kind"],
                "title": row["title"],
                "description": row["description"],
                "source": row["source"],
                "appeal": row["appeal_id"],
                "governance_list": None
                if row["governance_list_id"] is None
                else {"id": row["governance_list_id"], "title": row["governance_list__title"]},
                "place": {
                    "area": row["area_id"],
                    "estate": row["estate_id"],
                    "building": row["building_id"],
                    "unit": row["unit_id"],
                    "label": selectors.place_label_of(row),
                },
                "priority": row["priority"],
                "due_on": None if row["due_on"] is None else _DATE.to_representation(row["due_on"]),
                "points": row["points"],
                "status": row["status"],
                "is_overdue": selectors.overdue(row["due_on"], row["status"], today),
                "holder": None if claim is None else _holder(claim, full=bool(staff) or holds(claim)),
                "version": row["version"],
                "created_at": _DATETIME.to_representation(row["created_at"]),
                "verified_at": None if row["verified_at"] is None else _DATETIME.to_representation(row["verified_at"]),
            }
        )
    return items


class UpdateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    text = serializers.CharField()
    points = serializers.IntegerField(allow_null=True)
    photos = serializers.ListField(child=serializers.URLField())


class ItemDetailSerializer(ItemSerializer):
    actions = serializers.SerializerMethodField()
    updates = serializers.SerializerMethodField()

    def get_actions(self, item: GovernanceItem) -> list[str]:
        return workflow.allowed_actions(item, actor=self.context["user"])

    @extend_schema_field(UpdateSerializer(many=True))
    def get_updates(self, item: GovernanceItem) -> list[dict[str, Any]]:
        rows = selectors.timeline_of(item, self.context["user"], staff=bool(self.context.get("staff")))
        return [
            {
                "kind": row["kind"],
                "at": row["at"],
                "actor": str(row["actor"]),
                "text": row["text"],
                "points": row["points"],
                "photos": [
                    reverse("api:governance-item-photo", kwargs={"pk": item.pk, "photo_pk": p.pk})
                    for p in row["photos"]
                ],
            }
            for row in rows
        ]

"""Serializers of the points API. Component names carry the ``Points`` prefix (drf-spectacular
needs them unique across apps). Residents see other people's names masked."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shuren.api.serializers import StrictSerializer

from ..models import AccountKind, EventKind, LedgerEntry, Redemption, Reward, Rule, Scheme, TransactionKind

VERSION_HELP = "The version you read (or send If-Match with the ETag instead)."


class PointsAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    holder = serializers.SerializerMethodField()
    community = serializers.IntegerField(source="community_id")
    community_name = serializers.CharField(source="community.name")
    balance = serializers.IntegerField()

    def get_holder(self, account: Any) -> str:
        return str(account)


class PointsEntrySerializer(serializers.ModelSerializer):
    transaction = serializers.IntegerField(source="transaction_id")
    kind = serializers.CharField(source="transaction.kind")
    kind_label = serializers.CharField(source="transaction.get_kind_display")
    memo = serializers.CharField(source="transaction.memo")
    occurred_on = serializers.DateField(source="transaction.occurred_on")

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "transaction",
            "kind",
            "kind_label",
            "memo",
            "occurred_on",
            "amount",
            "balance_after",
            "expires_on",
            "created_at",
        ]


_DATE, _DATETIME = serializers.DateField(), serializers.DateTimeField()  # DRF's own formatting


def _day(value: Any) -> str | None:
    return None if value is None else _DATE.to_representation(value)


def account_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``PointsAccountSerializer``'s output for rows read as values (selectors.account_rows_of),
    without DRF's per-field machinery. The tests hold the two equal."""
    kinds = dict(AccountKind.choices)
    items = []
    for row in rows:
        if row["person_id"]:
            holder = row["person__name"]
        elif row["organization_id"]:
            holder = row["organization__name"]
        else:
            holder = f"{row['community__name']} · {kinds.get(row['kind'], row['kind'])}"
        items.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "holder": str(holder),
                "community": row["community_id"],
                "community_name": row["community__name"],
                "balance": row["balance"],
            }
        )
    return items


def entry_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``PointsEntrySerializer``'s output for statement rows read as values
    (selectors.entry_rows_of), without DRF's per-field machinery. The tests hold the two equal."""
    kinds = dict(TransactionKind.choices)
    return [
        {
            "id": row["id"],
            "transaction": row["transaction_id"],
            "kind": row["transaction__kind"],
            "kind_label": str(kinds.get(row["transaction__kind"], row["transaction__kind"])),
            "memo": row["transaction__memo"],
            "occurred_on": _day(row["transaction__occurred_on"]),
            "amount": row["amount"],
            "balance_after": row["balance_after"],
            "expires_on": _day(row["expires_on"]),
            "created_at": _DATETIME.to_representation(row["created_at"]),
        }
        for row in rows
    ]


class PointsRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = [
            "id",
            "name",
            "event",
            "scheme",
            "community",
            "points",
            "party_members_only",
            "valid_from",
            "valid_to",
            "is_active",
            "version",
        ]


class PointsRuleInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80)
    event = serializers.ChoiceField(choices=EventKind.choices)
    scheme = serializers.ChoiceField(choices=Scheme.choices, required=False, default=Scheme.RESIDENT)
    community = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    points = serializers.IntegerField(min_value=0, max_value=100000)
    party_members_only = serializers.BooleanField(required=False, default=False)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, default=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class PointsRewardSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", default=None)

    class Meta:
        model = Reward
        fields = [
            "id",
            "community",
            "name",
            "description",
            "supplier",
            "supplier_name",
            "cost",
            "stock",
            "per_person_limit",
            "pickup",
            "available_until",
            "is_active",
            "version",
        ]


class PointsRewardInputSerializer(StrictSerializer):
    community = serializers.IntegerField(required=False, min_value=1, help_text="On create: the community.")
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    supplier = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    cost = serializers.IntegerField(min_value=1, max_value=100000)
    stock = serializers.IntegerField(min_value=0, max_value=1000000)
    per_person_limit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    pickup = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    available_until = serializers.DateField(required=False, allow_null=True, default=None)
    is_active = serializers.BooleanField(required=False, default=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class PointsRewardPatchSerializer(PointsRewardInputSerializer):
    """Partial update: only the fields sent change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class PointsRedemptionSerializer(serializers.ModelSerializer):
    reward_name = serializers.CharField(source="reward.name")
    holder = serializers.SerializerMethodField()

    class Meta:
        model = Redemption
        fields = [
            "id",
            "reward",
            "reward_name",
            "holder",
            "cost",
            "status",
            "pickup_code",
            "created_at",
            "closed_at",
            "cancel_reason",
            "version",
        ]

    def get_holder(self, redemption: Any) -> str:
        return str(redemption.account)


class PointsAdjustmentSerializer(StrictSerializer):
    points = serializers.IntegerField(
        min_value=-100000, max_value=100000, help_text="Positive: credit; negative: debit."
    )
    reason = serializers.CharField(max_length=150)


class PointsReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class PointsTransactionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    source_key = serializers.CharField()
    memo = serializers.CharField()
    occurred_on = serializers.DateField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    entries = serializers.SerializerMethodField()

    def get_entries(self, txn: Any) -> list[dict[str, Any]]:
        return [
            {"account": e.account_id, "amount": e.amount, "balance_after": e.balance_after} for e in txn.entries.all()
        ]


class PointsStandingSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    points = serializers.IntegerField()
    is_me = serializers.BooleanField()


class PointsLeaderboardQuerySerializer(StrictSerializer):
    period = serializers.ChoiceField(choices=["month", "year", "all", "range"], required=False, default="month")
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)
    community = serializers.IntegerField(required=False, min_value=1)
    grid = serializers.IntegerField(required=False, min_value=1)

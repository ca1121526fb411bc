"""The API's period parameters and the shapes of an area and an evaluation in its answers."""

from __future__ import annotations

from typing import Any, cast

from rest_framework import serializers

from shuren.places.models import Area

from ..forms import PRESETS, PeriodForm
from ..models import Evaluation


class InsightsPeriodSerializer(serializers.Serializer):
    preset = serializers.ChoiceField(choices=[p for p, _label in PRESETS], required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        form = PeriodForm({k: str(v) for k, v in attrs.items()})
        if not form.is_valid():
            # The form's messages as DRF lists them (an ErrorList or ErrorDict is a list or dict).
            raise serializers.ValidationError(cast(Any, form.errors.get("__all__") or form.errors))
        return {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}


def area_data(area: Area) -> dict[str, Any]:
    return {"id": area.pk, "name": area.name, "kind": area.kind, "path": area.path}


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation with each indicator's value and score (its scores prefetched)."""
    return {
        "community": area_data(evaluation.community),
        "period_kind": evaluation.period_kind,
        "period_start": evaluation.period_start,
        "period_end": evaluation.period_end,
        "score": evaluation.score,
        "max_score": evaluation.max_score,
        "rank": evaluation.rank,
        "ranked_among": evaluation.ranked_among,
        "scores": [
            {
                "code": s.code,
                "name": s.name,
                "value": s.value,
                "target": s.target,
                "weight": s.weight,
                "score": s.score,
            }
            for s in evaluation.scores.all()
        ],
    }

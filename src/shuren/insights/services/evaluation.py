"""The evaluation index's writes: a period scored and ranked (by staff, or the monthly job), and
the indicators configured by the system administrator."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.scoping import has_action, require
from shuren.places.models import Area

from .. import selectors
from ..evaluation import CENT, Outcome, attainment, check_formula, evaluate, period_of
from ..figures import kpis_of
from ..models import Evaluation, EvaluationScore, Indicator


def evaluate_subdistrict(
    subdistrict: Area, kind: str, start: dt.date, *, now: dt.datetime | None = None
) -> list[Evaluation]:
    """Score every community of ``subdistrict`` for the period and rank them; a period already
    evaluated is evaluated again (with today's indicators) and its ranking replaced."""
    first, last = period_of(kind, start)
    now = now or timezone.now()
    indicators = selectors.active_indicators()
    communities = selectors.communities_of(subdistrict)
    maximum = sum((i.weight for i in indicators), Decimal(0))
    scored: list[tuple[Area, Decimal, list[EvaluationScore]]] = []
    for kpis in kpis_of(communities, first, min(last, timezone.localdate(now))):
        scores = []
        for indicator in indicators:
            value = evaluate(indicator.formula, kpis.values)
            points = (indicator.weight * attainment(value, indicator.target, indicator.direction)).quantize(
                CENT, ROUND_HALF_UP
            )
            scores.append(
                EvaluationScore(
                    indicator=indicator,
                    code=indicator.code,
                    name=indicator.name,
                    formula=indicator.formula,
                    unit=indicator.unit,
                    target=indicator.target,
                    weight=indicator.weight,
                    direction=indicator.direction,
                    value=None if value is None else round(value, 4),
                    score=points,
                )
            )
        scored.append((kpis.area, sum((s.score for s in scores), Decimal(0)), scores))
    scored.sort(key=lambda item: (-item[1], item[0].path))
    evaluations: list[Evaluation] = []
    with transaction.atomic():
        Evaluation.objects.filter(community__in=communities, period_kind=kind, period_start=first).delete()
        for position, (community, total, scores) in enumerate(scored):
            rank = position + 1
            if position and total == scored[position - 1][1]:
                rank = evaluations[-1].rank  # equal scores share a rank
            evaluation = Evaluation.objects.create(
                community=community,
                period_kind=kind,
                period_start=first,
                period_end=last,
                score=total,
                max_score=maximum,
                rank=rank,
                ranked_among=len(scored),
                computed_at=now,
            )
            for score in scores:
                score.evaluation = evaluation
            EvaluationScore.objects.bulk_create(scores)
            evaluations.append(evaluation)
    return evaluations


def evaluate_period(kind: str, start: dt.date, *, under: Area | None = None, now: dt.datetime | None = None) -> Outcome:
    """Evaluate every subdistrict (under ``under`` if given) for the period."""
    total = count = 0
    for subdistrict in selectors.subdistricts(under=under):
        count += 1
        total += len(evaluate_subdistrict(subdistrict, kind, start, now=now))
    return Outcome(subdistricts=count, evaluations=total)


def run_evaluation(*, actor: User, area: Area, kind: str, start: dt.date) -> Outcome:
    """Staff of a subdistrict or district evaluate its communities for a period (audited)."""
    require(actor, "insights.evaluate", area)
    outcome = evaluate_period(kind, start, under=area)
    record_event(
        "insights.evaluate",
        actor=actor,
        obj=area,
        detail={"period": kind, "start": start.isoformat(), "evaluations": outcome.evaluations},
    )
    return outcome


def save_indicator(*, actor: User, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    """Create or change an indicator (the formula is checked first); audited."""
    if not has_action(actor, "insights.configure"):
        raise NotPermitted()
    check_formula(data["formula"])
    for name, value in data.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        record_event("insights.indicator_saved", actor=actor, obj=indicator, detail={"formula": indicator.formula})
    return indicator

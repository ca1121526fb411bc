"""The evaluation index (评估指标体系): indicators as data, a score per community per period and a
ranking within each subdistrict.

An indicator's formula is arithmetic over the KPI names of insights.figures (evaluated with
simpleeval: numbers, names, + - * / ** %, comparisons and min/max/abs/round, nothing else). Its
score is ``weight × attainment``: for "higher is better", value ÷ target capped at 1; for "lower is
better", 1 up to the target and target ÷ value above it. A formula with nothing to count (a rate
of no appeals) scores 0 and shows "—". Communities with equal scores share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simpleeval import SimpleEval

from shuren.audit.services import record_event
from shuren.core.errors import NotPermitted
from shuren.core.scoping import has_action, require
from shuren.places.models import Area, AreaKind

from .figures import KPI_NAMES, kpis_of
from .models import Direction, Evaluation, EvaluationScore, Indicator, PeriodKind

FUNCTIONS = {"min": min, "max": max, "abs": abs, "round": round}
CENT = Decimal("0.01")


def names_in(formula: str) -> set[str]:
    """The KPI names a formula refers to."""
    tree = ast.parse(formula, mode="eval")
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id not in FUNCTIONS}


def check_formula(formula: str) -> None:
    """Raise a ValidationError saying what is wrong with ``formula``, in the user's language."""
    try:
        names = names_in(formula)
    except SyntaxError:
        raise ValidationError(_("The formula is not valid arithmetic.")) from None
    unknown = sorted(names - set(KPI_NAMES))
    if unknown:
        raise ValidationError(_("Unknown KPI names: %(names)s.") % {"names": ", ".join(unknown)})
    try:
        evaluate(formula, dict.fromkeys(KPI_NAMES, 1.0))
    except Exception:  # noqa: BLE001  (simpleeval refuses anything beyond arithmetic: say so)
        raise ValidationError(_("The formula may use numbers, KPI names, + - * / and min, max, abs, round.")) from None


def evaluate(formula: str, values: dict[str, float | None]) -> float | None:
    """The formula's value, or None when a KPI it needs has nothing to count or it divides by 0."""
    needed = names_in(formula)
    if any(values.get(name) is None for name in needed):
        return None
    evaluator = SimpleEval(names={name: values[name] for name in needed}, functions=FUNCTIONS)
    for node in (ast.Attribute, ast.Subscript):  # numbers only: no methods, no indexing
        evaluator.nodes.pop(node, None)
    try:
        result = evaluator.eval(formula)
    except ZeroDivisionError:
        return None
    return float(result)


def attainment(value: float | None, target: Decimal, direction: str) -> Decimal:
    """How far ``value`` reaches ``target``, from 0 to 1."""
    if value is None:
        return Decimal(0)
    value_d, target_d = Decimal(str(value)), Decimal(target)
    if direction == Direction.LOWER:
        return Decimal(1) if value_d <= target_d else target_d / value_d
    return max(Decimal(0), min(Decimal(1), value_d / target_d))


def period_of(kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month, quarter or year that begins at (or contains) ``start``."""
    if kind == PeriodKind.YEAR:
        first = start.replace(month=1, day=1)
        return first, first.replace(month=12, day=31)
    first = start.replace(day=1)
    if kind == PeriodKind.QUARTER:
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    months = 3 if kind == PeriodKind.QUARTER else 1
    following = first
    for _step in range(months):
        following = (following + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


@dataclass(frozen=True)
class Outcome:
    subdistricts: int
    evaluations: int


def evaluate_subdistrict(
    subdistrict: Area, kind: str, start: dt.date, *, now: dt.datetime | None = None
) -> list[Evaluation]:
    """Score every community of ``subdistrict`` for the period and rank them; a period already
    evaluated is evaluated again (with today's indicators) and its ranking replaced."""
    first, last = period_of(kind, start)
    now = now or timezone.now()
    indicators = list(Indicator.objects.filter(is_active=True))
    communities = list(Area.objects.filter(parent=subdistrict, kind=AreaKind.COMMUNITY).order_by("path"))
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
    evaluations = []
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
    subdistricts = Area.objects.filter(kind=AreaKind.SUBDISTRICT)
    if under is not None:
        subdistricts = (
            subdistricts.filter(pk=under.pk)
            if under.kind == AreaKind.SUBDISTRICT
            else subdistricts.filter(path__startswith=under.path + ".")
        )
    total = count = 0
    for subdistrict in subdistricts.order_by("path"):
        count += 1
        total += len(evaluate_subdistrict(subdistrict, kind, start, now=now))
    return Outcome(subdistricts=count, evaluations=total)


def run_evaluation(*, actor: Any, area: Area, kind: str, start: dt.date) -> Outcome:
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


def save_indicator(*, actor: Any, indicator: Indicator, data: dict[str, Any]) -> Indicator:
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

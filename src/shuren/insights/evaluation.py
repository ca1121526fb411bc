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
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from simpleeval import SimpleEval

from .figures import KPI_NAMES
from .models import Direction, PeriodKind

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
    """What an evaluation run did (insights.services.evaluation)."""

    subdistricts: int
    evaluations: int

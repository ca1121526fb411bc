"""The arithmetic of a survey's results, from the answers given (pure: the selectors read the rows).

Per question, over the responses that answered it:

* single and multiple choice — how many chose each option, and the share of those who answered
  (for multiple choice the shares add up to more than 100 %);
* scale — how many gave each number of stars, and the average;
* number — the count, average, smallest, median and largest;
* matrix — per row, how many gave each number of stars, and the row's average;
* free text — the texts (redacted by the caller where the reader is not staff) and the words used
  in most of them (``keywords``).

Shares are percentages rounded half up to one decimal; averages to two decimals. Each question with
figures comes with its chart (``core.charts``), whose table is the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from shuren.core import charts

from .keywords import top_terms
from .models import SCALE_TOP, Question, QuestionKind

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
STARS = tuple(range(1, SCALE_TOP + 1))


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal, half up; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def average(values: Iterable[Decimal | int]) -> Decimal | None:
    items = [Decimal(v) for v in values]
    if not items:
        return None
    return (sum(items, Decimal(0)) / len(items)).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


def median(values: list[Decimal]) -> Decimal | None:
    items = sorted(values)
    if not items:
        return None
    middle = len(items) // 2
    if len(items) % 2:
        return items[middle]
    return ((items[middle - 1] + items[middle]) / 2).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    label: str
    count: int
    share: Decimal | None


@dataclass
class MatrixRow:
    label: str
    counts: list[int]
    answered: int
    average: Decimal | None


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    lines: list[Line] = field(default_factory=list)
    average: Decimal | None = None
    smallest: Decimal | None = None
    largest: Decimal | None = None
    median: Decimal | None = None
    matrix: list[MatrixRow] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    keywords: list[tuple[str, int]] = field(default_factory=list)
    chart: charts.Chart | None = None

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def star_levels(self) -> tuple[int, ...]:
        return STARS


def _choice(question: Question, values: list[Any]) -> QuestionResult:
    counts = [0] * len(question.options)
    for value in values:
        picked = value if isinstance(value, list) else [value]
        for index in picked:
            if isinstance(index, int) and 0 <= index < len(counts):
                counts[index] += 1
    answered = len(values)
    result = QuestionResult(
        question,
        answered=answered,
        lines=[Line(str(option), n, percent(n, answered)) for option, n in zip(question.options, counts, strict=True)],
    )
    result.chart = charts.chart("bar", question.options, [{"name": _("Answers"), "data": counts}], unit=_("answers"))
    return result


def _star_labels() -> list[str]:
    return [_("%(count)d stars") % {"count": n} if n > 1 else _("1 star") for n in STARS]


def _scale(question: Question, values: list[Any]) -> QuestionResult:
    stars = [v for v in values if isinstance(v, int) and 1 <= v <= SCALE_TOP]
    counts = [stars.count(n) for n in STARS]
    result = QuestionResult(
        question,
        answered=len(stars),
        lines=[Line(label, n, percent(n, len(stars))) for label, n in zip(_star_labels(), counts, strict=True)],
        average=average(stars),
    )
    result.chart = charts.chart("bar", _star_labels(), [{"name": _("Answers"), "data": counts}], unit=_("answers"))
    return result


def _number(question: Question, values: list[Any]) -> QuestionResult:
    numbers = []
    for value in values:
        try:
            numbers.append(Decimal(str(value)))
        except ArithmeticError:
            continue
    return QuestionResult(
        question,
        answered=len(numbers),
        average=average(numbers),
        smallest=min(numbers) if numbers else None,
        largest=max(numbers) if numbers else None,
        median=median(numbers),
    )


def _matrix(question: Question, values: list[Any]) -> QuestionResult:
    rows = []
    for index, label in enumerate(question.rows):
        ratings = [v[index] for v in values if isinstance(v, list) and index < len(v) and isinstance(v[index], int)]
        rows.append(MatrixRow(str(label), [ratings.count(n) for n in STARS], len(ratings), average(ratings)))
    result = QuestionResult(question, answered=len(values), matrix=rows)
    result.chart = charts.chart(
        "bar",
        question.rows,
        [{"name": _("Average stars"), "data": [row.average for row in rows]}],
        unit=_("stars"),
        measure=charts.AMOUNT,
    )
    return result


def _text(question: Question, texts: list[str], shown: Callable[[str], str]) -> QuestionResult:
    visible = [shown(t) for t in texts if t.strip()]
    result = QuestionResult(question, answered=len(visible), texts=visible, keywords=top_terms(visible))
    if result.keywords:
        result.chart = charts.chart(
            "bar",
            [word for word, _n in result.keywords],
            [{"name": _("Answers using the word"), "data": [n for _w, n in result.keywords]}],
            unit=_("answers"),
        )
    return result


def tabulate(
    questions: Iterable[Question],
    answers: Iterable[tuple[int, Any, str]],
    *,
    shown: Callable[[str], str] = str,
) -> list[QuestionResult]:
    """Each question's result from ``answers`` — (question id, value, text) rows — in the
    questions' order. ``shown`` turns a free text into what the reader may see (the redaction for
    anyone but staff); keywords are counted on what is shown."""
    values: dict[int, list[Any]] = {}
    texts: dict[int, list[str]] = {}
    for question_id, value, text in answers:
        if text:
            texts.setdefault(question_id, []).append(text)
        if value is not None:
            values.setdefault(question_id, []).append(value)
    results = []
    for question in questions:
        given = values.get(question.pk, [])
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            results.append(_choice(question, given))
        elif question.kind == QuestionKind.SCALE:
            results.append(_scale(question, given))
        elif question.kind == QuestionKind.NUMBER:
            results.append(_number(question, given))
        elif question.kind == QuestionKind.MATRIX:
            results.append(_matrix(question, given))
        else:
            results.append(_text(question, texts.get(question.pk, []), shown))
    return results

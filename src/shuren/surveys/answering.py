"""Checking a response against its questions: what each kind of question accepts, with a message in
the reader's language for each refusal. Pure: the services call it before writing, the answer form
and the API show its messages beside the question they concern (``q_<question id>``).

What comes in is what a form or a JSON body carries, keyed by ``Question.field_name``:

* single choice — the option's index (``2`` or ``"2"``);
* multiple choice — a list of indexes;
* scale — 1 to 5;
* free text — a string (at most ``TEXT_LIMIT`` characters);
* number — a number or its text, between the question's bounds;
* matrix — one rating (1-5) per row, as a list in row order or a mapping of row index to rating.

An empty answer is refused only for a required question; a matrix that is required needs every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import SCALE_TOP, Question, QuestionKind, plain_number

TEXT_LIMIT = 2000


@dataclass(frozen=True)
class Cleaned:
    """One checked answer: ``value`` as stored in ``Answer.value`` and ``text`` for free text."""

    question: Question
    value: Any
    text: str = ""


def _empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set):
        return all(_empty(item) for item in raw)
    if isinstance(raw, Mapping):
        return all(_empty(item) for item in raw.values())
    return False


def _index(raw: Any, count: int) -> int | None:
    if isinstance(raw, bool):
        return None
    try:
        index = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return index if 0 <= index < count else None


def _stars(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    try:
        stars = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return stars if 1 <= stars <= SCALE_TOP else None


def _number_text(value: Decimal) -> str:
    return plain_number(value)


def _clean_one(question: Question, raw: Any) -> Cleaned:
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        index = _index(raw, len(question.options))
        if index is None:
            raise ValidationError(_("Choose one of the options."))
        return Cleaned(question, index)
    if kind == QuestionKind.MULTIPLE:
        items = raw if isinstance(raw, list | tuple | set) else [raw]
        picked = [_index(item, len(question.options)) for item in items if not _empty(item)]
        if any(index is None for index in picked):
            raise ValidationError(_("Choose among the options shown."))
        return Cleaned(question, sorted({index for index in picked if index is not None}))
    if kind == QuestionKind.SCALE:
        stars = _stars(raw)
        if stars is None:
            raise ValidationError(_("Give from 1 to %(top)d stars.") % {"top": SCALE_TOP})
        return Cleaned(question, stars)
    if kind == QuestionKind.TEXT:
        text = str(raw).strip()
        if len(text) > TEXT_LIMIT:
            raise ValidationError(
                _("Write at most %(limit)d characters (you wrote %(count)d).")
                % {"limit": TEXT_LIMIT, "count": len(text)}
            )
        return Cleaned(question, None, text)
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
        except (InvalidOperation, ValueError):
            raise ValidationError(_("Enter a number, such as 3 or 2.5.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number, such as 3 or 2.5."))
        low, high = question.min_value, question.max_value
        if low is not None and high is not None and not low <= number <= high:
            raise ValidationError(
                _("Enter a number from %(low)s to %(high)s.") % {"low": _number_text(low), "high": _number_text(high)}
            )
        if low is not None and number < low:
            raise ValidationError(_("Enter a number of at least %(low)s.") % {"low": _number_text(low)})
        if high is not None and number > high:
            raise ValidationError(_("Enter a number of at most %(high)s.") % {"high": _number_text(high)})
        if number.as_tuple().exponent < -2:  # type: ignore[operator]  # finite, so an int
            raise ValidationError(_("Use at most two decimal places."))
        return Cleaned(question, _number_text(number))
    if kind == QuestionKind.MATRIX:
        rows = len(question.rows)
        if isinstance(raw, Mapping):
            cells = [raw.get(str(i), raw.get(i)) for i in range(rows)]
        elif isinstance(raw, list | tuple):
            cells = list(raw)[:rows] + [None] * max(rows - len(raw), 0)
        else:
            raise ValidationError(_("Rate each row from 1 to %(top)d stars.") % {"top": SCALE_TOP})
        ratings: list[int | None] = []
        for cell in cells:
            if _empty(cell):
                ratings.append(None)
                continue
            stars = _stars(cell)
            if stars is None:
                raise ValidationError(_("Rate each row from 1 to %(top)d stars.") % {"top": SCALE_TOP})
            ratings.append(stars)
        if question.is_required and None in ratings:
            missing = [question.rows[i] for i, r in enumerate(ratings) if r is None]
            raise ValidationError(_("Rate every row; missing: %(rows)s.") % {"rows": "、".join(missing)})
        return Cleaned(question, ratings)
    raise ValidationError(_("This question cannot be answered."))


def clean_answers(questions: Iterable[Question], raw: Mapping[str, Any]) -> list[Cleaned]:
    """Every answer checked against its question, in the questions' order; unanswered optional
    questions are left out. Raises ValidationError naming each question's field (``q_<id>``) with
    what is wrong there, all at once, so that a form shows every problem on the first try."""
    errors: dict[str, list[str]] = {}
    cleaned: list[Cleaned] = []
    known = set()
    for question in questions:
        name = question.field_name
        known.add(name)
        value = raw.get(name)
        if _empty(value):
            if question.is_required:
                errors[name] = [_("Please answer this question.")]
            continue
        try:
            cleaned.append(_clean_one(question, value))
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    unknown = sorted(set(raw) - known)
    for name in unknown:
        errors[name] = [_("This survey has no such question.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def describe(question: Question, value: Any, text: str = "") -> str:
    """An answer in words (the export, the resident's own past answers)."""
    kind = question.kind
    if value is None and not text:
        return ""
    if kind == QuestionKind.SINGLE:
        return _option(question, value)
    if kind == QuestionKind.MULTIPLE:
        return "、".join(_option(question, i) for i in value or [])
    if kind == QuestionKind.SCALE:
        return "★" * int(value)
    if kind == QuestionKind.TEXT:
        return text
    if kind == QuestionKind.NUMBER:
        return str(value)
    if kind == QuestionKind.MATRIX:
        return "；".join(
            f"{row}：{'★' * int(rating)}" for row, rating in zip(question.rows, value or [], strict=False) if rating
        )
    return ""


def _option(question: Question, index: Any) -> str:
    try:
        return str(question.options[int(index)])
    except (IndexError, TypeError, ValueError):
        return "?"

"""Chart payloads: what a chart card draws (``web/static/web/charts.js``, ECharts) and the table of the
same figures behind it. Every chart of every page is built here, so that every chart tells the truth
the same way:

- a count (people, appeals, organisations) is drawn on an axis of whole numbers: no tick at 0.2 or 0.5
  people (``measure=COUNT``, the default); hours, money and scores opt out (``AMOUNT``);
- a rate in percent is drawn on an axis from 0 to 100 (``PERCENT``);
- a line is never smoothed: a day with three appeals between two days with none is a peak, not a wave;
- every category is labelled: bars lie down when their labels would not fit side by side, the labels
  of a long time axis turn;
- a chart with nothing to show says so ("暂无数据") instead of drawing bare axes: no category, or
  every value absent or zero (a rate of 0 % is a figure, so only absent rates leave a rate chart empty).

Views build a ``Chart`` with ``chart(...)`` and hand it to the ``chart_card`` template tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["bar", "line", "pie"]
KINDS: tuple[str, ...] = ("bar", "line", "pie")

COUNT = "count"
PERCENT = "percent"
AMOUNT = "amount"
MEASURES = (COUNT, PERCENT, AMOUNT)

Value = int | float | None


def _value(raw: Any, measure: str) -> Value:
    """A figure as the chart and its table show it: None stays absent; a count is a whole number
    (roll-ups add counts up as floats: 3.0 appeals are shown as 3)."""
    if raw is None or raw == "":
        return None
    number = float(raw) if isinstance(raw, Decimal | str) else raw
    if not isinstance(number, int | float) or isinstance(number, bool):
        raise TypeError(f"a chart value must be a number, not {raw!r}")
    if measure == COUNT:
        if number != int(number):
            raise ValueError(f"a count must be a whole number, not {raw!r} (pass measure=AMOUNT)")
        return int(number)
    return int(number) if isinstance(number, int) else float(number)


@dataclass(frozen=True)
class Series:
    name: str
    data: tuple[Value, ...]


@dataclass(frozen=True)
class Chart:
    """One chart: its kind, the category labels, one or more series aligned with them, the unit
    the table's headings name and what the values measure (COUNT, PERCENT or AMOUNT)."""

    kind: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    measure: str = COUNT

    @property
    def empty(self) -> bool:
        """Nothing to draw: no category, or no value but absent ones or (except rates) zeros."""
        values = [v for s in self.series for v in s.data if v is not None]
        if not self.labels or not values:
            return True
        return self.measure != PERCENT and all(v == 0 for v in values)

    @property
    def integer(self) -> bool:
        return self.measure == COUNT

    def rows(self) -> list[tuple[str, list[Value]]]:
        """The table behind the chart: one row per label, one cell per series."""
        return [(label, [s.data[i] for s in self.series]) for i, label in enumerate(self.labels)]

    def payload(self) -> dict[str, Any]:
        """What charts.js reads (JSON): ``integer`` asks for an axis of whole numbers (minInterval
        1), ``percent`` for an axis from 0 to 100, ``empty`` for the message instead of a chart."""
        return {
            "kind": self.kind,
            "labels": list(self.labels),
            "series": [{"name": s.name, "data": list(s.data)} for s in self.series],
            "unit": self.unit,
            "measure": self.measure,
            "integer": self.integer,
            "percent": self.measure == PERCENT,
            "empty": self.empty,
        }


def chart(
    kind: str,
    labels: Iterable[Any],
    series: Iterable[Mapping[str, Any]],
    *,
    unit: Any = "",
    measure: str = COUNT,
) -> Chart:
    """A chart from its labels and series (``[{"name": …, "data": [numbers aligned with labels]}]``).
    Counts are the default; pass ``measure=PERCENT`` for rates, ``measure=AMOUNT`` for hours, money
    or scores. Raises ValueError when a series does not match the labels or a count is fractional."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}: one of {', '.join(KINDS)}")
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}: one of {', '.join(MEASURES)}")
    names = tuple(str(label) for label in labels)
    built = []
    for s in series:
        data: Sequence[Any] = list(s["data"])
        if len(data) != len(names):
            raise ValueError(f"series {s['name']!s} has {len(data)} values for {len(names)} labels")
        built.append(Series(str(s["name"]), tuple(_value(v, measure) for v in data)))
    if kind == "pie" and len(built) > 1:
        raise ValueError("a pie chart shows one series")
    return Chart(kind=kind, labels=names, series=tuple(built), unit=str(unit), measure=measure)

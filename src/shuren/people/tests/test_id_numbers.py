"""ID numbers in the residents import: a plain, valid number is read directly; every other one is
left to core.validators.parse_id_number. Either way the import takes what parse_id_number gives."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from shuren.core.validators import parse_id_number
from shuren.people.services.imports import plain_id_number

TODAY = dt.date.today()


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    """Mostly well-formed numbers (some provinces unknown, some dates impossible or in the future,
    some check characters wrong), and some of any shape."""
    province = draw(st.sampled_from(["11", "31", "44", "65", "82", "00", "19", "99"]))
    county = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    year = draw(st.integers(min_value=1890, max_value=TODAY.year + 1))
    month = draw(st.integers(min_value=0, max_value=13))
    day = draw(st.integers(min_value=0, max_value=32))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    body = f"{province}{county}{year:04d}{month:02d}{day:02d}{sequence}"
    right = ric.calc_check_digit(body + "0")
    check = draw(st.sampled_from([right, right, right, "X", "x", "0", "9"]))
    number = body + check
    return draw(
        st.sampled_from(
            [number, number, number, number.lower(), f" {number}", number[:17], number + "1", "４" + number[1:]]
        )
    )


def _parsed(text: str) -> tuple[str, dt.date, str] | None:
    try:
        parsed = parse_id_number(text, today=TODAY)
    except ValidationError:
        return None
    return parsed.number, parsed.birth_date, parsed.sex


@settings(deadline=None, max_examples=1000)
@given(st.one_of(id_numbers(), st.text(alphabet="0123456789Xx -", min_size=16, max_size=20)))
def test_a_number_read_directly_is_read_as_parse_id_number_reads_it(text: str) -> None:
    direct = plain_id_number(text, today=TODAY)
    parsed = _parsed(text)
    assert direct is None or direct == parsed
    if parsed is not None and text == parsed[0]:  # typed plainly: never left to the slow path
        assert direct == parsed


def test_the_examples_of_the_template_are_read_directly():
    assert plain_id_number("440602199001011237", today=TODAY) == ("440602199001011237", dt.date(1990, 1, 1), "M")
    assert plain_id_number("11010519491231002X", today=TODAY) == ("11010519491231002X", dt.date(1949, 12, 31), "F")
    assert plain_id_number("440602199001011238", today=TODAY) is None  # wrong check digit: parse_id_number says so

"""ID numbers (GB 11643, python-stdnum) and mobile numbers (phonenumbers)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from shuren.core.validators import normalize_phone, parse_id_number

VALID = [
    "11010519491231002X",
    "34052419800101001X",
    "370101190102039973",
    "360426199101010071",
    "440602199001011237",
    "440106198503152623",
]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_are_accepted(number):
    assert parse_id_number(number).number == number


def test_lower_case_x_and_spaces_are_normalised():
    parsed = parse_id_number(" 110105 19491231 002x ")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"


def test_age_is_computed_from_the_birth_date():
    parsed = parse_id_number("440602199001011237")
    assert parsed.age_on(dt.date(2026, 1, 1)) == 36
    assert parsed.age_on(dt.date(2025, 12, 31)) == 35
    assert parsed.sex == "M"


def test_birth_dates_before_1900_are_refused():
    with pytest.raises(ValidationError) as caught:
        parse_id_number("440524188001010014")  # a correct check digit, but born in 1880
    assert caught.value.code == "birth_date"


@pytest.mark.parametrize(
    "number, code",
    [
        ("", "required"),
        ("1101051949123100", "length"),
        ("11010519491231002Y", "format"),
        ("99010519491231002X", "province"),
        ("110105194902300028", "birth_date"),
        ("110105209901010011", "birth_date"),
        ("11010519491231002 1".replace(" ", ""), "checksum"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as caught:
        parse_id_number(number, today=dt.date(2026, 11, 23))
    assert caught.value.code == code
    assert caught.value.messages[0]


def test_unknown_county_only_flags_the_number():
    body = "11019919800101001"  # Beijing, a county code that python-stdnum does not list
    number = body + ric.calc_check_digit(body + "0")
    parsed = parse_id_number(number)
    assert parsed.county_known is False


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_substitution_is_rejected(number, position, char):
    if number[position] == char:
        return
    mutated = number[:position] + char + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_id_number(mutated)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(VALID), st.integers(0, 16))
def test_any_adjacent_transposition_is_rejected(number, position):
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(ValidationError):
        parse_id_number(swapped)


@pytest.mark.parametrize(
    "raw", ["13800138000", "+86 138 0013 8000", "0086 138-0013-8000", "8613800138000", "+8613800138000"]
)
def test_mobile_numbers_normalise_to_e164(raw):
    assert normalize_phone(raw) == "+8613800138000"


@pytest.mark.parametrize("raw", ["19912345678", "16612345678", "17012345678", "14512345678"])
def test_newer_mobile_ranges_are_accepted(raw):
    assert normalize_phone(raw) == "+86" + raw


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "required"),
        ("12345678901", "invalid"),
        ("10012345678", "invalid"),
        ("02012345678", "not_mobile"),
        ("not a phone", "invalid"),
        ("+1 650 253 0000", "invalid"),
    ],
)
def test_bad_mobile_numbers_are_refused(raw, code):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.code == code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_validators_raise_only_validation_errors(text):
    for validate in (parse_id_number, normalize_phone):
        try:
            validate(text)
        except ValidationError:
            pass


@pytest.mark.django_db
def test_error_messages_are_in_chinese_by_default():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        parse_id_number("11010519491231002 1".replace(" ", ""))
    assert "校验位" in caught.value.messages[0]

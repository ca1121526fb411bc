"""Mobile numbers in the residents import: a plain 11-digit mainland number (1[3-9] and nine
digits) takes phonenumbers' answer for its block of numbers, asked once; the answer is always the
one phonenumbers gives for the number itself."""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.core.validators import normalize_phone
from shuren.people.services import imports


def _outcome(normalize, text: str) -> str:
    try:
        return normalize(text)
    except ValidationError as exc:
        return f"refused: {exc.messages}"


def test_every_block_of_plain_mobile_numbers_is_answered_as_phonenumbers_answers_it():
    """Every five-digit start 13000-19999 (phonenumbers' patterns for mainland numbers look no
    further), twice in one seven-digit block: the second number takes the block's cached answer."""
    imports._MOBILE_BLOCKS.clear()
    rng = random.Random(11)
    for start in range(13000, 20000):
        block = f"{start}{rng.randrange(100):02d}"
        for text in (f"{block}{rng.randrange(10000):04d}", f"{block}{rng.randrange(10000):04d}"):
            assert _outcome(imports.mobile_number, text) == _outcome(normalize_phone, text), text


@settings(deadline=None, max_examples=300)
@given(
    st.one_of(
        st.from_regex(r"1[0-9]{10}", fullmatch=True),
        st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
        st.from_regex(r"(\+86|0086|86)?[ -]?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}", fullmatch=True),
        st.text(alphabet="0123456789１３８+- ", max_size=14),
    ),
    st.integers(min_value=0, max_value=9999),
)
def test_a_mobile_number_is_normalised_as_phonenumbers_normalises_it(text: str, other: int) -> None:
    assert _outcome(imports.mobile_number, text) == _outcome(normalize_phone, text)
    same_block = text[:7] + f"{other:04d}"  # with the block's answer cached by the first
    assert _outcome(imports.mobile_number, same_block) == _outcome(normalize_phone, same_block)

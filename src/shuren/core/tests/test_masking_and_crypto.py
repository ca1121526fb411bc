"""Masked display and encryption at rest."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.core import crypto
from shuren.core.masking import display_name, mask_address, mask_id_number, mask_name, mask_phone


def test_id_number_shows_region_prefix_and_last_four():
    assert mask_id_number("44060219900101123X") == "4406**********123X"


def test_phone_shows_first_three_and_last_four():
    assert mask_phone("+8613800138000") == "138****8000"
    assert mask_phone("13800138000") == "138****8000"


@pytest.mark.parametrize(
    "name, masked",
    [("张三", "张*"), ("李小龙", "李**"), ("欧阳娜娜", "欧阳**"), ("司马光", "司马*"), ("欧阳", "欧*"), ("", "")],
)
def test_names_keep_only_the_surname(name, masked):
    assert mask_name(name) == masked


def test_staff_of_the_grid_see_full_names_others_masked():
    assert display_name("林小梅", full=True) == "林小梅"
    assert display_name("林小梅", full=False) == "林**"


def test_address_keeps_building_and_unit_hides_the_room():
    assert mask_address("3栋2单元1201") == "3栋2单元****"
    assert mask_address("富丰新城5座302室") == "富丰新城5座****"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_an_id_mask_never_contains_the_hidden_digits(body, check):
    number = body + check
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[4:14] == "*" * 10
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_a_phone_mask_never_contains_the_middle_digits(rest):
    phone = "1" + rest
    assert mask_phone(phone) == phone[:3] + "****" + phone[-4:]


def test_encryption_round_trips_and_never_repeats():
    first = crypto.encrypt("11010519491231002X", context="people.Person.id_number")
    second = crypto.encrypt("11010519491231002X", context="people.Person.id_number")
    assert first != second and first.startswith("v1:")
    assert "11010519491231002X" not in first
    assert crypto.decrypt(first, context="people.Person.id_number") == "11010519491231002X"


def test_a_value_moved_to_another_column_does_not_decrypt():
    token = crypto.encrypt("+8613800138000", context="accounts.User.phone")
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, context="people.Person.phone")


def test_blind_index_is_stable_and_separated_by_purpose():
    a = crypto.blind_index("+8613800138000", purpose="accounts.phone")
    assert a == crypto.blind_index("+8613800138000", purpose="accounts.phone")
    assert a != crypto.blind_index("+8613800138000", purpose="people.phone")
    assert "13800138000" not in a


def test_a_different_key_cannot_read_the_data(settings):
    token = crypto.encrypt("secret", context="x")
    settings.SHUREN_PII_KEY = "YW5vdGhlci0zMi1ieXRlLWtleS1mb3ItdGVzdGluZyE="
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, context="x")


@pytest.mark.django_db
def test_user_phone_is_stored_encrypted_with_a_blind_index(make_user):
    from django.db import connection

    from shuren.accounts.models import User

    user = make_user(phone="+8613800138000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_index FROM accounts_user WHERE id = %s", [user.pk])
        stored, index = cursor.fetchone()
    assert "13800138000" not in stored and "13800138000" not in index
    assert User.objects.get_by_phone("+8613800138000") == user

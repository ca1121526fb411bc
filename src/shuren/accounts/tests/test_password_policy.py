"""Password profiles: ASVS (length and blocklists) and MLPS3 (adds character classes and rotation)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from shuren.accounts.models import User
from shuren.accounts.roles import Role


def codes(password: str, user: User | None = None) -> set[str | None]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {error.code for error in exc.error_list}
    return set()


def test_asvs_accepts_a_long_passphrase_without_composition_rules(settings):
    settings.SHUREN_PASSWORD_PROFILE = "ASVS"
    assert codes("correct horse battery staple") == set()


def test_short_common_and_context_passwords_are_refused(settings):
    settings.SHUREN_PASSWORD_PROFILE = "ASVS"
    assert "password_too_short" in codes("Ab1!short")
    assert "password_too_common" in codes("password1234")
    assert "password_context" in codes("shuren-community-2026")
    assert "password_context" in codes("aaaaaaaaaaaaaaa")


def test_at_most_128_characters(settings):
    assert "password_too_long" in codes("x1Y!" * 40)
    assert codes("long passphrase " * 4) == set()  # 64 characters are fine


def test_similarity_to_the_users_own_name_is_refused():
    user = User(username="liangxiaoting", full_name="liangxiaoting")
    assert "password_too_similar" in codes("liangxiaoting1", user)


def test_mlps3_requires_three_character_classes(settings):
    settings.SHUREN_PASSWORD_PROFILE = "MLPS3"
    assert "password_classes" in codes("correct horse battery staple")
    assert codes("Correct horse battery 7") == set()


def test_minimum_length_never_drops_below_eight(settings):
    settings.SHUREN_PASSWORD_MIN_LENGTH = 4
    assert "password_too_short" in codes("Ab1!xyz")


@pytest.mark.django_db
def test_mlps3_forces_a_change_of_an_old_password(settings, client, make_user, tree):
    from conftest import PASSWORD

    settings.SHUREN_PASSWORD_PROFILE = "MLPS3"
    user = make_user(Role.RESIDENT, tree["grid_a1"], username="old-password")
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.post("/accounts/login/", {"identity": "old-password", "password": PASSWORD})
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    settings.SHUREN_PASSWORD_PROFILE = "ASVS"
    assert client.get("/me/").status_code == 200

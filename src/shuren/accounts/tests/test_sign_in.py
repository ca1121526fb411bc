"""Signing in: username or mobile, lockout after five failures, generic errors, session rotation."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PASSWORD
from freezegun import freeze_time

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, identity, password=PASSWORD):
    return client.post(LOGIN, {"identity": identity, "password": password})


@pytest.fixture
def resident(make_user, tree):
    return make_user(Role.RESIDENT, tree["grid_a1"], username="linxiaomei", phone="+8613800138001")


@pytest.mark.parametrize("identity", ["linxiaomei", "13800138001", "+86 138 0013 8001", "008613800138001"])
def test_resident_signs_in_with_username_or_any_spelling_of_the_mobile(client, resident, identity):
    response = sign_in(client, identity)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_wrong_password_and_unknown_account_get_the_same_answer(client, resident):
    wrong = sign_in(client, "linxiaomei", "not-the-password")
    unknown = sign_in(client, "nobody-at-all", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["error"] == unknown.context["error"]


def test_five_failures_lock_the_account_for_fifteen_minutes(client, resident):
    with freeze_time("2026-11-23 09:00:00"):
        for _ in range(5):
            sign_in(client, "linxiaomei", "wrong-password")
        locked = sign_in(client, "linxiaomei")
        assert locked.status_code == 429
        assert "15" in str(locked.context["error"])
        assert "_auth_user_id" not in client.session
    with freeze_time("2026-11-23 09:14:00"):
        # Trying again while locked counts as another failure and restarts the 15 minutes.
        assert sign_in(client, "linxiaomei").status_code == 429
    with freeze_time("2026-11-23 09:29:30"):
        assert sign_in(client, "linxiaomei").status_code == 302


def test_failures_by_phone_and_by_username_count_together(client, resident):
    for identity in ("linxiaomei", "13800138001", "linxiaomei", "+8613800138001", "13800138001"):
        sign_in(client, identity, "wrong-password")
    assert sign_in(client, "linxiaomei").status_code == 429


def test_unknown_accounts_lock_out_with_the_same_words(client, resident):
    for _ in range(5):
        sign_in(client, "ghost-account", "wrong-password")
    ghost = sign_in(client, "ghost-account", "wrong-password")
    for _ in range(5):
        sign_in(client, "linxiaomei", "wrong-password")
    real = sign_in(client, "linxiaomei", "wrong-password")
    assert ghost.status_code == real.status_code == 429
    assert ghost.context["error"] == real.context["error"]


def test_one_address_is_throttled_after_many_failures_across_accounts(client, make_user, tree, settings):
    settings.SHUREN_LOGIN_IP_FAILURE_LIMIT = 6
    for n in range(6):
        sign_in(client, f"someone-{n}", "wrong-password")
    make_user(Role.RESIDENT, tree["grid_a1"], username="innocent")
    assert sign_in(client, "innocent").status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_throttled").exists()


def test_session_id_changes_at_sign_in(client, resident):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, "linxiaomei")
    assert client.session.session_key != before


def test_every_attempt_is_audited_without_the_phone_number(client, resident):
    sign_in(client, "13800138001", "wrong-password")
    sign_in(client, "linxiaomei")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.outcome == "failure" and failed.detail["identity"] == "linxiaomei"
    assert AuditEvent.objects.filter(action="auth.login", actor=resident, outcome="success").exists()
    assert "13800138001" not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_disabled_accounts_cannot_sign_in(client, resident):
    resident.is_active = False
    resident.save()
    assert sign_in(client, "linxiaomei").status_code == 200
    assert "_auth_user_id" not in client.session


def test_next_parameter_cannot_send_users_to_another_site(client, resident):
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"identity": "linxiaomei", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_out_ends_the_session(client, resident):
    sign_in(client, "linxiaomei")
    assert client.get("/me/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302


def test_dormant_accounts_are_disabled(resident, make_user, tree):
    from shuren.accounts.services import disable_dormant_accounts

    with freeze_time(dt.datetime.now() - dt.timedelta(days=200)):
        old = make_user(Role.RESIDENT, tree["grid_a1"], username="long-gone")
    assert disable_dormant_accounts(days=90) == ["long-gone"]
    old.refresh_from_db()
    assert not old.is_active

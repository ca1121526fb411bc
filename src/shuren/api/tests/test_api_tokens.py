"""API tokens: stored as hashes, several per user, ending like a session (lifetime, idle timeout),
revoked with the password, the account, "sign out everywhere" or by the user."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from conftest import PASSWORD
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuren.accounts.models import ApiToken
from shuren.accounts.roles import Role
from shuren.accounts.services import disable_user, enable_user
from shuren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def ask(client, **body):
    return client.post(TOKEN, data=json.dumps(body), content_type="application/json")


def me(client, key):
    return client.get(ME, HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def resident(make_user, tree):
    return make_user(Role.RESIDENT, tree["grid_a1"], username="lin", phone="+8613800138001")


def test_only_a_hash_of_the_key_is_stored_and_the_answer_says_when_it_expires(client, resident):
    response = ask(client, username="lin", password=PASSWORD, name="小区门禁同步")
    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    token = ApiToken.objects.get(user=resident)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert body["prefix"] == token.key_prefix == key[:12] and len(key) > 40
    assert body["name"] == "小区门禁同步"
    assert body["expires_at"] and body["idle_timeout_seconds"] == 15 * 60
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(key in str(value) for value in row.values())


def test_a_user_holds_several_tokens_and_deleting_one_leaves_the_others(client, resident):
    first = ask(client, username="lin", password=PASSWORD, name="手机").json()["token"]
    second = ask(client, username="lin", password=PASSWORD, name="电脑").json()["token"]
    assert first != second
    assert me(client, first).status_code == me(client, second).status_code == 200
    assert client.delete(TOKEN, HTTP_AUTHORIZATION=f"Token {first}").status_code == 204
    assert me(client, first).status_code == 401
    assert me(client, second).status_code == 200
    assert client.delete(TOKEN, HTTP_AUTHORIZATION=f"Token {first}").status_code == 401


def test_a_token_ends_after_its_absolute_lifetime_even_when_busy(client, resident):
    with freeze_time("2026-12-01 08:00:00") as clock:
        key = ask(client, username="lin", password=PASSWORD).json()["token"]
        for _ in range(11 * 6):  # in use every ten minutes for eleven hours
            clock.tick(dt.timedelta(minutes=10))
            assert me(client, key).status_code == 200
        clock.tick(dt.timedelta(minutes=61))  # 12 h 1 min after it was issued, last used 1 h ago
        clock.move_to("2026-12-01 20:00:01")
        response = me(client, key)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Token")


def test_an_unused_token_ends_after_the_idle_timeout(client, resident, settings):
    with freeze_time("2026-12-01 08:00:00") as clock:
        key = ask(client, username="lin", password=PASSWORD).json()["token"]
        clock.tick(dt.timedelta(minutes=14))
        assert me(client, key).status_code == 200
        clock.tick(dt.timedelta(minutes=14))
        assert me(client, key).status_code == 200
        clock.tick(dt.timedelta(minutes=15, seconds=1))
        assert me(client, key).status_code == 401


def test_token_lifetimes_are_settings_of_their_own(client, resident, settings):
    settings.SHUREN_API_TOKEN_IDLE_SECONDS = 120
    settings.SHUREN_API_TOKEN_ABSOLUTE_SECONDS = 600
    with freeze_time("2026-12-01 08:00:00") as clock:
        body = ask(client, username="lin", password=PASSWORD).json()
        assert body["idle_timeout_seconds"] == 120
        assert body["expires_at"].startswith("2026-12-01T16:10:00")  # Asia/Shanghai
        clock.tick(dt.timedelta(seconds=121))
        assert me(client, body["token"]).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(client, resident):
    with freeze_time("2026-12-01 08:00:00") as clock:
        key = ask(client, username="lin", password=PASSWORD).json()["token"]
        token = ApiToken.objects.get(user=resident)
        clock.tick(dt.timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                assert me(client, key).status_code == 200
        assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"]]
        clock.tick(dt.timedelta(seconds=31))
        assert me(client, key).status_code == 200
        token.refresh_from_db()
        assert token.last_used_at.isoformat().startswith("2026-12-01T08:01:01")


def test_changing_the_password_revokes_every_token(client, resident):
    key = ask(client, username="lin", password=PASSWORD).json()["token"]
    browser = Client()
    browser.post("/accounts/login/", {"identity": "lin", "password": PASSWORD})
    changed = browser.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Brand-new-pass-2027", "new_password2": "Brand-new-pass-2027"},
    )
    assert changed.status_code == 302
    assert me(client, key).status_code == 401
    assert ApiToken.objects.get(user=resident).revoked_reason == "password-changed"


def test_a_password_set_by_anyone_else_revokes_the_tokens_too(client, resident):
    key = ask(client, username="lin", password=PASSWORD).json()["token"]
    resident.set_password("Set-by-the-office-2027")
    resident.save()
    assert me(client, key).status_code == 401


def test_disabling_the_account_revokes_its_tokens_for_good(client, resident, user_for_role):
    admin = user_for_role(Role.SECURITY_ADMIN)
    key = ask(client, username="lin", password=PASSWORD).json()["token"]
    disable_user(actor=admin, user=resident, reason="迁出")
    assert me(client, key).status_code == 401
    enable_user(actor=admin, user=resident)
    assert me(client, key).status_code == 401


def test_a_token_of_an_inactive_user_is_refused(client, resident):
    key = ask(client, username="lin", password=PASSWORD).json()["token"]
    type(resident).objects.filter(pk=resident.pk).update(is_active=False)
    assert me(client, key).status_code == 401


def test_signing_out_everywhere_ends_sessions_and_tokens(client, resident):
    key = ask(client, username="lin", password=PASSWORD).json()["token"]
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post("/accounts/login/", {"identity": "lin", "password": PASSWORD})
        assert browser.get("/me/").status_code == 200
    response = laptop.post("/accounts/security/sign-out-everywhere/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert laptop.get("/me/").status_code == phone.get("/me/").status_code == 302
    assert me(client, key).status_code == 401
    assert AuditEvent.objects.filter(action="auth.sign_out_everywhere", actor=resident).exists()


def test_issuing_and_revoking_are_audited_without_the_key(client, resident):
    key = ask(client, username="lin", password=PASSWORD).json()["token"]
    client.delete(TOKEN, HTTP_AUTHORIZATION=f"Token {key}")
    issued = AuditEvent.objects.get(action="auth.token_issued")
    revoked = AuditEvent.objects.get(action="auth.token_revoked")
    assert issued.actor == revoked.actor == resident
    assert issued.detail["prefix"] == key[:12]
    assert key not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=80))
def test_made_up_keys_are_refused_with_401(client, resident, garbage):
    assert me(client, garbage).status_code == 401
    assert me(client, "srt_" + garbage).status_code == 401


def test_the_old_plain_text_tokens_are_gone():
    from django.conf import settings as django_settings

    assert "rest_framework.authtoken" not in django_settings.INSTALLED_APPS
    assert all("authtoken" not in c for c in django_settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"])

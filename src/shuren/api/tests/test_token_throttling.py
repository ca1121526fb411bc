"""The token endpoint shares the sign-in lockout and the per-address throttle, and has a request
rate of its own; every refusal is a 429 problem with Retry-After."""

from __future__ import annotations

import json

import pytest
from conftest import PASSWORD

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"


def ask(client, **body):
    return client.post(TOKEN, data=json.dumps(body), content_type="application/json")


def assert_too_many(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429


def test_wrong_passwords_for_many_accounts_from_one_address_are_stopped(client, make_user, tree, settings):
    settings.SHUREN_LOGIN_IP_FAILURE_LIMIT = 5
    make_user(Role.RESIDENT, tree["grid_a1"], username="zhou")
    for n in range(5):
        assert ask(client, username=f"guess-{n}", password="wrong-wrong-wrong").status_code == 401
    # The sixth try names yet another account, and even the right password is not checked.
    assert_too_many(ask(client, username="zhou", password=PASSWORD))
    assert_too_many(ask(client, username="guess-99", password="wrong-wrong-wrong"))
    assert AuditEvent.objects.filter(action="auth.login_throttled", detail__purpose="api_token").exists()
    # The sign-in page from the same address is throttled alike.
    assert client.post("/accounts/login/", {"identity": "zhou", "password": PASSWORD}).status_code == 429


def test_a_locked_account_is_refused_with_retry_after(client, make_user, tree):
    make_user(Role.RESIDENT, tree["grid_a1"], username="chen")
    for _ in range(4):
        assert ask(client, username="chen", password="wrong-wrong-wrong").status_code == 401
    assert_too_many(ask(client, username="chen", password="wrong-wrong-wrong"))
    assert_too_many(ask(client, username="chen", password=PASSWORD))
    assert AuditEvent.objects.filter(action="auth.locked_out", detail__purpose="api_token").exists()


def test_failures_at_the_token_endpoint_lock_the_sign_in_page(client, make_user, tree):
    make_user(Role.RESIDENT, tree["grid_a1"], username="wu", phone="+8613900139001")
    for _ in range(3):
        ask(client, username="13900139001", password="wrong-wrong-wrong")
    for _ in range(2):
        client.post("/accounts/login/", {"identity": "wu", "password": "wrong-wrong-wrong"})
    assert client.post("/accounts/login/", {"identity": "wu", "password": PASSWORD}).status_code == 429
    assert_too_many(ask(client, username="wu", password=PASSWORD))


def test_every_failed_attempt_is_audited_with_where_it_came_from(client, make_user, tree):
    make_user(Role.RESIDENT, tree["grid_a1"], username="he")
    ask(client, username="he", password="wrong-wrong-wrong")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.outcome == "failure"
    assert failed.detail == {"identity": "he", "purpose": "api_token"}


def test_the_token_endpoint_has_a_request_rate_per_address(client, make_user, tree, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "3/min"},
    }
    make_user(Role.RESIDENT, tree["grid_a1"], username="ma")
    for _ in range(3):
        assert ask(client, username="ma", password=PASSWORD).status_code == 200
    assert_too_many(ask(client, username="ma", password=PASSWORD))
    # Another address is not affected.
    other = client.post(
        TOKEN,
        data=json.dumps({"username": "ma", "password": PASSWORD}),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200

"""API tokens (with the lockout and the second factor) and the health probes."""

from __future__ import annotations

import json

import pytest
from conftest import PASSWORD
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuren.accounts.roles import Role

pytestmark = pytest.mark.django_db


def ask(client, **body):
    return client.post("/api/v1/auth/token/", data=json.dumps(body), content_type="application/json")


def test_resident_gets_a_token_and_uses_it(client, make_user, tree):
    make_user(Role.RESIDENT, tree["grid_a1"], username="lin", phone="+8613800138001")
    response = ask(client, username="13800138001", password=PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "lin"
    assert client.delete("/api/v1/auth/token/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 204
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_staff_need_a_valid_code_for_a_token(client, make_user, tree):
    user = make_user(Role.COMMUNITY_STAFF, tree["com_a"], username="li")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert ask(client, username="li", password=PASSWORD, otp=code).status_code == 200
    # A code works once; without a code, or with a wrong one, there is no token.
    assert ask(client, username="li", password=PASSWORD, otp=code).status_code == 401
    assert ask(client, username="li", password=PASSWORD).status_code == 401
    assert ask(client, username="li", password=PASSWORD, otp="000000").status_code == 401


def test_wrong_passwords_lock_the_token_endpoint_too(client, make_user, tree):
    make_user(Role.RESIDENT, tree["grid_a1"], username="chen")
    for _ in range(4):
        response = ask(client, username="chen", password="wrong-wrong-wrong")
        assert response.status_code == 401
    assert ask(client, username="chen", password="wrong-wrong-wrong").status_code == 429  # the fifth locks
    locked = ask(client, username="chen", password=PASSWORD)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/problem+json"
    make_user(Role.RESIDENT, tree["grid_a1"], username="wang")
    known = ask(client, username="wang", password="wrong-wrong-wrong")
    unknown = ask(client, username="nobody-here", password="wrong-wrong-wrong")
    assert known.status_code == unknown.status_code == 401
    assert known.json() == unknown.json()  # nothing tells an existing account from a missing one


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_ready_when_migrations_are_applied(client):
    response = client.get("/readyz")
    assert response.status_code == 200


def test_readyz_reports_pending_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


def test_readyz_reports_an_unreachable_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "connection refused" not in response.content.decode()

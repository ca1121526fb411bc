"""Every place that checks a typed password (sign-in, re-authentication, the old password of a
password change) shares one lockout and one per-address throttle, and audits each attempt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import PASSWORD, confirmed_seconds_ago
from django.test import Client

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
REAUTH = "/accounts/reauth/"
NEW = "Brand-new-pass-2027"


@pytest.fixture
def resident(make_user, tree):
    return make_user(Role.RESIDENT, tree["grid_a1"], username="linxiaomei")


@pytest.fixture
def signed_in(client, resident):
    assert client.post("/accounts/login/", {"identity": "linxiaomei", "password": PASSWORD}).status_code == 302
    confirmed_seconds_ago(client, 10**6)
    return client


def test_reauthentication_locks_after_five_failures_and_the_lock_refuses_sign_in(signed_in):
    for _ in range(4):
        assert signed_in.post(REAUTH, {"password": "wrong-password"}).status_code == 200
    locked = signed_in.post(REAUTH, {"password": "wrong-password"})
    assert locked.status_code == 429
    # The right password no longer helps, here or at the sign-in page of another device.
    again = signed_in.post(REAUTH, {"password": PASSWORD, "next": "/me/"})
    assert again.status_code == 429 and "15" in again.content.decode()
    assert Client().post("/accounts/login/", {"identity": "linxiaomei", "password": PASSWORD}).status_code == 429


def test_reauthentication_attempts_are_audited(signed_in, resident):
    signed_in.post(REAUTH, {"password": "wrong-password"})
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.detail == {"identity": "linxiaomei", "purpose": "reauth"}
    assert AuditEvent.objects.filter(action="auth.reauth", outcome="failure", actor=resident).exists()


def test_sign_in_failures_count_towards_the_reauthentication_lock(signed_in):
    for _ in range(5):
        Client().post("/accounts/login/", {"identity": "linxiaomei", "password": "wrong-password"})
    assert signed_in.post(REAUTH, {"password": PASSWORD}).status_code == 429


def test_a_right_password_at_reauthentication_clears_earlier_failures(signed_in):
    for _ in range(4):
        signed_in.post(REAUTH, {"password": "wrong-password"})
    assert signed_in.post(REAUTH, {"password": PASSWORD, "next": "/me/"})["Location"] == "/me/"
    for _ in range(4):
        assert signed_in.post(REAUTH, {"password": "wrong-password"}).status_code == 200


def test_the_old_password_of_a_password_change_goes_through_the_lockout(signed_in):
    def change(old):
        return signed_in.post("/accounts/password/", {"old_password": old, "new_password1": NEW, "new_password2": NEW})

    for _ in range(4):
        assert change("wrong-password").status_code == 200
    assert change("wrong-password").status_code == 429
    refused = change(PASSWORD)
    assert refused.status_code == 429 and refused.context["form"].data["new_password1"] == NEW
    assert Client().post("/accounts/login/", {"identity": "linxiaomei", "password": PASSWORD}).status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_failed", detail__purpose="password_change").count() >= 4


def test_the_address_throttle_covers_reauthentication(signed_in, settings):
    settings.SHUREN_LOGIN_IP_FAILURE_LIMIT = 3
    for n in range(3):
        Client().post("/accounts/login/", {"identity": f"someone-{n}", "password": "wrong-password"})
    assert signed_in.post(REAUTH, {"password": PASSWORD}).status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_throttled", detail__purpose="reauth").exists()


ALLOWED = {"accounts/credentials.py", "accounts/backends.py"}


def test_no_code_checks_a_typed_password_outside_the_shared_guard():
    """authenticate() and check_password() are called only by accounts.credentials (and the
    authentication backend it drives); anything else would bypass the lockout and throttle."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.contrib.auth":
                if {a.name for a in node.names} & {"authenticate", "aauthenticate"}:
                    offenders.append(f"{relative}:{node.lineno}")
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in {"check_password", "acheck_password"}:
                    offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []

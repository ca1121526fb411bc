"""Deployment configuration and web security headers (SECURITY.md OPS 30; tests S1, S5, S9)."""

from __future__ import annotations

import base64
import logging
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from shuren.core.logging import RedactPiiFilter


def _prod_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "shuren.settings.prod",
            "SHUREN_SECRET_KEY": "prod-check-" + "k" * 60,
            "SHUREN_PII_KEY": base64.b64encode(b"p" * 32).decode(),
            "SHUREN_BLIND_INDEX_KEY": base64.b64encode(b"b" * 32).decode(),
            "SHUREN_AUDIT_KEY": base64.b64encode(b"a" * 32).decode(),
            "SHUREN_AUDIT_CHECKPOINT_DIR": "/tmp/shuren-prod-check/audit",
            "SHUREN_ALLOWED_HOSTS": "shuren.example.org",
            "SHUREN_VAR_DIR": "/tmp/shuren-prod-check",
            # Text messages go through a real provider in production (the console one only prints).
            "SHUREN_SITE_URL": "https://shuren.example.org",
            "SHUREN_SMS_PROVIDER": "aliyun",
            "SHUREN_SMS_ALIYUN_ACCESS_KEY_ID": "LTAI-prod-check",
            "SHUREN_SMS_ALIYUN_ACCESS_KEY_SECRET": "s" * 30,
            "SHUREN_SMS_SIGN_NAME": "熟人社区",
        }
    )
    return env


def test_production_settings_pass_the_deploy_check_at_warning_level() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "shuren", "check", "--deploy", "--fail-level", "WARNING"],
        env=_prod_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_the_audit_key_and_checkpoint_directory() -> None:
    env = _prod_env()
    del env["SHUREN_AUDIT_KEY"], env["SHUREN_AUDIT_CHECKPOINT_DIR"]
    result = subprocess.run(
        [sys.executable, "-m", "shuren", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SHUREN_AUDIT_KEY" in result.stderr and "SHUREN_AUDIT_CHECKPOINT_DIR" in result.stderr


def test_production_refuses_to_start_without_its_keys() -> None:
    env = _prod_env()
    del env["SHUREN_PII_KEY"]
    result = subprocess.run(
        [sys.executable, "-m", "shuren", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SHUREN_PII_KEY" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)
def test_https_responses_carry_hsts(client) -> None:
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached_and_cookies_are_http_only(client, make_user, tree) -> None:
    from conftest import PASSWORD

    make_user("resident", tree["grid_a1"], username="cookie_check")
    response = client.post("/accounts/login/", {"identity": "cookie_check", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["shuren_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    page = client.get("/me/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"


def test_log_records_never_carry_id_or_mobile_numbers() -> None:
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPiiFilter())
    logger = logging.getLogger("shuren.test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("import row %s: id %s phone %s", 12, "11010519491231002X", "+8613800138000")
        logger.warning("plain 13800138000 in text")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "11010519491231002X" not in text and "13800138000" not in text
    assert "1101**********002X" in text and "138****8000" in text
    assert "import row 12" in text


def test_no_route_puts_personal_data_in_the_url() -> None:
    from tests.routes import all_routes

    # A page about a phone number ("change my mobile number") is fine; a number in the path is not.
    parameter = re.compile(r"<(?:\w+:)?\w*(?:phone|mobile|id_number|idcard)\w*>")
    suspicious = [r.name for r in all_routes() if parameter.search(str(r.pattern))]
    assert suspicious == []
    assert parameter.search("people/<str:phone>/") and parameter.search("lookup/<id_number>/")


def test_the_deploy_check_refuses_the_console_text_message_provider() -> None:
    env = _prod_env()
    env["SHUREN_SMS_PROVIDER"] = "console"
    result = subprocess.run(
        [sys.executable, "-m", "shuren", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "shuren.E040" in result.stdout + result.stderr


def test_the_deploy_check_wants_the_sites_public_address_for_the_links_of_messages() -> None:
    env = _prod_env()
    del env["SHUREN_SITE_URL"]
    result = subprocess.run(
        [sys.executable, "-m", "shuren", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "shuren.E045" in result.stdout + result.stderr


@pytest.mark.parametrize(("pooling", "expected"), [(None, "False"), ("1", "True")])
def test_transaction_pooling_turns_off_server_side_cursors(pooling: str | None, expected: str) -> None:
    """Behind PgBouncer in transaction mode (docs/deploy.md, "Scaling out") a server-side cursor would
    be lost between two transactions; SHUREN_DB_TRANSACTION_POOLING=1 turns them off."""
    env = _prod_env() | {"DATABASE_URL": "postgres://shuren@pgbouncer:6432/shuren", "SHUREN_DB_CONN_MAX_AGE": "600"}
    if pooling is not None:
        env["SHUREN_DB_TRANSACTION_POOLING"] = pooling
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; print(db['DISABLE_SERVER_SIDE_CURSORS'], db['CONN_MAX_AGE'], db['PORT'])"
    )
    result = subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, "600", "6432"]

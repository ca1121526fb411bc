"""Second factor for staff and admin roles; idle, absolute and re-authentication windows."""

from __future__ import annotations

import time

import pytest
from conftest import PASSWORD, confirmed_seconds_ago
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuren.accounts.roles import ADMIN_ROLES, Role
from shuren.accounts.services import disable_user, reset_mfa

pytestmark = pytest.mark.django_db


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    return client.post("/accounts/login/", {"identity": user.username, "password": PASSWORD})


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.RESIDENT, Role.VOLUNTEER}))
def test_every_staff_and_admin_role_must_pass_a_second_factor(client, user_for_role, role):
    user = user_for_role(role)
    response = sign_in(client, user)
    assert "/accounts/mfa/setup/" in response["Location"]
    # Nothing else is reachable before enrolment.
    for path in ("/dashboard/", "/places/areas/", "/audit/", "/admin/accounts/users/"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and "/accounts/mfa/" in blocked["Location"], path
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER])
def test_residents_and_volunteers_sign_in_with_a_password_alone(client, user_for_role, role):
    user = user_for_role(role)
    assert sign_in(client, user)["Location"] == "/"
    assert client.get("/me/").status_code == 200


def test_enrolment_then_verification_with_single_use_codes(client, user_for_role):
    user = user_for_role(Role.GRID_WORKER)
    sign_in(client, user)
    client.get("/accounts/mfa/setup/")
    device = TOTPDevice.objects.get(user=user)
    assert client.post("/accounts/mfa/setup/", {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    code = code_for(device)
    assert client.post("/accounts/mfa/setup/", {"token": code, "next": "/dashboard/"})["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, user)
    # The same code cannot be used twice.
    assert client.post("/accounts/mfa/verify/", {"token": code}).status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_an_mfa_reset_forces_enrolment_again(client, user_for_role, verified_client):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    admin = user_for_role(Role.SECURITY_ADMIN)
    verified_client(staff)
    assert client.get("/dashboard/").status_code == 200
    reset_mfa(actor=admin, user=staff)
    assert client.get("/dashboard/").status_code == 302  # session ended
    sign_in(client, staff)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/mfa/setup/" in response["Location"]


def test_idle_sessions_end_after_the_idle_timeout(client, user_for_role, verified_client, settings):
    verified_client(user_for_role(Role.COMMUNITY_STAFF))
    assert client.get("/dashboard/").status_code == 200
    session = client.session
    session["shuren_seen_at"] = time.time() - settings.SHUREN_SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_session_alive_without_rewriting_it_on_every_request(client, user_for_role, verified_client):
    from django.contrib.sessions.models import Session

    verified_client(user_for_role(Role.COMMUNITY_STAFF))
    session = client.session
    session["shuren_seen_at"] = time.time() - 600  # ten minutes idle: still within the timeout
    session.save()
    assert client.get("/dashboard/").status_code == 200
    seen = client.session["shuren_seen_at"]
    assert time.time() - seen < 5  # the activity is recorded
    row = Session.objects.get(session_key=client.session.session_key).session_data
    for _ in range(3):  # within the minute, pages read the session and leave its row alone
        assert client.get("/dashboard/").status_code == 200
    assert Session.objects.get(session_key=client.session.session_key).session_data == row


def test_sessions_end_after_the_absolute_lifetime_even_when_busy(client, user_for_role, verified_client, settings):
    verified_client(user_for_role(Role.COMMUNITY_STAFF))
    session = client.session
    session["shuren_login_at"] = time.time() - settings.SHUREN_SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    assert client.get("/dashboard/").status_code == 302


def test_disabling_a_user_ends_their_sessions_at_once(client, user_for_role, verified_client):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    verified_client(staff)
    assert client.get("/dashboard/").status_code == 200
    disable_user(actor=user_for_role(Role.SECURITY_ADMIN), user=staff, reason="离职")
    assert client.get("/dashboard/").status_code == 302


def test_sensitive_actions_need_a_recent_reauthentication(client, user_for_role, verified_client, settings):
    verified_client(user_for_role(Role.COMMUNITY_STAFF))
    confirmed_seconds_ago(client, settings.SHUREN_REAUTH_SECONDS + 5)
    response = client.get("/places/areas/export/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauth/")


def test_reauthentication_needs_password_and_a_fresh_code_for_staff(client, user_for_role, verified_client, settings):
    staff = user_for_role(Role.COMMUNITY_STAFF)
    verified_client(staff)
    confirmed_seconds_ago(client, 10**9)
    device = TOTPDevice.objects.get(user=staff)
    assert client.post("/accounts/reauth/", {"password": PASSWORD}).status_code == 200
    assert client.post("/accounts/reauth/", {"password": "wrong", "token": code_for(device)}).status_code == 200
    device.throttling_failure_count = 0
    device.save()
    ok = client.post(
        "/accounts/reauth/", {"password": PASSWORD, "token": code_for(device), "next": "/places/areas/export/"}
    )
    assert ok["Location"] == "/places/areas/export/"
    assert client.get("/places/areas/export/").status_code == 200


def test_password_change_signs_out_other_devices(client, user_for_role, verified_client):
    from django.test import Client

    user = user_for_role(Role.RESIDENT)
    other = Client()
    other.force_login(user)
    sign_in(client, user)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Brand-new-pass-2027", "new_password2": "Brand-new-pass-2027"},
    )
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200
    assert other.get("/me/").status_code == 302


def test_admin_roles_are_among_the_mfa_roles():
    from shuren.accounts.roles import MFA_ROLES

    assert ADMIN_ROLES <= MFA_ROLES

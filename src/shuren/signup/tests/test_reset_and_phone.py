"""Resetting a password with an SMS code, and moving an account to a new mobile number."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from shuren.accounts.models import User
from shuren.audit.models import AuditEvent
from shuren.notifications.models import Message
from shuren.notifications.sms.console import messages_to
from shuren.signup.testing import codes_sent, last_code

pytestmark = pytest.mark.django_db

OLD = "13912340001"
NEW = "13912340002"
NEW_PASSWORD = "Xin-mi-ma-2026"


@pytest.fixture
def resident(make_user: Any) -> User:
    return make_user(username="zhou", phone=f"+86{OLD}")


def test_a_resident_resets_the_password_with_a_code_and_every_session_ends(client: Any, resident: User) -> None:
    other_device = type(client)()
    other_device.force_login(resident)
    assert client.post(reverse("signup:reset"), {"phone": OLD})["Location"] == reverse("signup:reset_verify")
    response = client.post(reverse("signup:reset_verify"), {"code": last_code(OLD)})
    assert response["Location"] == reverse("signup:reset_password")
    body = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(reverse("signup:reset_password"), body)
    assert response["Location"] == reverse("accounts:login")
    resident.refresh_from_db()
    assert resident.check_password(NEW_PASSWORD)
    assert not Session.objects.filter(session_key=other_device.session.session_key).exists()  # signed out there
    assert Message.objects.filter(recipient=resident, kind="signup.password_reset", channel="inapp").exists()
    assert AuditEvent.objects.filter(action="signup.password_reset").exists()
    # The ticket is spent: the same step again does nothing.
    assert client.post(reverse("signup:reset_password"), body)["Location"] == reverse("signup:reset")
    response = client.post(reverse("accounts:login"), {"identity": OLD, "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_reset_for_a_number_without_an_account_sends_nothing_and_says_the_same(client: Any) -> None:
    response = client.post(reverse("signup:reset"), {"phone": OLD})
    assert response["Location"] == reverse("signup:reset_verify")
    assert codes_sent(OLD) == 0


def test_a_disabled_account_gets_no_reset_code(client: Any, resident: User) -> None:
    User.objects.filter(pk=resident.pk).update(is_active=False)
    client.post(reverse("signup:reset"), {"phone": OLD})
    assert codes_sent(OLD) == 0


def test_a_sign_up_code_does_not_reset_a_password(client: Any, resident: User, make_user: Any) -> None:
    client.post(reverse("signup:start"), {"phone": NEW})
    client.post(reverse("signup:verify"), {"code": last_code(NEW)})
    flow = client.session["shuren_code_flow_signup"]
    session = client.session
    session["shuren_code_flow_reset"] = flow
    session.save()
    make_user(username="newcomer", phone=f"+86{NEW}")
    body = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(reverse("signup:reset_password"), body)
    assert response.status_code == 200
    assert not User.objects.get(username="newcomer").check_password(NEW_PASSWORD)


def _signed_in(client: Any, user: User) -> Any:
    client.force_login(user)
    return client


def test_a_resident_moves_to_a_new_number_with_a_code_and_the_old_number_is_told(
    client: Any, resident: User, django_capture_on_commit_callbacks: Any
) -> None:
    from conftest import PASSWORD

    _signed_in(client, resident)
    response = client.post(reverse("signup_portal:phone"), {"phone": NEW, "password": PASSWORD})
    assert response["Location"] == reverse("signup_portal:phone_verify")
    assert codes_sent(OLD) == 0 and codes_sent(NEW) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup_portal:phone_verify"), {"code": last_code(NEW)})
    assert response["Location"] == reverse("accounts:security")
    resident.refresh_from_db()
    assert resident.phone == f"+86{NEW}"
    assert User.objects.get_by_phone(f"+86{NEW}") == resident
    assert [m.template_code for m in messages_to(OLD)] == ["phone_changed"]
    assert Message.objects.filter(recipient=resident, kind="signup.phone_changed").exists()
    assert AuditEvent.objects.filter(action="signup.phone_change").exists()


def test_changing_the_number_needs_the_current_password(client: Any, resident: User) -> None:
    _signed_in(client, resident)
    response = client.post(reverse("signup_portal:phone"), {"phone": NEW, "password": "wrong-password-1"})
    assert response.status_code == 200 and response.context["form"].errors["password"]
    assert codes_sent(NEW) == 0


def test_a_number_another_account_holds_is_refused_without_saying_whose(
    client: Any, resident: User, make_user: Any
) -> None:
    from conftest import PASSWORD

    make_user(username="neighbour", phone=f"+86{NEW}", password=PASSWORD)
    _signed_in(client, resident)
    client.post(reverse("signup_portal:phone"), {"phone": NEW, "password": PASSWORD})
    response = client.post(reverse("signup_portal:phone_verify"), {"code": last_code(NEW)})
    assert response.status_code == 200
    errors = str(response.context["form"].non_field_errors())
    assert "已被其他账号使用" in errors and "neighbour" not in response.content.decode()
    resident.refresh_from_db()
    assert resident.phone == f"+86{OLD}"


def test_a_change_of_number_code_works_only_for_the_account_that_asked(
    client: Any, resident: User, make_user: Any
) -> None:
    from conftest import PASSWORD

    _signed_in(client, resident)
    client.post(reverse("signup_portal:phone"), {"phone": NEW, "password": PASSWORD})
    flow = client.session["shuren_code_flow_change_phone"]
    intruder = make_user(username="intruder")
    other = type(client)()
    other.force_login(intruder)
    session = other.session
    session["shuren_code_flow_change_phone"] = flow
    session.save()
    response = other.post(reverse("signup_portal:phone_verify"), {"code": last_code(NEW)})
    assert response.status_code == 200
    intruder.refresh_from_db()
    assert intruder.phone == ""

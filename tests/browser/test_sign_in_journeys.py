"""The journeys every user takes first: sign in (with a second factor for staff), land on the home
page of their role in Chinese, switch to English, be locked out after five wrong passwords, and be
refused a page outside their scope."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PASSWORD
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuren.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def _current_code(user: Any) -> str:
    device = TOTPDevice.objects.filter(user=user).order_by("-id").first()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(page: Any, base_url: str, identity: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=identity]", identity)
    page.fill("input[name=password]", password)
    # Wait for the answer page, so that later reads never see the page that was just submitted.
    with page.expect_navigation():
        page.click("form button[type=submit]")


def _sign_in_with_code(page: Any, base_url: str, user: Any, landing: str = "**/dashboard/") -> None:
    """Password, then the enrolment code from the authenticator, landing on the role's home page."""
    _sign_in(page, base_url, user.username)
    page.wait_for_url("**/accounts/mfa/setup/**")
    page.fill("input[name=token]", _current_code(user))
    page.click("form button[type=submit]")
    page.wait_for_url(landing)


def test_staff_member_enrols_a_second_factor_and_sees_the_dashboard_in_chinese(
    page: Any, live_server: Any, user_for_role: Any
) -> None:
    user = user_for_role(Role.COMMUNITY_STAFF)
    _sign_in(page, live_server.url, user.username)
    page.wait_for_url("**/accounts/mfa/setup/**")
    assert page.locator("img[src^='data:image/svg+xml']").count() == 1  # the QR code to scan
    page.fill("input[name=token]", _current_code(user))
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "数据看板" in page.locator("h1").inner_text()  # the staff's home: their community's figures
    assert "工作台" in page.locator("#console-nav").inner_text()
    assert "大新社区" in page.content()
    assert page.console_errors == []


def test_user_switches_the_interface_to_english_and_back(page: Any, live_server: Any, user_for_role: Any) -> None:
    _sign_in_with_code(page, live_server.url, user_for_role(Role.GRID_WORKER))
    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Dashboard" in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.click("button[name=language][value=zh-hans]")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_resident_signs_in_with_a_mobile_number_and_reaches_the_portal(
    phone_page: Any, live_server: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    make_user(Role.RESIDENT, tree["grid_a1"], username="linxiaomei", phone="+8613800138001")
    _sign_in(phone_page, live_server.url, "138 0013 8001")
    phone_page.wait_for_url("**/me/")
    assert "大新社区" in phone_page.content()
    assert phone_page.console_errors == []


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    page: Any, live_server: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    make_user(Role.RESIDENT, tree["grid_a1"], username="chenzhiqiang")
    for attempt in range(5):
        _sign_in(page, live_server.url, "chenzhiqiang", f"wrong-password-{attempt}")
        assert page.locator("[data-testid=login-error]").count() == 1
    _sign_in(page, live_server.url, "chenzhiqiang", PASSWORD)
    error = page.locator("[data-testid=login-error]").inner_text()
    assert "15" in error  # "try again in 15 minutes", the same words for any account
    assert "/accounts/login/" in page.url


def test_staff_member_is_refused_a_community_outside_their_scope(
    page: Any, live_server: Any, user_for_role: Any, tree: dict[str, Any]
) -> None:
    _sign_in_with_code(page, live_server.url, user_for_role(Role.COMMUNITY_STAFF))
    own = page.goto(f"{live_server.url}/places/areas/{tree['com_a'].pk}/")
    assert own is not None and own.status == 200
    foreign = page.goto(f"{live_server.url}/places/areas/{tree['com_b'].pk}/")
    assert foreign is not None and foreign.status == 404
    assert "金旗峰" not in page.content()

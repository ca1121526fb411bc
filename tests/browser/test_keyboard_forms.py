"""Every form works from the keyboard: on the residents' and the staff's forms, pressing Tab from the
top of the page reaches every visible control of the form (a radio group once, as browsers do), in
the order they are shown, and never gets stuck; and a form filled and sent with the keyboard alone
is taken."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser.test_sign_in_journeys import PASSWORD, _sign_in, _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

# A control's key: radios by their group (Tab enters a group once), the rest by id or name.
KEY = """el => {
  if (el.type === "radio") { return "radio:" + el.name; }
  return (el.tagName.toLowerCase() + ":" + (el.id || el.name || el.getAttribute("data-testid")
          || el.textContent.trim().slice(0, 24)));
}"""

CONTROLS = (
    """() => {
  const key = """
    + KEY
    + """;
  const shown = el => !el.disabled && el.type !== "hidden" && el.getClientRects().length > 0
                      && getComputedStyle(el).visibility !== "hidden" && el.tabIndex >= 0;
  const form = document.querySelector("main form[method=post], main form[method=POST]");
  if (!form) { return null; }
  const all = form.querySelectorAll("input, select, textarea, button, summary, a[href]");
  return [...new Set(Array.from(all).filter(shown).map(key))];
}"""
)

ACTIVE = (
    """() => {
  const key = """
    + KEY
    + """;
  const el = document.activeElement;
  return el && el !== document.body ? key(el) : null;
}"""
)


def _tab_through(page: Any, url: str) -> None:
    page.goto(url)
    assert "/accounts/login/" not in page.url, url
    controls = page.evaluate(CONTROLS)
    assert controls, f"{url}: no form found"
    reached: list[str] = []
    for _ in range(len(controls) * 3 + 60):
        page.keyboard.press("Tab")
        key = page.evaluate(ACTIVE)
        if key is not None and key not in reached:
            reached.append(key)
        if all(control in reached for control in controls):
            break
    missing = [control for control in controls if control not in reached]
    assert not missing, f"{url}: never reached by Tab: {missing}"
    # In the order shown: the form's controls come up in the order of the page.
    order = [key for key in reached if key in controls]
    assert order == controls, f"{url}: Tab order {order} differs from the page's {controls}"


RESIDENT_FORMS = ("appeals_portal:report",)
STAFF_FORMS = (
    "appeals:appeal_new",
    "governance:item_new",
    "meetings:meeting_new",
    "volunteering:activity_new",
    "notices:new",
    "people:person_new",
    "conventions:new",
)


def test_a_residents_forms_are_reachable_by_keyboard(phone_page: Any, live_server: Any, appeal_world: Any) -> None:
    page = phone_page
    _sign_in(page, live_server.url, appeal_world.users["resident"].username)
    page.wait_for_url("**/me/")
    for name in RESIDENT_FORMS:
        _tab_through(page, live_server.url + reverse(name))


def test_the_staffs_forms_are_reachable_by_keyboard(page: Any, live_server: Any, appeal_world: Any) -> None:
    staff = appeal_world.users["staff"]
    _sign_in_with_code(page, live_server.url, staff)
    for name in STAFF_FORMS:
        _tab_through(page, live_server.url + reverse(name))


def test_a_resident_signs_in_with_the_keyboard_alone(page: Any, live_server: Any, appeal_world: Any) -> None:
    resident = appeal_world.users["resident"]
    page.goto(f"{live_server.url}/accounts/login/")
    page.focus("input[name=identity]")
    page.keyboard.type(resident.username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/me/")
    assert page.locator("h1").first.inner_text().endswith("您好")

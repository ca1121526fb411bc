"""The theme as people see it: the style guide shows every component in Shuren's colours (never
Bootstrap's default blue), buttons and names keep their words on one line, and large text, once
switched on, stays on from page to page and on a new sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PASSWORD
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuren.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

BOOTSTRAP_BLUE = "rgb(13, 110, 253)"

# Every colour the page shows, for every element: Bootstrap's blue may come back in any of them
# (a hover colour, a focus ring in box-shadow, an outline, a checked box).
COLOURS_OF_EVERY_ELEMENT = """
() => {
  const properties = ["color", "background-color", "border-top-color", "border-right-color",
    "border-bottom-color", "border-left-color", "outline-color", "box-shadow", "text-decoration-color",
    "caret-color", "fill", "stroke", "background-image"];
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    for (const property of properties) {
      const value = style.getPropertyValue(property);
      if (value.includes("13, 110, 253") || value.toLowerCase().includes("0d6efd")) {
        found.push(`${element.tagName.toLowerCase()}.${element.className} ${property}: ${value}`);
      }
    }
  }
  return found;
}
"""

# How many lines the longest-wrapped word run of each element takes: for every piece of text in it,
# the distinct tops of the boxes it is laid out in (tops within half a line of each other are one line).
LINES_OF = """
(elements) => elements.filter((e) => e.offsetParent !== null).map((e) => {
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  let most = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const half = parseFloat(getComputedStyle(node.parentElement).fontSize) / 2;
    const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top).sort((a, b) => a - b);
    const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > half).length;
    most = Math.max(most, lines);
  }
  return [e.textContent.trim().replace(/\\s+/g, " "), most];
})
"""


def _current_code(user: Any) -> str:
    device = TOTPDevice.objects.filter(user=user).order_by("-id").first()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


FIRST_LOAD_MS = 60_000  # the live server's first answer loads every app's URLs and templates


def _sign_in(page: Any, base_url: str, identity: str) -> None:
    page.goto(f"{base_url}/accounts/login/", timeout=FIRST_LOAD_MS)
    page.fill("input[name=identity]", identity)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def _sign_in_staff(page: Any, base_url: str, user: Any) -> None:
    _sign_in(page, base_url, user.username)
    page.wait_for_url("**/accounts/mfa/setup/**")
    page.fill("input[name=token]", _current_code(user))
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")


def _font_size(page: Any) -> float:
    return float(page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)"))


def test_the_style_guide_shows_every_component_in_the_theme_and_no_bootstrap_blue(
    page: Any, live_server: Any, user_for_role: Any
) -> None:
    _sign_in_staff(page, live_server.url, user_for_role(Role.COMMUNITY_STAFF))
    page.goto(f"{live_server.url}/ui/styleguide/")
    assert "样式指南" in page.locator("h1").inner_text()
    for section in ("tokens", "type", "buttons", "forms", "subnav", "tables", "badges", "alerts", "cards", "charts"):
        assert page.locator(f"section#{section}").is_visible(), section
    assert page.locator("[data-testid=empty-state]").is_visible()
    assert page.locator(".pagination .page-item.active").count() == 1
    assert page.locator("#styleguide-chart canvas, #styleguide-chart svg").count() >= 1  # the chart drew
    assert page.locator(".is-invalid").count() >= 1 and page.locator(".form-text").count() >= 1
    assert page.console_errors == []

    assert page.evaluate(COLOURS_OF_EVERY_ELEMENT) == []
    # The states Bootstrap colours blue only on interaction: a focused field, a checked box, a hovered link.
    page.focus("#id_name")
    page.locator(".subnav-link").nth(1).hover()
    assert page.evaluate(COLOURS_OF_EVERY_ELEMENT) == []
    ring = page.evaluate("() => getComputedStyle(document.querySelector('#id_name')).boxShadow")
    assert "140, 29, 23" in ring  # the theme's focus ring, not the default one
    primary = page.evaluate("() => getComputedStyle(document.querySelector('.btn-primary')).backgroundColor")
    assert primary == "rgb(179, 38, 30)"
    page.screenshot(path=_artifact("styleguide-desktop.png"), full_page=True)


def test_buttons_and_names_keep_their_words_on_one_line_on_a_phone(
    phone_page: Any, live_server: Any, user_for_role: Any
) -> None:
    _sign_in_staff(phone_page, live_server.url, user_for_role(Role.COMMUNITY_STAFF))
    phone_page.goto(f"{live_server.url}/ui/styleguide/")

    buttons = phone_page.locator(".btn").evaluate_all(LINES_OF)
    assert buttons and [text for text, lines in buttons if lines > 1] == []
    # The table is wider than the phone: it scrolls, and the community and category columns keep
    # their names whole instead of one character per line.
    names = phone_page.locator("[data-testid=sample-table] tbody th, [data-testid=sample-table] .col-name")
    cells = names.evaluate_all(LINES_OF)
    assert len(cells) == 6 and [text for text, lines in cells if lines > 1] == []
    tabs = phone_page.locator("[data-testid=sample-subnav] .subnav-link").evaluate_all(LINES_OF)
    assert len(tabs) == 4 and [text for text, lines in tabs if lines > 1] == []
    phone_page.screenshot(path=_artifact("styleguide-phone.png"), full_page=True)


def test_large_text_stays_on_across_pages_and_on_a_new_sign_in(
    browser: Any, phone_page: Any, live_server: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    make_user(Role.RESIDENT, tree["grid_a1"], username="chenjianguo", phone="+8613800138009")
    phone_page.goto(f"{live_server.url}/accounts/login/", timeout=FIRST_LOAD_MS)
    assert _font_size(phone_page) < 18
    with phone_page.expect_navigation():
        phone_page.click("[data-testid=text-size]")  # on the sign-in page, before signing in
    assert phone_page.locator("html").get_attribute("class") == "text-large"
    assert _font_size(phone_page) >= 18
    assert phone_page.locator("[data-testid=text-size]").get_attribute("aria-pressed") == "true"

    _sign_in(phone_page, live_server.url, "138 0013 8009")
    phone_page.wait_for_url("**/me/")
    assert _font_size(phone_page) >= 18
    phone_page.goto(f"{live_server.url}/my/appeals/")
    assert _font_size(phone_page) >= 18
    line_height = phone_page.evaluate("() => parseFloat(getComputedStyle(document.body).lineHeight)")
    assert line_height >= 1.7 * 18

    # A new phone: no cookie, the account remembers.
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        other = context.new_page()
        _sign_in(other, live_server.url, "138 0013 8009")
        other.wait_for_url("**/me/")
        assert other.locator("html").get_attribute("class") == "text-large"
        assert _font_size(other) >= 18
        other.focus("[data-testid=text-size]")
        with other.expect_navigation():
            other.keyboard.press("Enter")  # off again, from the keyboard
        assert _font_size(other) < 18
    finally:
        context.close()


def _artifact(name: str) -> str:
    import os
    from pathlib import Path

    folder = Path(os.environ.get("SHUREN_TEST_ARTIFACTS", "test-artifacts")) / "theme"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)

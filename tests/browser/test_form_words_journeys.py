"""Length limits in a real browser: a resident describing a problem sees how much she has typed
("已输入 12/4000"), the counter becomes a polite live region near the limit, and a text sent over
the limit (the browser's maxlength bypassed) comes back kept, with our words for the limit."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.appeals.models import Appeal
from tests.browser.test_sign_in_journeys import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)

COUNTER = "#id_description_counter"


def _report_page(page: Any, live_server: Any, appeal_world: Any) -> None:
    _sign_in(page, live_server.url, appeal_world.users["resident"].username)
    page.wait_for_url("**/me/")
    page.goto(f"{live_server.url}/my/appeals/new/")


def test_the_counter_follows_what_the_resident_types(phone_page: Any, live_server: Any, appeal_world: Any) -> None:
    page = phone_page
    _report_page(page, live_server, appeal_world)
    counter = page.locator(COUNTER)
    assert counter.inner_text().strip() == "已输入 0/4000"
    description = page.locator("textarea[name=description]")
    assert description.get_attribute("aria-describedby").split() == ["id_description_help", "id_description_counter"]

    description.press_sequentially("楼道灯坏了三天")
    assert counter.inner_text().strip() == "已输入 7/4000"
    description.press("Backspace")
    assert counter.inner_text().strip() == "已输入 6/4000"
    assert counter.get_attribute("aria-live") is None  # far from the limit: not announced

    description.fill("字" * 3700)
    assert counter.inner_text().strip() == "已输入 3700/4000"
    assert counter.get_attribute("aria-live") == "polite"
    description.fill("字" * 4100)  # the browser stops at maxlength
    assert counter.inner_text().strip() == "已输入 4000/4000"
    assert page.console_errors == []


def test_a_text_over_the_limit_is_kept_and_refused_in_our_words(page: Any, live_server: Any, appeal_world: Any) -> None:
    before = Appeal.objects.count()
    _report_page(page, live_server, appeal_world)
    page.locator("summary", has_text="消防安全").click()
    page.click("[data-testid=category-ebike-charging]")
    page.check("input[name=where][value=home]")
    text = "电动车在楼道充电" * 500 + "！"  # 4001 characters
    # A client that ignores maxlength (or an old browser) sends all of it.
    page.evaluate(
        "(text) => { const area = document.querySelector('textarea[name=description]');"
        " area.removeAttribute('maxlength'); area.value = text; }",
        text,
    )
    with page.expect_navigation():
        page.click("[data-testid=submit-appeal]")

    errors = page.locator("#id_description_errors")
    assert errors.inner_text().strip() == "最多可输入 4000 个字，现在是 4001 个字。"
    assert "确保" not in page.content()
    assert page.locator("textarea[name=description]").input_value() == text
    counter = page.locator(COUNTER)
    assert counter.inner_text().strip() == "已输入 4001/4000"
    assert "text-danger" in counter.get_attribute("class")
    assert Appeal.objects.count() == before

"""The resident's home on a phone (390x844): an owner opens her home, sees the lift ballot waiting for
her vote as a card she can tap (at least 44 px high, nothing wider than the screen), follows it to
the ballot, votes, and back home the card is gone while the community's services stay."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.ballots.tests.conftest import build_world, open_lift_ballot
from tests.browser.test_sign_in_journeys import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TOUCH = 44  # px: the smallest touch target (GB/T 37668, and the theme's --sr-touch)


def _too_small(page: Any, selector: str) -> list[str]:
    """The texts of the elements matching ``selector`` that are less than TOUCH px high."""
    return page.eval_on_selector_all(
        selector,
        f"els => els.filter(e => e.getBoundingClientRect().height < {TOUCH}).map(e => e.textContent.trim())",
    )


def test_an_owner_follows_the_waiting_ballot_from_her_phones_home_and_votes(
    phone_page: Any, live_server: Any, tree: Any, make_user: Any
) -> None:
    world = build_world(tree, make_user)
    ballot = open_lift_ballot(world)
    page, base = phone_page, live_server.url

    _sign_in(page, base, world.users["zhangwei"].username)
    page.wait_for_url("**/me/")
    card = page.locator("[data-testid=waiting-ballots]")
    assert card.is_visible()
    assert "1单元加装电梯" in card.inner_text() and "去投票" in card.inner_text()
    assert page.locator("#home-waiting-title").inner_text() == "待我处理"
    assert page.locator("[data-testid=tile-report]").is_visible()
    # Phone-sized: every card and tile is a comfortable target, and nothing scrolls sideways.
    assert _too_small(page, ".home-waiting") == [] and _too_small(page, ".home-tile") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_navigation():
        card.click()
    assert page.url == f"{base}/my/ballots/{ballot.pk}/"
    form = page.locator("[data-testid=vote-form]")
    assert form.is_visible()
    form.locator("input[value=agree]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("[data-testid=voted]").is_visible()

    page.goto(f"{base}/me/")
    assert page.locator("[data-testid=waiting-ballots]").count() == 0
    assert page.locator("[data-testid=tile-ballots]").is_visible()
    assert page.console_errors == []  # type: ignore[attr-defined]

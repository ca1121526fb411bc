"""Needs and resources in a real browser: a grid worker records a need, finds the property
manager's resource among the suggestions and proposes it; the manager's contact accepts it in their
own account; the grid worker records the help given and the need is done."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.lists.models import Match, MatchStatus, Need, NeedStatus
from shuren.lists.testing import lists_world  # noqa: F401  (fixture)
from tests.browser.a11y import assert_accessible
from tests.browser.test_appeal_journeys import DESKTOP, _new_page
from tests.browser.test_sign_in_journeys import _sign_in, _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_matches_a_need_the_unit_accepts_and_the_need_is_done(
    browser: Any,
    live_server: Any,
    lists_world: Any,  # noqa: F811
) -> None:
    world = lists_world
    base = live_server.url
    resource = world.resource(title="楼道灯具维修", capacity=5)

    # 1. The grid worker records the need and proposes the suggested resource.
    worker = _new_page(browser, DESKTOP)
    _sign_in_with_code(worker, base, world.users["grid_worker"], landing="**/*")
    worker.goto(f"{base}/lists/needs/new/")
    worker.fill("input[name=title]", "1座2楼楼道灯不亮")
    worker.select_option("select[name=category]", "repair")
    worker.select_option("select[name=area]", str(world.tree["grid_a1"].pk))
    worker.select_option("select[name=concerned]", "building")
    with worker.expect_navigation():
        worker.click("[data-testid=save-need]")
    need = Need.objects.get(title="1座2楼楼道灯不亮")
    reason = worker.locator(f"[data-resource='{resource.pk}'] [data-testid=suggestion-reason]").inner_text()
    assert "同一网格" in reason and "类别相符" in reason
    assert_accessible(worker)
    with worker.expect_navigation():
        worker.click(f"[data-resource='{resource.pk}'] [data-testid=propose]")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.MATCHED

    # 2. The property manager's contact accepts in their own account.
    unit = _new_page(browser, DESKTOP)
    _sign_in(unit, base, world.users["pm_contact"].username)
    unit.goto(f"{base}/lists/unit/requests/")
    assert "1座2楼楼道灯不亮" in unit.locator("[data-testid=unit-requests]").inner_text()
    with unit.expect_navigation():
        unit.click("[data-testid=accept]")
    match = Match.objects.get(need=need)
    assert match.status == MatchStatus.ACCEPTED
    resource.refresh_from_db()
    assert resource.remaining == 4

    # 3. The grid worker records what was done: the need is done.
    worker.goto(f"{base}/lists/needs/{need.pk}/")
    worker.fill("textarea[name=outcome]", "物业已更换灯管")
    with worker.expect_navigation():
        worker.click("[data-testid=complete-match]")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.DONE
    assert worker.console_errors == [] and unit.console_errors == []

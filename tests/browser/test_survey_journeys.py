"""A survey from a resident's phone to the staff's chart: the resident opens the survey on a phone
(390x844), sends it with an answer out of range, sees the message beside the question with
everything she typed kept, corrects it and is thanked; the community's staff member opens the
results and sees each chart drawn by ECharts, with its table behind it."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.surveys.tests.conftest import build_world, open_survey
from tests.browser.test_sign_in_journeys import _sign_in, _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_answers_on_her_phone_and_staff_see_the_chart(
    phone_page: Any, page: Any, live_server: Any, tree: Any, make_user: Any
) -> None:
    world = build_world(tree, make_user)
    survey = open_survey(world)
    base = live_server.url

    phone = phone_page
    _sign_in(phone, base, world.users["wangfang"].username)
    phone.goto(f"{base}/my/surveys/")
    with phone.expect_navigation():
        phone.click(f"[data-testid=survey-{survey.reference}]")
    form = phone.locator("[data-testid=answer-form]")
    form.locator("[data-testid=question-1] input[value='4']").check()
    form.locator("[data-testid=question-2] input[value='1']").check()
    form.locator("[data-testid=question-3] input[value='0']").check()
    form.locator("[data-testid=question-4] input").fill("99")
    form.locator("[data-testid=question-5] input[value='5']").first.check()
    form.locator("[data-testid=question-5] input[value='3']").last.check()
    form.locator("[data-testid=question-6] textarea").fill("希望增加电动车充电桩")
    with phone.expect_navigation():
        form.locator("[data-testid=submit]").click()
    assert "请输入5到30之间的数。" in phone.locator("[data-testid=error-4]").inner_text()
    form = phone.locator("[data-testid=answer-form]")
    assert form.locator("[data-testid=question-6] textarea").input_value() == "希望增加电动车充电桩"
    assert form.locator("[data-testid=question-1] input[value='4']").is_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    form.locator("[data-testid=question-4] input").fill("12")
    with phone.expect_navigation():
        form.locator("[data-testid=submit]").click()
    assert phone.locator("[data-testid=thanks]").is_visible()
    assert phone.console_errors == []  # type: ignore[attr-defined]

    _sign_in_with_code(page, base, world.users["staff"])
    page.goto(f"{base}/surveys/{survey.pk}/results/")
    page.wait_for_selector("[data-chart] canvas")
    drawn = page.eval_on_selector_all(
        "[data-chart]", "els => els.map(el => Boolean(echarts.getInstanceByDom(el)) && !!el.querySelector('canvas'))"
    )
    assert drawn and all(drawn)
    assert "33.3%" in page.locator("[data-testid=response-rate]").inner_text()  # 1 of the 3 households
    assert page.console_errors == []  # type: ignore[attr-defined]

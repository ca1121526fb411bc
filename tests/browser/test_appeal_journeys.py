"""The appeal journey in a real browser, on a phone and on a desktop: a resident reports a problem
with a photo, the desk dispatches it to the property manager, the property manager returns it, the
desk re-dispatches it to the residents' committee, which resolves it, and the resident rates the
outcome; the desk's overdue list shows what is late."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from shuren.appeals.models import Appeal, AppealPhoto, EventKind, Status
from shuren.appeals.services import AppealLocation, accept_appeal, submit_appeal
from tests.browser.a11y import assert_accessible
from tests.browser.test_sign_in_journeys import _sign_in, _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 60, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _new_page(browser: Any, size: dict[str, Any]) -> Any:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **size)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors  # type: ignore[attr-defined]
    return page


def _act(page: Any, action: str) -> None:
    """Open an action panel on the appeal page (a <details>) if it is closed."""
    panel = page.locator(f"details[data-action={action}]")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()


def _submit_action(page: Any, action: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=do-{action}]")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_resident_report_is_dispatched_returned_redispatched_resolved_and_rated(
    browser: Any, live_server: Any, appeal_world: Any, size: dict[str, Any]
) -> None:
    world = appeal_world
    base = live_server.url

    # 1. The resident reports unsafe e-bike charging with a photo, placed at her home.
    resident = _new_page(browser, size)
    _sign_in(resident, base, world.users["resident"].username)
    resident.wait_for_url("**/me/")
    resident.goto(f"{base}/my/appeals/new/")
    resident.locator("summary", has_text="消防安全").click()
    resident.click("[data-testid=category-ebike-charging]")
    resident.fill("textarea[name=description]", "1座楼道有人推电动车进电梯上楼充电，还从三楼拉飞线")
    resident.set_input_files(
        "input[name=photos]", files=[{"name": "飞线.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    resident.check("input[name=where][value=home]")
    assert_accessible(resident)  # the report form, filled in, with its photo
    with resident.expect_navigation():
        resident.click("[data-testid=submit-appeal]")
    reference = resident.locator("[data-testid=appeal-reference]").inner_text().strip()
    appeal = Appeal.objects.get(reference=reference)
    assert appeal.reporter == world.users["resident"]
    assert appeal.building == world.buildings[0]
    assert AppealPhoto.objects.filter(appeal=appeal).count() == 1

    # 2. The desk sees it, with the property manager suggested, and dispatches it.
    desk = _new_page(browser, size)
    _sign_in_with_code(desk, base, world.users["staff"])
    desk.goto(f"{base}/appeals/")
    desk.click(f"text={reference}")
    desk.wait_for_url(f"**/appeals/{appeal.pk}/")
    assert "富丰物业" in desk.locator("[data-testid=dispatch-rule]").text_content()
    photo = desk.locator("section[aria-labelledby=photos-title] img").first
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 640  # the photo itself loads
    _act(desk, "dispatch")
    assert_accessible(desk)  # the appeal page with its dispatch form open
    _submit_action(desk, "dispatch")
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED and appeal.organization == world.property_manager

    # 3. The property manager's clerk finds it in their list and returns it: not theirs.
    clerk = _new_page(browser, size)
    _sign_in_with_code(clerk, base, world.users["handler"], landing="**/appeals/assigned/")
    clerk.click(f"text={reference}")
    assert "林" not in clerk.locator("[data-testid=appeal-facts]").inner_text()  # no reporter shown
    _act(clerk, "return")
    clerk.fill("[data-testid=form-return] textarea[name=reason]", "飞线从居民家中拉出，属于居民行为，请社区劝导")
    _submit_action(clerk, "return")
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED and appeal.organization is None
    assert clerk.goto(f"{base}/appeals/{appeal.pk}/").status == 404  # no longer theirs to see
    clerk.console_errors.clear()  # the browser logs that 404, which is the point

    # 4. The desk re-dispatches it to the residents' committee, giving the reason for overriding the rule.
    desk.reload()
    assert "请社区劝导" in desk.locator("[data-testid=timeline]").inner_text()
    _act(desk, "dispatch")
    desk.select_option("[data-testid=form-dispatch] select[name=organization]", label="大新居委会")
    desk.fill("[data-testid=form-dispatch] textarea[name=reason]", "居民私拉飞线，由居委会上门劝导")
    _submit_action(desk, "dispatch")
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED and appeal.organization == world.residents_committee

    # 5. The committee (the desk acts for the community's own bodies) takes it up and resolves it.
    _act(desk, "take_up")
    _submit_action(desk, "take_up")
    _act(desk, "resolve")
    desk.fill("[data-testid=form-resolve] textarea[name=resolution]", "已上门劝导并拆除飞线，楼道张贴了安全充电公告")
    _submit_action(desk, "resolve")
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED

    # 6. The resident reads the reply and rates it: solved, five stars.
    resident.goto(f"{base}/my/appeals/{appeal.pk}/")
    assert "拆除飞线" in resident.locator("[data-testid=reply]").inner_text()
    timeline = resident.locator("[data-testid=timeline]").inner_text()
    assert "请社区劝导" not in timeline  # the handler's return reason is internal
    resident.check("input[name=is_solved][value=yes]")
    resident.locator("fieldset.star-rating label").nth(4).click()  # the fifth star
    resident.fill("textarea[name=comment]", "处理及时，谢谢社区")
    assert_accessible(resident)  # the reply and the rating form, stars chosen
    with resident.expect_navigation():
        resident.click("[data-testid=send-feedback]")
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.is_solved is True and appeal.satisfaction == 5
    assert resident.locator("[data-testid=rating-given]").count() == 1

    kinds = list(appeal.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.SUBMIT,
        EventKind.DISPATCH,
        EventKind.RETURN,
        EventKind.DISPATCH,
        EventKind.TAKE_UP,
        EventKind.RESOLVE,
        EventKind.FEEDBACK,
    ]
    for page in (resident, desk, clerk):
        assert page.console_errors == []
        page.context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_desk_sees_the_overdue_appeal_in_its_overdue_list(
    browser: Any, live_server: Any, appeal_world: Any, size: dict[str, Any]
) -> None:
    world = appeal_world
    late = submit_appeal(
        actor=world.users["resident"],
        category=world.category("lift"),
        description="1座电梯停在八楼一个星期了，老人下不了楼",
        location=AppealLocation(building=world.buildings[0]),
        submitted_at=timezone.now() - dt.timedelta(days=14),
    )
    accept_appeal(actor=world.users["staff"], appeal=late, version=late.version)
    fresh = world.submit(description="2座门口路灯不亮，晚上很黑", category="lighting", building=1)
    assert late.resolution_due_at < timezone.now() < fresh.resolution_due_at

    desk = _new_page(browser, size)
    _sign_in_with_code(desk, live_server.url, world.users["staff"])
    desk.goto(f"{live_server.url}/appeals/?tab=overdue")
    listed = desk.locator("main").inner_text()
    assert late.reference in listed
    assert fresh.reference not in listed
    assert desk.console_errors == []
    desk.context.close()

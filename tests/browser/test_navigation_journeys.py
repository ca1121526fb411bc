"""The navigation in a real browser. On a phone (390×844) residents, grid workers and building leaders
find at most five bottom tabs, each label on one line and each tab a thumb's size; nothing clickable
hides behind the bar — the language switch and the end of the page still take a tap after scrolling
down (tapping "English" once opened 我的会议 instead). 办事 lists every service the user may open,
消息 counts what is unread and 我的 holds the account. On a desktop (1366×900) the console's sidebar
is grouped by the work, each group opened and closed from the keyboard and remembered."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.accounts.roles import Role
from shuren.notifications.services import notify
from tests.browser.test_appeal_journeys import PHONE, _new_page
from tests.browser.test_sign_in_journeys import _sign_in, _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"viewport": {"width": 1366, "height": 900}}
TOUCH = 44  # px: the smallest touch target GB/T 37668 and the platforms' guidelines accept

# What the bar says about itself: how many tabs, each one's label box and line height, each tab's box.
TABBAR_GEOMETRY = """() => {
  const bar = document.querySelector("[data-testid=tabbar]");
  const box = bar.getBoundingClientRect();
  const tabs = [...bar.querySelectorAll("a")].map((tab) => {
    const label = tab.querySelector(".tabbar-label");
    const style = getComputedStyle(label);
    return {
      text: label.textContent.trim(),
      labelHeight: label.getBoundingClientRect().height,
      lineHeight: parseFloat(style.lineHeight),
      clipped: label.scrollWidth > label.clientWidth + 1,
      height: tab.getBoundingClientRect().height,
      width: tab.getBoundingClientRect().width,
    };
  });
  return {top: box.top, bottom: box.bottom, height: box.height, viewport: innerHeight, tabs};
}"""

# Whether a tap at the centre of ``element`` reaches it (or something inside it), not whatever lies on top.
REACHABLE = """(element) => {
  element.scrollIntoView({block: "center"});
  const box = element.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return hit !== null && (hit === element || element.contains(hit));
}"""

# The last element of the page's content that a user may see and tap: the deepest last element of <main>.
LAST_OF_MAIN = """() => {
  let node = document.querySelector("main#main");
  while (node.lastElementChild) {
    const visible = [...node.children].filter((child) => {
      const box = child.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(child).visibility === "visible";
    });
    if (!visible.length) { break; }
    node = visible[visible.length - 1];
  }
  return node;
}"""


def _tell(user: Any, n: int) -> None:
    notify(
        kind="tests.reminder", event_key=f"nav:{user.pk}:{n}", recipients=[user], subject="停水通知", text="明日停水"
    )


def _assert_the_bar_fits(page: Any, labels: list[str]) -> None:
    bar = page.evaluate(TABBAR_GEOMETRY)
    assert [tab["text"] for tab in bar["tabs"]] == labels
    assert len(bar["tabs"]) <= 5
    assert abs(bar["bottom"] - bar["viewport"]) < 1  # fixed at the bottom of the screen
    for tab in bar["tabs"]:
        assert tab["labelHeight"] < 1.5 * tab["lineHeight"], tab  # one line, never one character a line
        assert not tab["clipped"], tab
        assert tab["height"] >= TOUCH and tab["width"] >= TOUCH, tab


def _assert_nothing_hides_behind_the_bar(page: Any) -> None:
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    switch = page.locator("form.language-switch button[name=language]").first
    assert switch.evaluate(REACHABLE), page.url
    last = page.evaluate_handle(LAST_OF_MAIN)
    assert last.evaluate(REACHABLE), (page.url, last.evaluate("(e) => e.outerHTML.slice(0, 200)"))


def test_a_resident_finds_four_tabs_on_her_phone_and_nothing_hidden_behind_them(
    browser: Any, live_server: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    resident = make_user(Role.RESIDENT, tree["grid_a1"], username="linxiaomei")
    for n in range(3):
        _tell(resident, n)
    page = _new_page(browser, PHONE)
    _sign_in(page, live_server.url, resident.username)
    page.wait_for_url("**/me/")

    _assert_the_bar_fits(page, ["首页", "办事", "消息", "我的"])
    assert page.locator("[data-testid=tab-home]").get_attribute("aria-current") == "page"
    assert page.locator("[data-testid=tab-messages] [data-testid=tab-unread]").inner_text().startswith("3")

    # Every page the tabs lead to, and a long one of her own, keep their ends within reach.
    for path in ("/me/", "/services/", "/my/", "/notifications/", "/my/meetings/", "/my/appeals/"):
        page.goto(f"{live_server.url}{path}")
        _assert_the_bar_fits(page, ["首页", "办事", "消息", "我的"])
        _assert_nothing_hides_behind_the_bar(page)

    # 办事: all her services as tiles, in her own group only; a tile leads to its page and the tab
    # 办事 stays lit there.
    page.locator("[data-testid=tab-services]").click()
    page.wait_for_url("**/services/")
    groups = page.locator("section.services-group")
    assert groups.count() == 1 and groups.first.get_attribute("data-testid") == "services-my_community"
    assert page.locator(".service-tile").count() == 13
    for tile in page.locator(".service-tile").all():
        box = tile.bounding_box()
        assert box["height"] >= TOUCH and box["width"] >= TOUCH
    with page.expect_navigation():
        page.locator(".service-tile", has_text="我的诉求").click()
    assert page.url.endswith("/my/appeals/")
    assert page.locator("[data-testid=tab-services]").get_attribute("aria-current") == "page"

    # The language switch under the content is hers to tap: it switches the language of this page.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    with page.expect_navigation():
        page.locator("form.language-switch button[name=language][value=en]").click()
    assert page.url.endswith("/my/appeals/")
    assert page.locator("html").get_attribute("lang") == "en"
    _assert_the_bar_fits(page, ["Home", "Services", "Messages", "Me"])
    with page.expect_navigation():
        page.locator("form.language-switch button[name=language][value=zh-hans]").click()

    # 消息 opens her inbox.
    with page.expect_navigation():
        page.locator("[data-testid=tab-messages]").click()
    assert page.url.endswith("/notifications/")
    assert page.locator("[data-testid=tab-messages]").get_attribute("aria-current") == "page"
    assert page.console_errors == []


def test_my_page_shows_who_and_where_i_am_my_display_preferences_and_signs_me_out(
    browser: Any, live_server: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    resident = make_user(Role.RESIDENT, tree["grid_a1"], username="wangfang")
    resident.full_name = "王芳"
    resident.save(update_fields=["full_name"])
    page = _new_page(browser, PHONE)
    _sign_in(page, live_server.url, resident.username)
    page.wait_for_url("**/me/")
    with page.expect_navigation():
        page.locator("[data-testid=tab-me]").click()
    assert page.url.endswith("/my/")
    assert page.locator("[data-testid=tab-me]").get_attribute("aria-current") == "page"
    assert page.locator("[data-testid=me-name]").inner_text() == "王芳"
    place = page.locator("[data-testid=me-place]").inner_text()
    assert "居民" in place and "大新社区" in place and "大新社区第1网格" in place
    assert page.locator("form.language-switch").count() == 1  # the display preferences, once
    _assert_nothing_hides_behind_the_bar(page)
    with page.expect_navigation():
        page.locator("[data-testid=me-security]").click()
    assert "/accounts/security/" in page.url
    page.go_back()
    page.locator("[data-testid=me-sign-out]").scroll_into_view_if_needed()
    with page.expect_navigation():
        page.locator("[data-testid=me-sign-out]").click()
    page.goto(f"{live_server.url}/my/")
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize(
    ("role", "landing", "groups"),
    [
        (
            Role.GRID_WORKER,
            "**/dashboard/",
            ["workbench", "appeals", "cogovernance", "volunteering", "registry", "organisation", "data"],
        ),
        (
            Role.BUILDING_LEADER,
            "**/orgs/posts/mine/",
            ["workbench", "appeals", "cogovernance", "registry", "organisation", "my_community"],
        ),
    ],
    ids=["grid_worker", "building_leader"],
)
def test_staff_on_a_phone_get_the_tab_bar_instead_of_a_menu(
    browser: Any, live_server: Any, user_for_role: Any, role: str, landing: str, groups: list[str]
) -> None:
    user = user_for_role(role)
    _tell(user, 1)
    page = _new_page(browser, PHONE)
    _sign_in_with_code(page, live_server.url, user, landing=landing)

    _assert_the_bar_fits(page, ["工作台", "办事", "消息", "我的"])
    assert page.locator("[data-testid=tab-home]").get_attribute("aria-current") == "page"
    assert not page.locator("#console-nav").is_visible()  # the sidebar is the desktop's
    assert page.locator("[data-testid=tab-messages] [data-testid=tab-unread]").inner_text().startswith("1")
    _assert_nothing_hides_behind_the_bar(page)

    # 办事: every page of their work as tiles, grouped; a building leader's own pages come last.
    with page.expect_navigation():
        page.locator("[data-testid=tab-services]").click()
    shown = [section.get_attribute("data-testid") for section in page.locator("section.services-group").all()]
    assert shown == [f"services-{key}" for key in groups]
    _assert_nothing_hides_behind_the_bar(page)
    with page.expect_navigation():
        page.locator("[data-testid=services-cogovernance] .service-tile", has_text="会议").first.click()
    assert "/meetings/" in page.url
    assert page.locator("[data-testid=tab-services]").get_attribute("aria-current") == "page"
    _assert_nothing_hides_behind_the_bar(page)

    # 工作台 leads back to where they start their day.
    with page.expect_navigation():
        page.locator("[data-testid=tab-home]").click()
    page.wait_for_url(landing)
    assert page.console_errors == []


def test_the_console_sidebar_groups_open_and_close_from_the_keyboard_and_stay_as_left(
    browser: Any, live_server: Any, user_for_role: Any
) -> None:
    staff = user_for_role(Role.COMMUNITY_STAFF)
    for n in range(2):
        _tell(staff, n)
    page = _new_page(browser, WIDE)
    _sign_in_with_code(page, live_server.url, staff)
    assert not page.locator("[data-testid=tabbar]").is_visible()  # the desktop has the sidebar

    groups = page.locator("#console-nav details[data-nav-group]")
    assert [g.get_attribute("data-nav-group") for g in groups.all()] == [
        "workbench",
        "appeals",
        "cogovernance",
        "volunteering",
        "registry",
        "organisation",
        "data",
        "settings",
    ]
    assert [g.get_attribute("data-nav-group") for g in groups.all() if g.get_attribute("open") is not None] == [
        "workbench"
    ]
    # The open group shows each entry's count; the page shown is marked.
    workbench = page.locator("[data-testid=nav-group-workbench]")
    assert workbench.locator("[data-testid=nav-count-notifications-inbox]").inner_text().startswith("2")
    assert workbench.locator("a[aria-current=page]").inner_text().strip() == "工作台"

    # Keyboard only: Tab reaches the heading of 接诉即办, Enter opens it, Tab goes on into its entries.
    appeals = page.locator("[data-testid=nav-group-appeals]")
    summary = appeals.locator("summary")
    assert not appeals.locator("a", has_text="群众诉求").first.is_visible()
    page.locator("[data-testid=nav-group-workbench] summary").focus()
    for _ in range(6):  # past the workbench's entries to the next heading
        page.keyboard.press("Tab")
        if summary.evaluate("(s) => s === document.activeElement"):
            break
    assert summary.evaluate("(s) => s === document.activeElement")
    page.keyboard.press("Enter")
    assert appeals.get_attribute("open") is not None
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('[data-nav-group]').dataset.navGroup")
    assert focused == "appeals"
    # Space on the workbench's heading closes it; its sum of what waits shows while it is closed.
    page.locator("[data-testid=nav-group-workbench] summary").focus()
    page.keyboard.press(" ")
    assert workbench.get_attribute("open") is None
    assert workbench.locator("[data-testid=nav-group-count-workbench]").is_visible()

    # Left that way, the sidebar is drawn that way on the next page; the page's own group opens too.
    page.goto(f"{live_server.url}/people/")
    opened = [g.get_attribute("data-nav-group") for g in groups.all() if g.get_attribute("open") is not None]
    assert opened == ["appeals", "registry"]
    assert page.locator("[data-testid=nav-group-registry] a[aria-current=page]").count() == 1
    assert page.console_errors == []

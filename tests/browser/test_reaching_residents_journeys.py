"""Reaching residents, in a real browser: a new resident signs up with the SMS code, asks to be linked
to her home and the grid worker approves; she reports an appeal and hears of each step in her inbox
and by e-mail (a real SMTP server) until she rates it. Then a stairwell notice to her building reaches
the residents' inboxes and the building's WeCom group (a local robot webhook), the building leader
marks the households nobody has reached as told at the door, and the notice's figures show 100 %."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from shuren.accounts.models import User, phone_index_of
from shuren.accounts.roles import Role
from shuren.appeals.models import Appeal, Status
from shuren.appeals.services import dispatch_appeal, resolve_appeal, take_up_appeal
from shuren.notices.models import Notice, NoticeStatus
from shuren.notices.services import save_webhook
from shuren.notifications.models import Message
from shuren.notifications.services import deliver_due
from shuren.notifications.testing import WecomServer, smtp_server
from shuren.orgs.models import PostKind
from shuren.orgs.services import assign_post
from shuren.people.models import Person
from shuren.people.services import add_residence
from shuren.places.models import Dwelling
from shuren.signup.models import LinkRequest, LinkStatus
from shuren.signup.testing import last_code
from tests.browser.test_appeal_journeys import DESKTOP, PHONE, _new_page
from tests.browser.test_sign_in_journeys import _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)

MOBILE = "139 2468 1357"
E_MAIL = "huang.lijuan@example.com"


@pytest.fixture
def outside() -> Iterator[tuple[Any, WecomServer]]:
    """The world outside the site: a real SMTP server and WeCom's group robot, both local."""
    with (
        smtp_server() as (port, inbox),
        WecomServer() as wecom,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
            DEFAULT_FROM_EMAIL="dagxin@shuren.example.org",
            SHUREN_SITE_URL="https://shuren.example.org",
            SHUREN_SMS_PROVIDER="console",
            SHUREN_WECOM_WEBHOOK_BASE=wecom.url,
            SHUREN_WECOM_TIMEOUT=3,
        ),
    ):
        yield inbox, wecom


def _emails_to(inbox: Any, address: str) -> list[Any]:
    return [m for m in inbox.messages if address in str(m["To"])]


def test_a_new_resident_signs_up_is_linked_hears_of_her_appeal_and_a_notice_reaches_her_building(
    browser: Any, live_server: Any, appeal_world: Any, make_user: Any, outside: tuple[Any, WecomServer]
) -> None:
    inbox, wecom = outside
    world, base = appeal_world, live_server.url
    building = world.buildings[0]
    staff = world.users["staff"]
    # The registry knows 黄丽娟 in 1座 302 (entered from the household survey, without a phone number),
    # and 1座's building leader, 周建华, in 101; the stairwell group of 1座 has its robot.
    registered = Person.objects.create(community=world.tree["com_a"], name="黄丽娟")
    home = Dwelling.objects.get(unit__building=building, room="302")
    add_residence(actor=staff, person=registered, dwelling=home, relation="owner", status="permanent")
    leader_user = make_user(Role.BUILDING_LEADER, world.tree["grid_a1"], username="zhoujh")
    leader = Person.objects.create(community=world.tree["com_a"], name="周建华", user=leader_user)
    add_residence(
        actor=staff,
        person=leader,
        dwelling=Dwelling.objects.get(unit__building=building, room="101"),
        relation="owner",
        status="permanent",
    )
    assign_post(
        actor=staff,
        kind=PostKind.objects.get(code=PostKind.BUILDING_LEADER),
        person=leader,
        area=world.tree["grid_a1"],
        buildings=[building],
    )
    save_webhook(actor=staff, url=wecom.webhook(), building=building, name="富丰新城1座楼道群")

    # 1. She signs up on her phone with the code the SMS provider printed.
    resident = _new_page(browser, PHONE)
    resident.goto(f"{base}/accounts/login/")
    with resident.expect_navigation():
        resident.click("[data-testid=signup-link]")
    resident.fill("input[name=phone]", MOBILE)
    with resident.expect_navigation():
        resident.click("form button[type=submit]")
    resident.wait_for_url("**/join/verify/")
    resident.fill("input[name=code]", last_code(MOBILE))
    with resident.expect_navigation():
        resident.click("form button[type=submit]:not([name=resend])")
    resident.wait_for_url("**/join/account/")
    resident.fill("input[name=full_name]", "黄丽娟")
    resident.fill("input[name=password1]", "Fufeng-302-huang")
    resident.fill("input[name=password2]", "Fufeng-302-huang")
    with resident.expect_navigation():
        resident.click("form button[type=submit]")
    resident.wait_for_url("**/my/account/link/")
    newcomer = User.objects.get(phone_index=phone_index_of("+8613924681357"))
    assert not newcomer.role_grants.exists()  # no role until linked

    # 2. She names her community, building and home, and her name; the registry has no number for
    # her, so the request waits for the grid worker.
    resident.fill("input[name=community_search]", "大新")
    with resident.expect_navigation():
        resident.click("[data-testid=link-next]")
    resident.select_option("select[name=community]", str(world.tree["com_a"].pk))
    with resident.expect_navigation():
        resident.click("[data-testid=link-next]")
    resident.select_option("select[name=building]", str(building.pk))
    with resident.expect_navigation():
        resident.click("[data-testid=link-next]")
    resident.select_option("select[name=dwelling]", str(home.pk))
    resident.fill("input[name=name]", "黄丽娟")
    with resident.expect_navigation():
        resident.click("[data-testid=link-submit]")
    assert resident.locator("[data-testid=link-request-pending]").count() == 1
    request = LinkRequest.objects.get(user=newcomer)
    assert request.status == LinkStatus.PENDING

    # 3. The grid worker finds it in the queue and links her to the registry's 黄丽娟.
    grid = _new_page(browser, DESKTOP)
    _sign_in_with_code(grid, base, world.users["grid_worker"])
    grid.goto(f"{base}/join/requests/")
    with grid.expect_navigation():
        grid.click(f"[data-testid=link-request-{request.pk}]")
    grid.check(f'[data-testid=approve-form] input[name=person][value="{registered.pk}"]')
    with grid.expect_navigation():
        grid.click("[data-testid=approve-form] button[type=submit]")
    registered.refresh_from_db()
    assert registered.user == newcomer
    resident.goto(f"{base}/my/account/link/")
    assert resident.locator("[data-testid=linked]").count() == 1
    resident.goto(f"{base}/notifications/")
    assert resident.locator("[data-testid=inbox] li").count() == 1  # the link was approved
    # Her e-mail address, which the community office adds to her account at her request.
    newcomer.refresh_from_db()
    newcomer.email = E_MAIL
    newcomer.save(update_fields=["email"])

    # 4. She reports a problem at her home.
    resident.goto(f"{base}/my/appeals/new/")
    resident.locator("summary", has_text="消防安全").click()
    resident.click("[data-testid=category-ebike-charging]")
    resident.fill("textarea[name=description]", "1座楼道有人推电动车进电梯上楼充电，晚上还从窗口拉飞线")
    resident.check("input[name=where][value=home]")
    with resident.expect_navigation():
        resident.click("[data-testid=submit-appeal]")
    reference = resident.locator("[data-testid=appeal-reference]").inner_text().strip()
    appeal = Appeal.objects.get(reference=reference)
    assert appeal.reporter == newcomer

    # 5. Each step of the desk and the property manager reaches her inbox and her mailbox (the
    # worker delivers the e-mail); the staff's own pages are walked in test_appeal_journeys.
    heard = 0

    def hears_of_it(step: str) -> None:
        nonlocal heard
        deliver_due()
        mails = _emails_to(inbox, E_MAIL)
        assert len(mails) > heard, step
        heard = len(mails)
        latest = mails[-1]
        assert reference in latest["Subject"] or reference in latest.get_body(("plain",)).get_content(), step
        resident.goto(f"{base}/notifications/")
        assert resident.locator("[data-testid=inbox] li", has_text=reference).count() >= 1, step

    appeal = dispatch_appeal(actor=staff, appeal=appeal, version=appeal.version, organization=world.property_manager)
    hears_of_it("dispatched")
    handler = world.users["handler"]
    appeal = take_up_appeal(actor=handler, appeal=appeal, version=appeal.version)
    hears_of_it("taken up")
    resolve_appeal(actor=handler, appeal=appeal, version=appeal.version, resolution="已劝离电动车并拆除飞线")
    hears_of_it("resolved")

    # 6. The resolution's message leads her to the appeal, where she rates it.
    resident.goto(f"{base}/notifications/")
    with resident.expect_navigation():
        resident.locator("[data-testid=inbox] li", has_text="已办结").locator("button.btn-link").click()
    assert f"/my/appeals/{appeal.pk}/" in resident.url
    resident.check("input[name=is_solved][value=yes]")
    resident.locator("fieldset.star-rating label").nth(4).click()
    resident.fill("textarea[name=comment]", "物业处理很快，谢谢")
    with resident.expect_navigation():
        resident.click("[data-testid=send-feedback]")
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.satisfaction == 5
    mails = _emails_to(inbox, E_MAIL)
    # Every e-mail says how to stop it.
    assert all("/notifications/" in m.get_body(("plain",)).get_content() for m in mails)
    assert all(m["List-Unsubscribe"] for m in mails)
    emailed = Message.objects.filter(recipient=newcomer, channel="email", status="sent")
    assert emailed.count() == len(mails)

    # 7. The grid worker writes a notice to 1座 and publishes it.
    grid.goto(f"{base}/notices/new/")
    grid.fill("input[name=title]", "1座二次供水水箱清洗停水通知")
    grid.fill("textarea[name=body]", "12月9日（周三）9:00至15:00清洗1座二次供水水箱，其间停水，请提前储水。")
    grid.select_option("select[name=building]", str(building.pk))
    with grid.expect_navigation():
        grid.click("[data-testid=save-notice]")
    notice = Notice.objects.get(title="1座二次供水水箱清洗停水通知")
    with grid.expect_navigation():
        grid.click("[data-testid=act-publish]")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED

    # 8. It is in her inbox and, once the worker has run, in the stairwell group, without a name.
    deliver_due()
    (markdown,) = wecom.delivered
    assert "停水" in markdown
    assert "黄丽娟" not in markdown and "林小梅" not in markdown and "周建华" not in markdown
    resident.goto(f"{base}/notifications/")
    assert resident.locator("[data-testid=inbox] li", has_text="停水通知").count() == 1
    resident.goto(f"{base}/my/notices/{notice.pk}/")
    assert "请提前储水" in resident.locator("[data-testid=notice-body]").inner_text()

    # 9. The building leader knocks on the doors of the households nobody reached yet.
    leader_page = _new_page(browser, DESKTOP)
    _sign_in_with_code(leader_page, base, leader_user, landing="**/orgs/posts/mine/")  # 我的楼栋 is their home
    panel = leader_page.locator("[data-testid=notices-unreached]")
    to_tell = panel.locator("[data-testid^=tell-]")
    assert to_tell.count() >= 1
    while to_tell.count():
        with leader_page.expect_navigation():
            to_tell.first.click()
    assert leader_page.locator("[data-testid^=tell-]").count() == 0

    # 10. Everyone in 1座 has been reached.
    grid.goto(f"{base}/notices/{notice.pk}/")
    assert re.sub(r"\s", "", grid.locator("[data-testid=reached-percent]").inner_text()) == "100%"

    for page in (resident, grid, leader_page):
        assert page.console_errors == []

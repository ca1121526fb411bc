"""A joint meeting in a real browser, from invitation to minutes to an action item marked done:
community staff schedule a joint meeting (联席会议) and invite a building leader; the building leader
accepts in the portal and signs in by opening the check-in address of the QR code; staff write the
agenda and the minutes, record a resolution and an action item owned by the building leader; the
building leader marks it done on the phone; staff see it done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from shuren.meetings.models import ActionItem, ActionStatus, Attendance, Meeting
from shuren.meetings.testing import meeting_world  # noqa: F401  (fixture)
from tests.browser.a11y import assert_accessible
from tests.browser.test_appeal_journeys import DESKTOP, PHONE, _new_page
from tests.browser.test_sign_in_journeys import _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)


def _panel(page: Any, key: str) -> Any:
    panel = page.locator(f"details[data-panel={key}]")
    if panel.get_attribute("open") is None:
        panel.locator("summary").first.click()
    return page.locator(f"[data-testid=form-{key}]")


def _submit(page: Any, key: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=do-{key}]")


def test_joint_meeting_from_invitation_to_minutes_to_an_action_item_done(
    browser: Any,
    live_server: Any,
    meeting_world: Any,  # noqa: F811
) -> None:
    world = meeting_world
    base = live_server.url
    leader = world.users["leader1"]

    # 1. Community staff schedule a joint meeting for the community and invite building leader 何伯.
    staff = _new_page(browser, DESKTOP)
    _sign_in_with_code(staff, base, world.users["staff"])
    staff.goto(f"{base}/meetings/")
    with staff.expect_navigation():
        staff.click("[data-testid=new-meeting]")
    starts = timezone.localtime() + dt.timedelta(days=1)
    staff.select_option("select[name=kind]", "joint")
    staff.fill("input[name=title]", "富丰新城三月联席会议")
    staff.fill("input[name=starts_at]", starts.strftime("%Y-%m-%dT%H:%M"))
    staff.fill("input[name=ends_at]", (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    staff.fill("input[name=location]", "富丰新城党群服务站")
    staff.select_option("select[name=area]", label="大新社区")
    assert_accessible(staff)  # the new meeting form, filled in
    with staff.expect_navigation():
        staff.click("[data-testid=save-meeting]")
    meeting = Meeting.objects.get(title="富丰新城三月联席会议")
    assert staff.url.endswith(f"/meetings/{meeting.pk}/")
    form = _panel(staff, "invite_person")
    form.locator("select[name=person]").select_option(label="何伯")
    _submit(staff, "invite_person")
    assert "何伯" in staff.locator("[data-testid=invitations]").inner_text()

    # 2. The building leader finds the invitation in the portal on the phone and accepts.
    phone = _new_page(browser, PHONE)
    _sign_in_with_code(phone, base, leader, landing="**/posts/mine/")
    phone.goto(f"{base}/my/meetings/")
    with phone.expect_navigation():
        phone.click(f"[data-testid=invitation-{meeting.pk}]")
    assert_accessible(phone)  # the invitation on the phone
    with phone.expect_navigation():
        phone.click("[data-testid=accept]")
    assert meeting.invitations.get().status == "accepted"

    # 3. Staff open sign-in; the QR code carries the check-in address; the leader opens it.
    _submit(staff, "open_checkin")
    assert staff.locator("[data-testid=checkin-qr]").evaluate("img => img.complete && img.naturalWidth > 0")
    checkin_url = staff.locator("[data-testid=checkin-url]").inner_text().strip()
    assert meeting.checkin_token in checkin_url
    phone.goto(checkin_url)
    assert "何伯" in phone.locator("[data-testid=checked-in]").inner_text()
    attendance = Attendance.objects.get(meeting=meeting)
    assert attendance.user == leader and attendance.invitation is not None and attendance.is_voting

    # 4. Staff write the agenda, the minutes, a resolution and an action item owned by the leader.
    staff.reload()
    assert staff.locator("[data-testid=attendance-count]").inner_text().strip() == "1"
    form = _panel(staff, "agenda")
    form.locator("select[name=kind]").select_option("decision")
    form.locator("input[name=title]").fill("2座楼道堆放杂物的清理")
    _submit(staff, "agenda")
    assert "2座楼道堆放杂物的清理" in staff.locator("[data-testid=agenda]").inner_text()
    form = _panel(staff, "minutes")
    form.locator("textarea[name=text]").fill("一、学习第一议题。\n二、议定2座楼道杂物由楼长牵头、物业配合清理。")
    _submit(staff, "minutes")
    assert "楼长牵头" in staff.locator("[data-testid=minutes-text]").inner_text()
    form = _panel(staff, "resolution")
    form.locator("textarea[name=text]").fill("一周内清理2座楼道杂物")
    form.locator("select[name=vote_mode]").select_option("counts")
    form.locator("input[name=votes_for]").fill("1")
    _submit(staff, "resolution")
    resolution = meeting.resolutions.get()
    assert resolution.carried and resolution.quorum_met
    assert "1/1" in staff.locator(f"[data-testid=arithmetic-{resolution.pk}]").inner_text()
    form = _panel(staff, "action_item")
    form.locator("input[name=title]").fill("牵头清理2座楼道杂物")
    form.locator("input[name=due_on]").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    form.locator("select[name=owner_user]").select_option(label="何伯")
    _submit(staff, "action_item")
    item = ActionItem.objects.get(meeting=meeting)
    assert item.owner_user == leader and item.status == ActionStatus.OPEN

    # 5. The building leader reports it done from the portal.
    phone.goto(f"{base}/my/meetings/")
    with phone.expect_navigation():
        phone.click(f"[data-testid=action-item-{item.pk}]")
    phone.fill("textarea[name=text]", "已和物业一起清理完毕，楼道畅通")
    phone.fill("input[name=progress]", "100")
    phone.select_option("select[name=status]", "done")
    with phone.expect_navigation():
        phone.click("[data-testid=save-update]")
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE and item.done_at is not None
    assert "清理完毕" in phone.locator("[data-testid=updates]").inner_text()

    # 6. Staff see it done on the meeting page and in the timeline.
    staff.reload()
    assert_accessible(staff)  # the meeting page: agenda, minutes, resolution, action items
    status = staff.locator(f"[data-testid=action-status-{item.pk}] [data-status]")
    assert status.get_attribute("data-status") == "done"
    assert "清理完毕" in staff.locator("[data-testid=timeline]").inner_text()
    assert staff.console_errors == [] and phone.console_errors == []

"""A volunteer's day in a real browser, from sign-up to a redeemed reward: a volunteer finds an
activity on a phone-sized screen and signs up; the organiser shows the check-in QR code and the
volunteer opens its address to check in; the organiser checks the volunteer out and confirms the hours;
the points appear on the volunteer's phone, and the volunteer redeems a reward with them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from shuren.points.models import Account, LedgerEntry, Redemption, Reward
from shuren.volunteering.models import ServiceRecord, SignUp
from shuren.volunteering.testing import vol_world  # noqa: F401  (fixture)
from tests.browser.a11y import assert_accessible
from tests.browser.test_appeal_journeys import DESKTOP, PHONE, _new_page
from tests.browser.test_sign_in_journeys import _sign_in, _sign_in_with_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_volunteer_signs_up_on_a_phone_checks_in_by_qr_gets_points_and_redeems_a_reward(
    browser: Any,
    live_server: Any,
    vol_world: Any,  # noqa: F811
) -> None:
    world = vol_world
    base = live_server.url
    volunteer = world.volunteer("xiaomei", "林小梅")
    # An activity about to start (check-in opens before the start), at the default 10 points an hour.
    starts = timezone.now() + dt.timedelta(minutes=20)
    activity = world.activity(
        title="富丰新城长者探访", starts_at=starts, ends_at=starts + dt.timedelta(hours=2), capacity=2
    )
    reward = Reward.objects.create(community=world.tree["com_a"], name="环保购物袋", cost=10, stock=5)

    # 1. The volunteer finds the activity on the phone and signs up.
    phone = _new_page(browser, PHONE)
    _sign_in(phone, base, volunteer.username)
    phone.wait_for_url("**/me/")
    phone.goto(f"{base}/my/volunteering/")
    with phone.expect_navigation():
        phone.click(f"[data-testid=activity-{activity.pk}]")
    assert_accessible(phone)  # the activity on the phone
    with phone.expect_navigation():
        phone.click("[data-testid=sign-up]")
    assert phone.locator("[data-testid=signup-confirmed]").is_visible()
    signup = SignUp.objects.get(activity=activity, person=world.people["xiaomei"])
    assert signup.status == "confirmed"

    # 2. The organiser shows the QR poster; the volunteer opens its address to check in, then out.
    staff = _new_page(browser, DESKTOP)
    _sign_in_with_code(staff, base, world.users["staff"])
    staff.goto(f"{base}/volunteering/{activity.pk}/")
    with staff.expect_navigation():
        staff.click("[data-testid=poster-link]")
    assert staff.locator("[data-testid=checkin-qr]").evaluate("img => img.complete && img.naturalWidth > 0")
    checkin_url = staff.locator("[data-testid=checkin-url]").inner_text().strip()
    assert activity.checkin_token in checkin_url
    phone.goto(checkin_url)
    assert phone.locator("[data-testid=checked-in]").is_visible()
    phone.goto(checkin_url)  # a second scan straight away is taken for a double scan, not a departure
    assert phone.locator("[data-testid=already-in]").is_visible()

    # 3. The organiser checks the volunteer out on the activity page and confirms two hours of
    #    service (the proposal from check-in and check-out is shown; the organiser may amend it).
    staff.goto(f"{base}/volunteering/{activity.pk}/")
    assert "—" not in staff.locator(f"[data-testid=checkin-state-{signup.pk}]").inner_text()
    with staff.expect_navigation():
        staff.click(f"[data-testid=checkout-{signup.pk}]")
    assert "→" in staff.locator(f"[data-testid=checkin-state-{signup.pk}]").inner_text()
    form = staff.locator(f"[data-testid=form-confirm-{signup.pk}]")
    form.locator("input[name=minutes]").fill("120")
    assert_accessible(staff)  # the activity page with its sign-ups and the confirmation form
    with staff.expect_navigation():
        staff.click(f"[data-testid=confirm-{signup.pk}]")
    record = ServiceRecord.objects.get(signup=signup)
    assert record.minutes == 120
    assert "120" in staff.locator(f"[data-testid=confirmed-{signup.pk}]").inner_text()

    # 4. The points appear on the volunteer's phone: 2 hours at 10 points an hour.
    phone.goto(f"{base}/my/points/")
    assert phone.locator("[data-testid=points-balance]").inner_text().strip() == "20"

    # 5. The volunteer redeems a reward and is given a collection code; the balance drops.
    with phone.expect_navigation():
        phone.click("[data-testid=go-redeem]")
    with phone.expect_navigation():
        phone.click(f"[data-testid=reward-{reward.pk}]")
    with phone.expect_navigation():
        phone.click("[data-testid=confirm-redeem]")
    redemption = Redemption.objects.get(reward=reward)
    assert redemption.status == "pending"
    assert phone.locator("[data-testid=pickup-code]").inner_text().strip() == redemption.pickup_code
    assert_accessible(phone)  # the collection code
    account = Account.objects.get(person=world.people["xiaomei"])
    assert account.balance == 10
    assert sum(e.amount for e in LedgerEntry.objects.filter(account=account)) == 10
    reward.refresh_from_db()
    assert reward.stock == 4
    phone.goto(f"{base}/my/points/")
    assert phone.locator("[data-testid=points-balance]").inner_text().strip() == "10"

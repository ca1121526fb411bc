"""Check-in and check-out on the day: by scanning the activity's QR code (first scan in, next scan
out; from 30 minutes before the start until the end) or by the organiser; and the minutes proposed
from them, clipped to the activity's window."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.volunteering import services
from shuren.volunteering.models import CheckIn
from shuren.volunteering.services import CheckInClosed, NotEligible

pytestmark = pytest.mark.django_db

MIN = dt.timedelta(minutes=1)


def scan(user, activity):
    return services.check_in_with_token(actor=user, token=activity.checkin_token)


def test_the_first_scan_checks_in_and_the_next_checks_out(vol_world):
    activity = vol_world.activity()
    user = vol_world.volunteer("scanner")
    services.sign_up(actor=user, activity=activity)
    with freeze_time(activity.starts_at - 10 * MIN):
        assert scan(user, activity).outcome == "checked_in"
    with freeze_time(activity.starts_at - 9 * MIN):
        assert scan(user, activity).outcome == "already_in"  # a second scan right after is no check-out
    with freeze_time(activity.starts_at + 150 * MIN):
        result = scan(user, activity)
    assert result.outcome == "checked_out"
    assert services.proposed_minutes(result.signup) == 150
    with freeze_time(activity.starts_at + 160 * MIN):
        assert scan(user, activity).outcome == "already_out"
    checkin = CheckIn.objects.get(signup__activity=activity)
    assert (checkin.checked_in_by, checkin.checked_out_by) == ("qr", "qr")


def test_check_in_opens_thirty_minutes_before_the_start_and_closes_at_the_end(vol_world):
    activity = vol_world.activity()
    early, late = vol_world.volunteer("early"), vol_world.volunteer("late")
    services.sign_up(actor=early, activity=activity)
    services.sign_up(actor=late, activity=activity)
    with freeze_time(activity.starts_at - 31 * MIN), pytest.raises(CheckInClosed):
        scan(early, activity)
    with freeze_time(activity.starts_at - 30 * MIN):
        assert scan(early, activity).outcome == "checked_in"
    with freeze_time(activity.ends_at + MIN), pytest.raises(CheckInClosed):
        scan(late, activity)


def test_scanning_without_a_sign_up_or_from_another_community_is_refused(vol_world):
    activity = vol_world.activity()
    stranger = vol_world.volunteer("stranger")
    with freeze_time(activity.starts_at), pytest.raises(NotEligible):
        scan(stranger, activity)
    outsider = vol_world.volunteer("outsider", side="b")
    with freeze_time(activity.starts_at), pytest.raises(OutOfScope):
        scan(outsider, activity)
    with pytest.raises(OutOfScope):
        services.check_in_with_token(actor=stranger, token="not-a-token")


def test_a_waitlisted_volunteer_is_sent_to_the_organiser_who_can_check_them_in(vol_world):
    activity = vol_world.activity(capacity=1)
    services.sign_up(actor=vol_world.volunteer("booked"), activity=activity)
    waiting_user = vol_world.volunteer("waiting")
    waiting = services.sign_up(actor=waiting_user, activity=activity)
    with freeze_time(activity.starts_at):
        with pytest.raises(NotEligible):
            scan(waiting_user, activity)
        services.check_in(actor=vol_world.users["staff"], signup=waiting)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.checkin.checked_in_by == "organiser"


def test_proposed_minutes_are_clipped_to_the_activity_window(vol_world):
    activity = vol_world.activity()  # 09:00-12:00
    signup = services.sign_up(actor=vol_world.volunteer("keen"), activity=activity)
    staff = vol_world.users["staff"]
    with freeze_time(activity.starts_at - 25 * MIN):
        services.check_in(actor=staff, signup=signup)
    assert services.proposed_minutes(signup, at=activity.starts_at + 60 * MIN) is None  # still serving
    with freeze_time(activity.ends_at + 40 * MIN):
        services.check_out(actor=staff, signup=signup)
    signup.refresh_from_db()
    assert services.proposed_minutes(signup) == 180


def test_without_a_check_out_the_end_of_the_activity_counts_once_it_is_over(vol_world):
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("forgetful"), activity=activity)
    with freeze_time(activity.starts_at + 60 * MIN):
        services.check_in(actor=vol_world.users["staff"], signup=signup)
    signup.refresh_from_db()
    assert services.proposed_minutes(signup, at=activity.ends_at + MIN) == 120


def test_the_organiser_cannot_check_out_someone_who_never_checked_in(vol_world):
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("absent"), activity=activity)
    with freeze_time(activity.starts_at), pytest.raises(InvalidTransition):
        services.check_out(actor=vol_world.users["staff"], signup=signup)


def test_nobody_can_cancel_or_be_taken_off_after_checking_in(vol_world):
    activity = vol_world.activity()
    user = vol_world.volunteer("present")
    signup = services.sign_up(actor=user, activity=activity)
    with freeze_time(activity.starts_at - 5 * MIN):
        scan(user, activity)
        with pytest.raises(InvalidTransition):
            services.withdraw_signup(actor=vol_world.users["staff"], signup=signup)

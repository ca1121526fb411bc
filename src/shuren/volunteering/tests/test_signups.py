"""Signing up: places are confirmed while they last, then the waiting list; a cancellation moves the
first waiting volunteer up in the same transaction; who may sign up, and until when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from shuren.audit.models import AuditEvent
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.volunteering import services
from shuren.volunteering.models import ProfileStatus, SignUp, SignUpStatus
from shuren.volunteering.services import NotEligible, SignUpClosed

pytestmark = pytest.mark.django_db


def test_places_are_confirmed_until_full_then_volunteers_join_the_waiting_list(vol_world):
    activity = vol_world.activity(capacity=2)
    users = [vol_world.volunteer(f"v{n}") for n in range(4)]
    statuses = [services.sign_up(actor=user, activity=activity).status for user in users]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert services.places_left(activity) == 0


def test_cancelling_a_place_moves_the_first_on_the_waiting_list_up(vol_world):
    activity = vol_world.activity(capacity=1)
    first, second, third = (vol_world.volunteer(name) for name in ("first", "second", "third"))
    place = services.sign_up(actor=first, activity=activity)
    services.sign_up(actor=second, activity=activity)
    services.sign_up(actor=third, activity=activity)
    services.cancel_signup(actor=first, signup=place)
    statuses = dict(SignUp.objects.filter(activity=activity).values_list("person__name", "status"))
    assert statuses == {"first": "cancelled", "second": "confirmed", "third": "waitlisted"}
    assert AuditEvent.objects.filter(action="volunteering.promote").count() == 1


def test_cancelling_a_waitlisted_sign_up_promotes_nobody(vol_world):
    activity = vol_world.activity(capacity=1)
    first, second = vol_world.volunteer("first"), vol_world.volunteer("second")
    services.sign_up(actor=first, activity=activity)
    waiting = services.sign_up(actor=second, activity=activity)
    services.cancel_signup(actor=second, signup=waiting)
    assert list(activity.signups.values_list("status", flat=True).order_by("pk")) == ["confirmed", "cancelled"]


def test_signing_up_twice_keeps_one_sign_up_and_one_can_sign_up_again_after_cancelling(vol_world):
    activity = vol_world.activity()
    user = vol_world.volunteer("twice")
    first = services.sign_up(actor=user, activity=activity)
    assert services.sign_up(actor=user, activity=activity).pk == first.pk
    services.cancel_signup(actor=user, signup=first)
    again = services.sign_up(actor=user, activity=activity)
    assert again.pk != first.pk and again.status == SignUpStatus.CONFIRMED


def test_the_organiser_taking_someone_off_frees_the_place_for_the_waiting_list(vol_world):
    activity = vol_world.activity(capacity=1)
    first = services.sign_up(actor=vol_world.volunteer("first"), activity=activity)
    waiting = services.sign_up(actor=vol_world.volunteer("second"), activity=activity)
    services.withdraw_signup(actor=vol_world.users["staff"], signup=first)
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.status, waiting.status) == ("withdrawn", "confirmed")


def test_only_approved_volunteers_sign_up_for_activities_that_ask_for_them(vol_world):
    activity = vol_world.activity(approved_volunteers_only=True)
    for username, status in (("applied", ProfileStatus.APPLIED), ("rejected", ProfileStatus.REJECTED), ("none", "")):
        user = vol_world.volunteer(username, status=status)
        with pytest.raises(NotEligible):
            services.sign_up(actor=user, activity=activity)
    open_to_all = vol_world.activity(title="楼道清洁日", approved_volunteers_only=False)
    assert services.sign_up(actor=vol_world.users["applied"], activity=open_to_all).status == "confirmed"
    assert services.sign_up(actor=vol_world.users["none"], activity=open_to_all).status == "confirmed"


def test_a_suspended_volunteer_cannot_sign_up_even_for_open_activities(vol_world):
    activity = vol_world.activity(approved_volunteers_only=False)
    user = vol_world.volunteer("suspended", status=ProfileStatus.SUSPENDED)
    with pytest.raises(NotEligible):
        services.sign_up(actor=user, activity=activity)


def test_volunteers_of_another_community_do_not_see_the_activity(vol_world):
    activity = vol_world.activity()
    outsider = vol_world.volunteer("outsider", side="b")
    with pytest.raises(OutOfScope):
        services.sign_up(actor=outsider, activity=activity)


def test_sign_up_closes_at_the_set_time_or_else_at_the_start(vol_world):
    starts = timezone.now() + dt.timedelta(days=2)
    activity = vol_world.activity(starts_at=starts, signup_closes_at=starts - dt.timedelta(days=1))
    user = vol_world.volunteer("late")
    with freeze_time(starts - dt.timedelta(hours=23)), pytest.raises(SignUpClosed):
        services.sign_up(actor=user, activity=activity)
    other = vol_world.activity(title="长者探访", starts_at=starts)
    with freeze_time(starts - dt.timedelta(minutes=1)):
        assert services.sign_up(actor=user, activity=other).status == "confirmed"
    with freeze_time(starts + dt.timedelta(minutes=1)), pytest.raises(SignUpClosed):
        services.sign_up(actor=vol_world.volunteer("later"), activity=other)


def test_drafts_and_cancelled_activities_take_no_sign_ups(vol_world):
    draft = vol_world.activity(publish=False)
    user = vol_world.volunteer("eager")
    with pytest.raises(SignUpClosed):
        services.sign_up(actor=user, activity=draft)
    with pytest.raises(OutOfScope):  # nor is its QR code of any use
        services.activity_for_token(user, draft.checkin_token)
    published = vol_world.activity(title="义诊")
    services.cancel_activity(
        actor=vol_world.users["staff"], activity=published, version=published.version, reason="台风预警"
    )
    with pytest.raises(SignUpClosed):
        services.sign_up(actor=user, activity=published)


def test_a_volunteer_cannot_cancel_once_the_activity_has_started(vol_world):
    activity = vol_world.activity()
    user = vol_world.volunteer("punctual")
    signup = services.sign_up(actor=user, activity=activity)
    with freeze_time(activity.starts_at + dt.timedelta(minutes=5)), pytest.raises(InvalidTransition):
        services.cancel_signup(actor=user, signup=signup)


def test_the_organiser_signs_someone_up_at_the_door_even_when_full_and_checks_them_in(vol_world):
    activity = vol_world.activity(capacity=1)
    services.sign_up(actor=vol_world.volunteer("booked"), activity=activity)
    walk_in = vol_world.volunteer("walk_in")
    with freeze_time(activity.starts_at + dt.timedelta(minutes=10)):
        signup = services.sign_up_at_door(
            actor=vol_world.users["staff"], activity=activity, person=vol_world.people["walk_in"]
        )
    assert signup.status == SignUpStatus.CONFIRMED
    assert signup.recorded_by == vol_world.users["staff"]
    assert signup.checkin.checked_in_by == "organiser"
    assert walk_in is not None


def test_a_grid_worker_organises_activities_in_their_grid_only(vol_world):
    grid_worker = vol_world.users["grid_worker"]
    activity = vol_world.activity(actor=grid_worker, area=vol_world.tree["grid_a1"])
    assert activity.scope == vol_world.tree["grid_a1"].path
    from shuren.core.errors import NotPermitted

    with pytest.raises((NotPermitted, OutOfScope)):
        vol_world.activity(actor=grid_worker, area=vol_world.tree["grid_a2"])

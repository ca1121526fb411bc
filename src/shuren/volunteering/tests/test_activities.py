"""Activities: creating (place, time window, capacity, skills, team), publishing, editing while
nobody has checked in (more places move the waiting list up, fewer than confirmed are refused),
cancelling with a reason, finishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from shuren.core.errors import InvalidTransition, StaleVersion
from shuren.volunteering import services
from shuren.volunteering.models import Skill

pytestmark = pytest.mark.django_db


def test_an_activity_is_placed_numbered_and_carries_what_it_asks_for(vol_world):
    skills = list(Skill.objects.filter(code__in=["cleaning", "photography"]))
    activity = vol_world.activity(
        building=vol_world.building, team=vol_world.team, skills=skills, points_per_hour=15, publish=False
    )
    assert activity.status == "draft"
    assert activity.scope == vol_world.building.scope
    assert activity.area == vol_world.tree["grid_a1"]
    assert activity.reference.startswith("HD") and activity.reference.endswith(f"{activity.pk:06d}")
    assert sorted(activity.skills_wanted.values_list("code", flat=True)) == ["cleaning", "photography"]
    assert (activity.points_per_hour, activity.team) == (15, vol_world.team)


def test_times_capacity_and_team_are_checked(vol_world):
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        vol_world.activity(
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
            capacity=0,
            team=vol_world.team_b,
        )
    assert set(error.value.message_dict) == {"ends_at", "capacity", "team"}
    with pytest.raises(ValidationError) as error:
        vol_world.activity(starts_at=start, signup_closes_at=start + dt.timedelta(hours=5))
    assert set(error.value.message_dict) == {"signup_closes_at"}
    past = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        vol_world.activity(starts_at=past, ends_at=past + dt.timedelta(hours=1))


def test_staff_of_another_community_cannot_create_here(vol_world):
    from shuren.core.errors import NotPermitted, OutOfScope

    with pytest.raises((OutOfScope, NotPermitted)):
        vol_world.activity(actor=vol_world.users["staff_b"])


def test_publish_then_finish_once_started(vol_world):
    staff = vol_world.users["staff"]
    activity = vol_world.activity(publish=False)
    activity = services.publish_activity(actor=staff, activity=activity, version=activity.version)
    assert activity.status == "published" and activity.published_at is not None
    with pytest.raises(InvalidTransition):
        services.finish_activity(actor=staff, activity=activity, version=activity.version)
    with freeze_time(activity.starts_at + dt.timedelta(hours=1)):
        activity = services.finish_activity(actor=staff, activity=activity, version=activity.version)
    assert activity.status == "finished"


def test_more_places_move_the_waiting_list_up_and_fewer_than_confirmed_are_refused(vol_world):
    staff = vol_world.users["staff"]
    activity = vol_world.activity(capacity=1)
    first = services.sign_up(actor=vol_world.volunteer("first"), activity=activity)
    second = services.sign_up(actor=vol_world.volunteer("second"), activity=activity)
    services.sign_up(actor=vol_world.volunteer("third"), activity=activity)
    activity = services.edit_activity(actor=staff, activity=activity, version=activity.version, capacity=2)
    second.refresh_from_db()
    assert second.status == "confirmed"
    with pytest.raises(ValidationError) as error:
        services.edit_activity(actor=staff, activity=activity, version=activity.version, capacity=1)
    assert "capacity" in error.value.message_dict
    with pytest.raises(StaleVersion):
        services.edit_activity(actor=staff, activity=activity, version=activity.version - 1, title="新标题")
    assert first.status == "confirmed"


def test_editing_stops_once_someone_has_checked_in(vol_world):
    staff = vol_world.users["staff"]
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("present"), activity=activity)
    with freeze_time(activity.starts_at):
        services.check_in(actor=staff, signup=signup)
    with pytest.raises(InvalidTransition):
        services.edit_activity(actor=staff, activity=activity, version=activity.version, title="改名")


def test_cancelling_needs_a_reason_which_the_volunteers_see_and_is_refused_once_hours_are_confirmed(vol_world):
    staff = vol_world.users["staff"]
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.volunteer("signed"), activity=activity)
    with pytest.raises(ValidationError):
        services.cancel_activity(actor=staff, activity=activity, version=activity.version, reason="")
    activity = services.cancel_activity(
        actor=staff, activity=activity, version=activity.version, reason="暴雨红色预警，改期"
    )
    assert (activity.status, activity.cancelled_reason) == ("cancelled", "暴雨红色预警，改期")
    signup.refresh_from_db()
    assert signup.status == "confirmed"  # kept as it was: the page tells the volunteer
    other = vol_world.activity(title="长者生日会")
    signup = services.sign_up(actor=vol_world.users["signed"], activity=other)
    with freeze_time(other.ends_at + dt.timedelta(minutes=1)):
        services.confirm_hours(actor=staff, signup=signup, minutes=60)
    with pytest.raises(InvalidTransition):
        services.cancel_activity(actor=staff, activity=other, version=other.version, reason="补录")

"""The resident's home page reminds a volunteer of the activities they signed up for that have not
ended, and the services tile counts the activities of their own community still taking sign-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.volunteering.selectors import my_upcoming_signups, open_for_signup_count
from shuren.volunteering.services import cancel_activity, cancel_signup, sign_up
from shuren.volunteering.testing import tomorrow_at

pytestmark = pytest.mark.django_db


def test_a_signed_up_activity_waits_until_it_ends_or_the_sign_up_is_cancelled(vol_world, client):
    world = vol_world
    volunteer = world.volunteer("xiaomei", "林小梅")
    activity = world.activity(title="长者饭堂送餐")
    signup = sign_up(actor=volunteer, activity=activity)
    assert list(my_upcoming_signups(volunteer)) == [signup]
    assert list(my_upcoming_signups(volunteer, at=activity.ends_at)) == []  # over: nothing to remind

    client.force_login(volunteer)
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-activities"' in home and "长者饭堂送餐" in home
    assert f'href="/my/volunteering/{activity.pk}/"' in home

    cancel_signup(actor=volunteer, signup=signup)
    assert list(my_upcoming_signups(volunteer)) == []
    assert 'data-testid="waiting-activities"' not in client.get("/me/").content.decode()


def test_a_cancelled_activity_and_other_peoples_sign_ups_do_not_show(vol_world):
    world = vol_world
    volunteer, neighbour = world.volunteer("xiaomei"), world.volunteer("jianhua")
    activity = world.activity()
    sign_up(actor=neighbour, activity=activity)
    assert list(my_upcoming_signups(volunteer)) == []
    mine = sign_up(actor=volunteer, activity=activity)
    assert list(my_upcoming_signups(volunteer)) == [mine]
    cancel_activity(actor=world.users["staff"], activity=activity, version=activity.version, reason="台风预警")
    assert list(my_upcoming_signups(volunteer)) == []


def test_the_sign_up_count_is_of_the_volunteers_own_community_and_still_open(vol_world):
    world = vol_world
    volunteer = world.volunteer("xiaomei")
    world.activity(title="开放报名")
    world.activity(title="报名已截止", signup_closes_at=timezone.now() - dt.timedelta(hours=1))
    world.activity(title="草稿", publish=False)
    world.activity(actor=world.users["staff_b"], area=world.tree["com_b"], title="金旗峰的活动")
    world.activity(title="后天的活动", starts_at=tomorrow_at(9, days=2))
    assert open_for_signup_count(volunteer) == 2
    assert open_for_signup_count(world.volunteer("jinqi", side="b")) == 1
    assert open_for_signup_count(world.users["staff"]) == 0  # staff do not volunteer

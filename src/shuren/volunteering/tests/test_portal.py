"""The volunteer's pages on the phone: upcoming activities of my community with places left and
skills wanted, signing up (place or waiting list) and cancelling, my activities, my profile with my
hours (and my progress as a party member), registering, and the QR code's check-in page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.volunteering import services
from shuren.volunteering.models import Activity, CheckIn, ServiceRecord, SignUp, Skill, VolunteerProfile

pytestmark = pytest.mark.django_db


def running(activity, minutes_since_start):
    starts = timezone.now() - dt.timedelta(minutes=minutes_since_start)
    Activity.objects.filter(pk=activity.pk).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))
    activity.refresh_from_db()
    return activity


@pytest.fixture
def volunteer_client(vol_world, verified_client):
    vol_world.volunteer("chen", "陈志强")
    return verified_client(vol_world.users["chen"])


def test_home_lists_upcoming_activities_of_my_community_with_places_and_skills(vol_world, volunteer_client):
    ours = vol_world.activity(capacity=2, skills=[Skill.objects.get(code="photography")])
    draft = vol_world.activity(title="尚未发布的活动", publish=False)
    theirs = vol_world.activity(title="金旗峰的活动", actor=vol_world.users["staff_b"], area=vol_world.tree["com_b"])
    page = volunteer_client.get(reverse("volunteering_portal:home")).content.decode()
    assert ours.title in page and "摄影宣传" in page
    assert f'data-testid="activity-{ours.pk}"' in page
    assert draft.title not in page and theirs.title not in page


def test_signing_up_and_cancelling_from_the_activity_page(vol_world, volunteer_client):
    activity = vol_world.activity(capacity=1)
    url = reverse("volunteering_portal:activity", args=[activity.pk])
    assert 'data-testid="sign-up"' in volunteer_client.get(url).content.decode()
    response = volunteer_client.post(reverse("volunteering_portal:sign_up", args=[activity.pk]))
    assert response.status_code == 302 and response["Location"] == url
    page = volunteer_client.get(url).content.decode()
    assert 'data-testid="signup-confirmed"' in page and 'data-testid="cancel-signup"' in page
    volunteer_client.post(reverse("volunteering_portal:cancel", args=[activity.pk]))
    assert SignUp.objects.get(activity=activity).status == "cancelled"


def test_a_full_activity_puts_me_on_the_waiting_list_with_my_position(vol_world, volunteer_client):
    activity = vol_world.activity(capacity=1)
    services.sign_up(actor=vol_world.volunteer("first"), activity=activity)
    volunteer_client.post(reverse("volunteering_portal:sign_up", args=[activity.pk]))
    page = volunteer_client.get(reverse("volunteering_portal:activity", args=[activity.pk])).content.decode()
    assert 'data-testid="signup-waitlisted"' in page


def test_a_cancelled_activity_tells_those_signed_up_why(vol_world, volunteer_client):
    activity = vol_world.activity()
    services.sign_up(actor=vol_world.users["chen"], activity=activity)
    services.cancel_activity(
        actor=vol_world.users["staff"], activity=activity, version=activity.version, reason="暴雨红色预警"
    )
    page = volunteer_client.get(reverse("volunteering_portal:activity", args=[activity.pk])).content.decode()
    assert 'data-testid="cancelled"' in page and "暴雨红色预警" in page
    mine = volunteer_client.get(reverse("volunteering_portal:mine")).content.decode()
    assert activity.title in mine


def test_activities_of_another_community_answer_404(vol_world, volunteer_client):
    theirs = vol_world.activity(title="金旗峰的活动", actor=vol_world.users["staff_b"], area=vol_world.tree["com_b"])
    assert volunteer_client.get(reverse("volunteering_portal:activity", args=[theirs.pk])).status_code == 404
    assert volunteer_client.post(reverse("volunteering_portal:sign_up", args=[theirs.pk])).status_code == 404
    url = reverse("volunteering_portal:checkin", args=[theirs.checkin_token])
    assert volunteer_client.get(url).status_code == 404
    assert not SignUp.objects.exists()


def test_the_qr_code_checks_me_in_then_out(vol_world, volunteer_client):
    activity = vol_world.activity()
    signup = services.sign_up(actor=vol_world.users["chen"], activity=activity)
    running(activity, 0)
    url = reverse("volunteering_portal:checkin", args=[activity.checkin_token])
    assert 'data-testid="checked-in"' in volunteer_client.get(url).content.decode()
    assert 'data-testid="already-in"' in volunteer_client.get(url).content.decode()
    CheckIn.objects.filter(signup=signup).update(checked_in_at=timezone.now() - dt.timedelta(minutes=45))
    page = volunteer_client.get(url).content.decode()
    assert 'data-testid="checked-out"' in page
    checkin = CheckIn.objects.get(signup=signup)
    assert checkin.checked_out_by == "qr"


def test_the_qr_code_refuses_those_not_signed_up(vol_world, volunteer_client):
    activity = running(vol_world.activity(), 0)
    response = volunteer_client.get(reverse("volunteering_portal:checkin", args=[activity.checkin_token]))
    assert response.status_code == 403
    assert 'data-testid="checkin-refused"' in response.content.decode()


def test_registering_from_the_phone(vol_world, verified_client):
    user = vol_world.volunteer("newcomer", "新市民小王", status="", role=Role.RESIDENT)
    client = verified_client(user)
    form = client.get(reverse("volunteering_portal:register")).content.decode()
    assert "大新青年志愿服务队" in form and "金旗峰志愿服务队" not in form
    response = client.post(
        reverse("volunteering_portal:register"),
        {
            "skills": [Skill.objects.get(code="it").pk],
            "availability": ["weekend_morning"],
            "introduction": "会修手机",
            "teams": [vol_world.team.pk],
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(person=vol_world.people["newcomer"])
    assert profile.status == "applied" and profile.availability == ["weekend_morning"]
    page = client.get(reverse("volunteering_portal:profile")).content.decode()
    assert "大新青年志愿服务队" in page and "会修手机" not in page  # the introduction is for organisers


def test_my_profile_shows_my_hours_and_my_progress_as_a_party_member(vol_world, verified_client):
    user = vol_world.volunteer("zhang", "张天宝", party=True)
    ServiceRecord.objects.create(
        person=vol_world.people["zhang"],
        served_on=timezone.localdate(),
        minutes=150,
        confirmed_by=vol_world.users["staff"],
        confirmed_at=timezone.now(),
        scope=vol_world.tree["com_a"].path,
    )
    page = verified_client(user).get(reverse("volunteering_portal:profile")).content.decode()
    assert 'data-testid="hours-year">2.5<' in page
    assert 'data-testid="party-progress"' in page
    home = verified_client(user).get(reverse("volunteering_portal:home")).content.decode()
    assert "2.5" in home


def test_a_plain_volunteer_sees_no_party_progress(vol_world, volunteer_client):
    page = volunteer_client.get(reverse("volunteering_portal:profile")).content.decode()
    assert 'data-testid="party-progress"' not in page

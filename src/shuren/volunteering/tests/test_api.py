"""The volunteering API (/api/v1/volunteering/): activities, sign-ups, the QR check-in, the
organiser's steps and confirmations, corrections, records, profiles and the party progress; every
POST needs an Idempotency-Key and a replay repeats the first answer without a second effect."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.volunteering import services
from shuren.volunteering.models import Activity, CheckIn, ServiceRecord, SignUp, VolunteerProfile

pytestmark = pytest.mark.django_db

BASE = "/api/v1/volunteering/"


class Api:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.keys = 0

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params)

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
        self.keys += 1
        headers.setdefault("HTTP_IDEMPOTENCY_KEY", f"k-{id(self)}-{self.keys}")
        return self.client.post(BASE + path, data=json.dumps(body or {}), content_type="application/json", **headers)


@pytest.fixture
def api_as(vol_world, verified_client, client):
    def make(username: str) -> Api:
        client.logout()
        return Api(verified_client(vol_world.users[username]))

    return make


def running(activity, minutes_since_start):
    starts = timezone.now() - dt.timedelta(minutes=minutes_since_start)
    Activity.objects.filter(pk=activity.pk).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))
    activity.refresh_from_db()


def test_staff_create_an_activity_and_read_it_with_its_token(vol_world, api_as):
    staff = api_as("staff")
    starts = timezone.now() + dt.timedelta(days=2)
    response = staff.post(
        "activities/",
        {
            "title": "长者理发日",
            "location": "富丰新城党群服务站",
            "estate": vol_world.estate.pk,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            "capacity": 4,
            "skills": ["elderly_care"],
            "points_per_hour": 12,
            "team": vol_world.team.pk,
            "publish": True,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "published" and body["skills_wanted"] == ["elderly_care"]
    assert body["checkin_token"] and body["places_left"] == 4
    assert response["Location"].endswith(f"/activities/{body['id']}/")
    assert staff.get(f"activities/{body['id']}/")["ETag"] == f'"activity-{body["id"]}-v1"'


def test_unknown_fields_and_a_missing_key_are_refused(vol_world, api_as):
    staff = api_as("staff")
    response = staff.post("activities/", {"title": "x", "colour": "red"})
    assert response.status_code == 400 and "colour" in response.json()["errors"]
    activity = vol_world.activity(publish=False)
    response = staff.client.post(
        BASE + f"activities/{activity.pk}/publish/", data="{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("idempotency-key-missing")


def test_a_volunteer_lists_signs_up_checks_in_by_token_and_the_organiser_confirms(vol_world, api_as):
    activity = vol_world.activity(capacity=2)
    vol_world.volunteer("chen", "陈志强")
    chen = api_as("chen")
    listed = chen.get("activities/").json()["results"]
    assert [a["id"] for a in listed] == [activity.pk] and listed[0]["checkin_token"] is None
    response = chen.post(f"activities/{activity.pk}/sign-up/")
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    assert chen.post(f"activities/{activity.pk}/sign-up/").status_code == 200
    running(activity, 80)
    scan = chen.post("checkin/", {"token": activity.checkin_token})
    assert scan.status_code == 200 and scan.json()["outcome"] == "checked_in"
    signup = SignUp.objects.get(activity=activity)
    CheckIn.objects.filter(signup=signup).update(checked_in_at=timezone.now() - dt.timedelta(minutes=75))
    assert chen.post("checkin/", {"token": activity.checkin_token}).json()["outcome"] == "checked_out"

    staff = api_as("staff")
    signups = staff.get(f"activities/{activity.pk}/signups/").json()
    assert signups[0]["proposed_minutes"] == 75 and signups[0]["record"] is None
    confirmed = staff.post(f"signups/{signup.pk}/confirm/", {})
    assert confirmed.status_code == 201 and confirmed.json()["record"]["minutes"] == 75
    again = staff.post(f"signups/{signup.pk}/confirm/", {"minutes": 100})
    assert again.status_code == 200 and again.json()["record"]["minutes"] == 75
    record = ServiceRecord.objects.get(signup=signup)
    corrected = staff.post(f"records/{record.pk}/correct/", {"minutes": 15, "reason": "签退晚扫了一刻钟"})
    assert corrected.status_code == 201 and corrected.json()["corrects"] == record.pk
    assert signups and staff.get(f"activities/{activity.pk}/signups/").json()[0]["record"]["total_minutes"] == 90


def test_a_replayed_key_answers_the_same_and_signs_up_once(vol_world, api_as):
    activity = vol_world.activity(capacity=1)
    vol_world.volunteer("chen")
    chen = api_as("chen")
    first = chen.post(f"activities/{activity.pk}/sign-up/", HTTP_IDEMPOTENCY_KEY="same-key")
    replay = chen.post(f"activities/{activity.pk}/sign-up/", HTTP_IDEMPOTENCY_KEY="same-key")
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    assert SignUp.objects.filter(activity=activity).count() == 1
    other = chen.post(f"activities/{activity.pk}/cancel-sign-up/", HTTP_IDEMPOTENCY_KEY="same-key")
    assert other.status_code == 422


def test_steps_on_an_activity_need_the_version_read(vol_world, api_as):
    staff = api_as("staff")
    activity = vol_world.activity(publish=False)
    assert staff.post(f"activities/{activity.pk}/publish/").status_code == 428
    assert staff.post(f"activities/{activity.pk}/publish/", HTTP_IF_MATCH='"activity-1-v9"').status_code == 412
    etag = staff.get(f"activities/{activity.pk}/")["ETag"]
    published = staff.post(f"activities/{activity.pk}/publish/", HTTP_IF_MATCH=etag)
    assert published.status_code == 200 and published.json()["status"] == "published"
    cancelled = staff.post(f"activities/{activity.pk}/cancel/", {"version": 2, "reason": "场地冲突"})
    assert cancelled.json()["cancelled_reason"] == "场地冲突"


def test_out_of_scope_objects_answer_404(vol_world, api_as):
    activity = vol_world.activity()
    vol_world.volunteer("chen")
    signup = services.sign_up(actor=vol_world.users["chen"], activity=activity)
    other = api_as("staff_b")
    assert other.get(f"activities/{activity.pk}/").status_code == 404
    assert other.post(f"signups/{signup.pk}/check-in/").status_code == 404
    assert other.get("activities/").json()["results"] == []
    vol_world.volunteer("jin", side="b")
    outsider = api_as("jin")
    assert outsider.post(f"activities/{activity.pk}/sign-up/").status_code == 404
    assert outsider.post("checkin/", {"token": activity.checkin_token}).status_code == 404


def test_records_are_scoped_and_volunteers_see_their_own(vol_world, api_as):
    activity = vol_world.activity(capacity=3)
    for name in ("chen", "lin"):
        signup = services.sign_up(actor=vol_world.volunteer(name), activity=activity)
        running(activity, 200)
        services.confirm_hours(actor=vol_world.users["staff"], signup=signup, minutes=60)
        Activity.objects.filter(pk=activity.pk).update(
            starts_at=timezone.now() + dt.timedelta(days=1), ends_at=timezone.now() + dt.timedelta(days=1, hours=3)
        )
    assert api_as("staff").get("records/").json()["count"] == 2
    mine = api_as("chen").get("records/").json()["results"]
    assert [r["person"] for r in mine] == [vol_world.people["chen"].pk]
    assert api_as("staff_b").get("records/").json()["count"] == 0


def test_register_then_staff_approve_with_if_match(vol_world, api_as):
    vol_world.volunteer("newcomer", status="", role=Role.RESIDENT)
    newcomer = api_as("newcomer")
    assert newcomer.get("profile/").status_code == 404
    response = newcomer.post(
        "profile/", {"skills": ["it"], "availability": ["weekday_evening"], "teams": [vol_world.team.pk]}
    )
    assert response.status_code == 201 and response.json()["status"] == "applied"
    assert response.json()["teams"][0]["name"] == "大新青年志愿服务队"
    profile = VolunteerProfile.objects.get(person=vol_world.people["newcomer"])
    staff = api_as("staff")
    assert staff.post(f"profiles/{profile.pk}/reject/", {"version": 1}).status_code == 400  # a note is needed
    etag = staff.get(f"profiles/{profile.pk}/")["ETag"]
    approved = staff.post(f"profiles/{profile.pk}/approve/", HTTP_IF_MATCH=etag)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [p["id"] for p in staff.get("profiles/", status="approved").json()["results"]] == [profile.pk]


def test_party_progress_needs_both_permissions(vol_world, api_as):
    vol_world.volunteer("zhang", "张天宝", party=True)
    body = api_as("staff").get("party-progress/").json()
    assert body["target"] == 50 and [r["name"] for r in body["rows"]] == ["张天宝"]
    assert body["rows"][0]["is_behind"] in (True, False)
    assert api_as("zhang").get("party-progress/").status_code == 403
    assert api_as("staff_b").get("party-progress/", community=vol_world.tree["com_a"].pk).status_code == 404

"""The meetings REST API: a joint meeting from scheduling to a published resolution, with the
caller's scope, versions and problem answers."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from shuren.accounts.services import issue_api_token

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/"


class Api:
    def __init__(self, user: Any) -> None:
        _token, key = issue_api_token(user=user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, body: dict[str, Any], key: str = "", **headers: Any) -> Any:
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return self.client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def test_a_meeting_through_the_api(meeting_world) -> None:
    world = meeting_world
    api = Api(world.users["staff"])
    starts = timezone.now() + dt.timedelta(days=2)
    created = api.post(
        BASE,
        {
            "kind": "joint",
            "title": "API联席会议",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            "location": "服务站",
            "area": world.tree["com_a"].pk,
        },
        key="schedule-1",
    )
    assert created.status_code == 201, created.content
    meeting = created.json()
    url = f"{BASE}{meeting['id']}/"
    replay = api.post(BASE, {"kind": "joint"}, key="schedule-1")
    assert replay.status_code == 422  # the same Idempotency-Key with another payload

    assert api.post(f"{url}invitations/", {"by": "role", "role": "building_leader"}).status_code == 200
    assert (
        api.post(f"{url}invitations/", {"by": "person", "person": world.people["leader1"].pk})
        .json()["invitations"]
        .__len__()
        == 2
    )
    step = api.post(f"{url}steps/", {"action": "open_checkin"})
    assert step.status_code == 428  # no version
    etag = api.get(url)["ETag"]
    assert api.post(f"{url}steps/", {"action": "open_checkin"}, HTTP_IF_MATCH=etag).status_code == 200
    assert api.post(f"{url}steps/", {"action": "end"}, HTTP_IF_MATCH=etag).status_code == 412

    leader = Api(world.users["leader1"])
    checked = leader.post(f"{BASE}checkin/", {"token": "wrong"})
    assert checked.status_code == 404 and checked["Content-Type"] == "application/problem+json"
    from shuren.meetings.models import Meeting

    token = Meeting.objects.get(pk=meeting["id"]).checkin_token
    assert leader.post(f"{BASE}checkin/", {"token": token}).status_code == 201
    assert leader.post(f"{BASE}checkin/", {"token": token}).status_code == 200

    assert api.post(f"{url}agenda/", {"title": "楼道清理", "kind": "decision"}).status_code == 201
    assert api.post(f"{url}minutes/", {"text": "纪要第一稿"}).status_code == 200
    too_many = api.post(f"{url}resolutions/", {"text": "清理楼道", "votes_for": 3})
    assert too_many.status_code == 400 and "votes_for" in too_many.json()["errors"]
    resolution = api.post(f"{url}resolutions/", {"text": "清理楼道", "votes_for": 1})
    assert resolution.status_code == 201
    body = resolution.json()
    assert body["voting_members_present"] == 1 and body["voting_members_invited"] == 2
    assert body["quorum_met"] is False  # 1 of 2 is exactly half: a joint meeting needs more
    assert body["arithmetic"]["quorum"]["share"] == "1/2" and body["explanation"]

    item = api.post(
        f"{url}action-items/",
        {"title": "通知物业", "due_on": str(timezone.localdate()), "owner_user": world.users["leader1"].pk},
    )
    assert item.status_code == 201
    item_url = f"{BASE}action-items/{item.json()['id']}/"
    assert leader.post(item_url, {"text": "已通知", "progress": 100, "status": "done"}).status_code == 428
    done = leader.post(item_url, {"text": "已通知", "progress": 100, "status": "done", "version": 1})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert Api(world.users["leader2"]).post(item_url, {"text": "x", "progress": 1, "version": 2}).status_code == 404

    detail = api.get(url).json()
    assert detail["resolutions"][0]["text"] == "清理楼道" and detail["minutes"]["version"] == 1
    etag = api.get(url)["ETag"]
    assert api.post(f"{url}steps/", {"action": "end"}, HTTP_IF_MATCH=etag).status_code == 200
    etag = api.get(url)["ETag"]
    published = api.post(f"{url}publish/", {"buildings": [world.buildings[0].pk]}, HTTP_IF_MATCH=etag)
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_other_communities_meetings_are_not_found_and_unknown_fields_are_refused(meeting_world) -> None:
    world = meeting_world
    meeting = world.schedule()
    outsider = Api(world.users["staff_b"])
    assert outsider.get(f"{BASE}{meeting.pk}/").status_code == 404
    assert outsider.post(f"{BASE}{meeting.pk}/agenda/", {"title": "篡改"}).status_code == 404
    assert all(m["id"] != meeting.pk for m in outsider.get(BASE).json()["results"])
    staff = Api(world.users["staff"])
    wrong = staff.post(f"{BASE}{meeting.pk}/agenda/", {"title": "x", "colour": "red"})
    assert wrong.status_code == 400 and "colour" in wrong.json()["errors"]
    assert Api(world.users["resident"]).post(f"{BASE}{meeting.pk}/agenda/", {"title": "x"}).status_code == 403

"""The notices API (/api/v1/notices/): staff write and publish within their reach, residents read
the notices meant for them (reading marks them read), permissions and versions hold."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from shuren.notices.models import NoticeReader, NoticeStatus

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_write_a_draft_and_publish_it_with_its_version(notice_world) -> None:
    staff = api(notice_world.users["staff"])
    created = staff.post(
        "/api/v1/notices/",
        {
            "title": "电梯检修",
            "body": "明日上午电梯停运。",
            "building": notice_world.buildings[0].pk,
            "tags": ["elderly_alone"],
            "urgency": "urgent",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == NoticeStatus.DRAFT and body["tags"] == ["elderly_alone"]
    assert "publish" in body["allowed_actions"]
    pk = body["id"]
    assert staff.post(f"/api/v1/notices/{pk}/publish/", {}, format="json").status_code == 428
    assert (
        staff.post(f"/api/v1/notices/{pk}/publish/", {}, format="json", HTTP_IF_MATCH='"notice-1-v9"').status_code
        == 412
    )
    published = staff.post(f"/api/v1/notices/{pk}/publish/", {"version": body["version"]}, format="json")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == NoticeStatus.PUBLISHED and published.json()["households"] == 1
    assert published["ETag"] == f'"notice-{pk}-v{published.json()["version"]}"'
    figures = staff.get(f"/api/v1/notices/{pk}/figures/").json()
    assert figures["notice"]["households"] == 1 and figures["notice"]["percent"] == 0
    listed = staff.get("/api/v1/notices/").json()
    assert [n["id"] for n in listed["results"]] == [pk]


def test_writing_outside_the_scope_answers_404(notice_world) -> None:
    staff_b = api(notice_world.users["staff_b"])
    answer = staff_b.post(
        "/api/v1/notices/", {"title": "越界", "body": "越界", "building": notice_world.buildings[0].pk}, format="json"
    )
    assert answer.status_code == 404
    notice = notice_world.published()
    assert staff_b.get(f"/api/v1/notices/{notice.pk}/").status_code == 404
    assert staff_b.get(f"/api/v1/notices/{notice.pk}/figures/").status_code == 404
    assert (
        staff_b.post(f"/api/v1/notices/{notice.pk}/end/", {"version": notice.version}, format="json").status_code == 404
    )
    leader = api(notice_world.users["leader"])
    answer = leader.post(
        "/api/v1/notices/", {"title": "越界", "body": "越界", "building": notice_world.buildings[1].pk}, format="json"
    )
    assert answer.status_code == 404


def test_residents_read_their_notices_and_reading_marks_them_read(notice_world) -> None:
    notice = notice_world.published()
    resident = api(notice_world.users["party"])
    listed = resident.get("/api/v1/notices/").json()
    assert [n["id"] for n in listed["results"]] == [notice.pk]
    detail = resident.get(f"/api/v1/notices/{notice.pk}/")
    assert detail.status_code == 200 and detail.json()["allowed_actions"] == []
    assert NoticeReader.objects.get(notice=notice, user=notice_world.users["party"]).read_at is not None
    assert resident.post("/api/v1/notices/", {"title": "x", "body": "y"}, format="json").status_code == 403
    assert resident.get(f"/api/v1/notices/{notice.pk}/figures/").status_code == 403
    assert api(notice_world.users["b2"]).get(f"/api/v1/notices/{notice.pk}/").status_code == 404


def test_the_leader_marks_a_household_told_through_the_api(notice_world) -> None:
    notice = notice_world.published()
    household = notice.targets.get(dwelling=notice_world.dwelling(0, "202"))
    answer = api(notice_world.users["leader"]).post(f"/api/v1/notices/households/{household.pk}/told/")
    assert answer.status_code == 200 and answer.json()["reached"] is True
    assert api(notice_world.users["party"]).post(f"/api/v1/notices/households/{household.pk}/told/").status_code == 403
    assert (
        api(notice_world.users["staff_b"]).post(f"/api/v1/notices/households/{household.pk}/told/").status_code == 404
    )


def test_withdrawing_needs_a_reason(notice_world) -> None:
    notice = notice_world.published()
    staff = api(notice_world.users["staff"])
    url = f"/api/v1/notices/{notice.pk}/withdraw/"
    assert staff.post(url, {"version": notice.version}, format="json").status_code == 400
    answer = staff.post(url, {"version": notice.version, "reason": "时间有误"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == NoticeStatus.WITHDRAWN
    assert staff.post(url, {"version": answer.json()["version"], "reason": "再撤"}, format="json").status_code == 409

"""Convention pages (console and portal) and the API: drafting, discussion, the published text in
force with its history and diff, and scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shuren.conventions import services
from shuren.conventions.models import Convention, VersionStatus

pytestmark = pytest.mark.django_db

V1 = "一、电瓶车停放在指定车棚。\n二、严禁飞线充电。"
V2 = "一、电瓶车停放在指定车棚。\n二、严禁飞线充电。\n三、充电时间为6:00-23:00。"


def in_force_with_v2_in_discussion(co_world):
    staff = co_world.users["staff"]
    convention = services.create_convention(
        actor=staff, title="富丰新城电瓶车管理公约", text=V1, area=co_world.tree["com_a"], estate=co_world.estate
    )
    services.adopt_version(
        actor=staff,
        version=convention.versions.get(),
        via="meeting",
        reference="联席会议决议",
        adopted_on=dt.date(2024, 3, 1),
    )
    v2 = services.start_version(actor=staff, convention=convention, change_summary="增加充电时段")
    v2 = services.edit_draft(actor=staff, version=v2, text=V2, change_summary="增加第三条充电时段")
    services.open_discussion(actor=staff, version=v2)
    return convention, v2


def test_staff_draft_from_the_console(co_world, client, verified_client):
    verified_client(co_world.users["staff"])
    assert client.get(reverse("conventions:new")).status_code == 200
    bad = client.post(reverse("conventions:new"), {"title": "养犬公约", "area": co_world.tree["com_a"].pk, "text": ""})
    assert bad.status_code == 400 and "养犬公约" in bad.content.decode()
    done = client.post(
        reverse("conventions:new"),
        {"title": "养犬公约", "area": co_world.tree["com_a"].pk, "estate": co_world.estate.pk, "text": "文明养犬"},
    )
    convention = Convention.objects.get(title="养犬公约")
    assert done.status_code == 302 and convention.estate == co_world.estate
    version = convention.versions.get()
    client.post(
        reverse("conventions:version_edit", args=[version.pk]), {"text": "文明养犬，出门拴绳", "change_summary": ""}
    )
    client.post(reverse("conventions:version_open", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_DISCUSSION and version.text == "文明养犬，出门拴绳"
    page = client.get(reverse("conventions:detail", args=[convention.pk])).content.decode()
    assert "出门拴绳" in page and "version-1" in page


def test_residents_read_the_text_in_force_history_and_diff_and_comment(co_world, client, verified_client):
    convention, v2 = in_force_with_v2_in_discussion(co_world)
    resident = co_world.resident(co_world.b5, room="101")
    verified_client(resident)
    assert "富丰新城电瓶车管理公约" in client.get(reverse("conventions_portal:index")).content.decode()
    page = client.get(reverse("conventions_portal:detail", args=[convention.pk])).content.decode()
    assert 'data-testid="in-force"' in page and 'data-testid="in-discussion"' in page
    assert "<ins" in page and "充电时间为6:00-23:00" in page and 'data-testid="comment-form"' in page
    client.post(reverse("conventions_portal:comment", args=[v2.pk]), {"text": "建议延长到24点"})
    assert v2.comments.get().text == "建议延长到24点"
    comment = v2.comments.get()
    verified_client(co_world.users["staff"])
    client.post(reverse("conventions:comment_hide", args=[comment.pk]), {"reason": "重复内容"})
    comment.refresh_from_db()
    assert comment.hidden_reason == "重复内容"
    verified_client(resident)
    page = client.get(reverse("conventions_portal:detail", args=[convention.pk])).content.decode()
    assert "建议延长到24点" not in page and "重复内容" in page


def test_portal_and_console_are_scoped(co_world, client, verified_client):
    convention, v2 = in_force_with_v2_in_discussion(co_world)
    verified_client(co_world.resident(co_world.building_b))
    assert client.get(reverse("conventions_portal:detail", args=[convention.pk])).status_code == 404
    assert client.post(reverse("conventions_portal:comment", args=[v2.pk]), {"text": "x"}).status_code == 404
    verified_client(co_world.users["staff_b"])
    assert client.get(reverse("conventions:detail", args=[convention.pk])).status_code == 404
    assert client.post(reverse("conventions:version_reject", args=[v2.pk]), {"reason": "x"}).status_code == 404
    verified_client(co_world.users["subdistrict"])
    assert client.get(reverse("conventions:detail", args=[convention.pk])).status_code == 200
    assert client.post(reverse("conventions:version_reject", args=[v2.pk]), {"reason": "x"}).status_code == 403


def test_drafts_stay_unpublished_to_residents(co_world, client, verified_client):
    convention = services.create_convention(
        actor=co_world.users["staff"], title="草稿公约", text="草稿", area=co_world.tree["com_a"]
    )
    verified_client(co_world.resident())
    assert client.get(reverse("conventions_portal:detail", args=[convention.pk])).status_code == 404


def test_api_lists_versions_diff_and_takes_comments(co_world):
    convention, v2 = in_force_with_v2_in_discussion(co_world)
    resident = co_world.resident(room="101")
    api = APIClient()
    api.force_authenticate(resident)
    listing = api.get("/api/v1/conventions/").json()["results"]
    assert [c["id"] for c in listing] == [convention.pk]
    detail = api.get(f"/api/v1/conventions/{convention.pk}/").json()
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert (
        detail["diff"]["from"] == 1
        and {"kind": "added", "text": "三、充电时间为6:00-23:00。"} in detail["diff"]["lines"]
    )
    made = api.post(
        f"/api/v1/conventions/versions/{v2.pk}/comments/", {"text": "赞成"}, format="json", HTTP_IDEMPOTENCY_KEY="c1"
    )
    assert made.status_code == 201
    v1 = convention.versions.get(number=1)
    refused = api.post(
        f"/api/v1/conventions/versions/{v1.pk}/comments/", {"text": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="c2"
    )
    assert refused.status_code == 409
    outsider = APIClient()
    outsider.force_authenticate(co_world.resident(co_world.building_b))
    assert outsider.get(f"/api/v1/conventions/{convention.pk}/").status_code == 404
    staff_b = APIClient()
    staff_b.force_authenticate(co_world.users["staff_b"])
    assert staff_b.get("/api/v1/conventions/").json()["results"] == []

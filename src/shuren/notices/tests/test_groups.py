"""The stairwell groups' robots: a webhook is checked, stored encrypted, shown and logged masked,
kept by staff of its place only, and resolved for the WeCom channel."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings

from shuren.audit.models import AuditEvent
from shuren.core.errors import OutOfScope
from shuren.notices import services, webhooks
from shuren.notices.models import GroupWebhook

pytestmark = pytest.mark.django_db

KEY = "693a91f6-7b2c-4bc4-97a0-0ec2f1a95aaa"
URL = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"


@pytest.fixture(autouse=True)
def _wecom_at_its_real_host():
    with override_settings(SHUREN_WECOM_WEBHOOK_BASE="https://qyapi.weixin.qq.com"):
        yield


def test_a_webhook_is_stored_encrypted_and_shown_masked(notice_world, verified_client) -> None:
    building = notice_world.buildings[0]
    hook = services.save_webhook(actor=notice_world.users["staff"], url=URL, building=building, name="1座楼道群")
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM notices_groupwebhook WHERE id = %s", [hook.pk])
        stored = cursor.fetchone()[0]
    assert KEY not in stored
    assert GroupWebhook.objects.get(pk=hook.pk).url == URL
    assert webhooks.resolve(f"building:{building.pk}") == URL
    assert webhooks.resolve("building:999999") == "" and webhooks.resolve("http://x") == ""
    page = verified_client(notice_world.users["staff"]).get("/notices/groups/").content.decode()
    assert hook.masked in page and KEY not in page
    events = AuditEvent.objects.filter(action="notices.webhook_save")
    assert events.exists() and all(KEY not in str(e.detail) for e in events)


@pytest.mark.parametrize(
    "url",
    [
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7b2c-4bc4",
        "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=693a91f6-7b2c-4bc4",
        "https://qyapi.weixin.qq.com/cgi-bin/other?key=693a91f6-7b2c-4bc4",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
        "",
    ],
)
def test_a_webhook_that_is_not_wecoms_is_refused(notice_world, url) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_webhook(actor=notice_world.users["staff"], url=url, building=notice_world.buildings[0])
    assert "url" in error.value.message_dict


def test_staff_of_another_community_cannot_keep_this_buildings_robot(notice_world, verified_client) -> None:
    with pytest.raises(OutOfScope):
        services.save_webhook(actor=notice_world.users["staff_b"], url=URL, building=notice_world.buildings[0])
    hook = services.save_webhook(actor=notice_world.users["staff"], url=URL, grid=notice_world.tree["grid_a1"])
    staff_b = verified_client(notice_world.users["staff_b"])
    assert staff_b.get(f"/notices/groups/{hook.pk}/").status_code == 404
    assert staff_b.post(f"/notices/groups/{hook.pk}/delete/").status_code == 404
    assert GroupWebhook.objects.filter(pk=hook.pk).exists()


def test_editing_keeps_the_stored_address_when_none_is_pasted(notice_world, verified_client) -> None:
    hook = services.save_webhook(actor=notice_world.users["staff"], url=URL, building=notice_world.buildings[0])
    staff = verified_client(notice_world.users["staff"])
    answer = staff.post(
        f"/notices/groups/{hook.pk}/", {"building": notice_world.buildings[0].pk, "name": "新名字", "url": ""}
    )
    assert answer.status_code == 302
    hook.refresh_from_db()
    assert hook.url == URL and hook.name == "新名字" and hook.active is False


def test_one_robot_per_place(notice_world) -> None:
    services.save_webhook(actor=notice_world.users["staff"], url=URL, building=notice_world.buildings[0])
    with pytest.raises(ValidationError):
        services.save_webhook(actor=notice_world.users["staff"], url=URL, building=notice_world.buildings[0])

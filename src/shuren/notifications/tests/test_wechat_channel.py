"""WeChat: a resident links WeChat from the mini program's login (code2session through the local
WeChat fake), gets subscribe messages of the kinds that have a template, and unlinks it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from shuren.audit.models import AuditEvent
from shuren.notifications.models import Message, WeChatLink
from shuren.notifications.selectors import preference_rows
from shuren.notifications.services import deliver_due, notify
from shuren.notifications.testing import APP_ID, APP_SECRET, OPENID, TEMPLATE_ID, WechatServer

pytestmark = pytest.mark.django_db

LINK = "/api/v1/notifications/wechat/link/"
TEMPLATES = {
    "tests.resolved": {
        "template": TEMPLATE_ID,
        "page": "pages/notice/detail",
        "fields": {
            "thing1": "subject",
            "time2": "created",
            "thing3": "text",
            "character_string4": "param:ref",
            "phrase5": "=已办结",
            "name6": "=社区居委会",
        },
    }
}


@pytest.fixture(autouse=True)
def _wechat_kind():
    from shuren.notifications import kinds

    kinds.register(kinds.Kind("tests.resolved", "Resolved", channels=("inapp", "wechat")))


@pytest.fixture
def wechat(settings):
    with WechatServer() as server:
        settings.SHUREN_WECHAT_API_BASE = server.url
        settings.SHUREN_WECHAT_APP_ID = APP_ID
        settings.SHUREN_WECHAT_APP_SECRET = APP_SECRET
        settings.SHUREN_WECHAT_TIMEOUT = 1
        settings.SHUREN_WECHAT_TEMPLATES = TEMPLATES
        settings.SHUREN_NOTIFICATION_CHANNELS = {}
        cache.clear()
        yield server
        cache.clear()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_resident_links_wechat_with_the_mini_programs_login_code(resident, wechat):
    answer = api(resident).post(LINK, {"js_code": wechat.login(OPENID)}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["linked"] is True and answer.json()["openid_masked"] == "o6_b****fL2M"
    [call] = wechat.accepted
    assert call.method == "GET" and call.query["grant_type"] == "authorization_code"
    link = WeChatLink.objects.get(user=resident)
    assert link.openid == OPENID
    # Stored encrypted, found by its blind index only.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT openid FROM notifications_wechatlink")
        assert OPENID not in cursor.fetchone()[0]
    assert AuditEvent.objects.filter(action="notifications.wechat_linked").exists()
    assert api(resident).get(LINK).json()["linked"] is True


def test_a_code_used_twice_or_made_up_is_refused(resident, neighbour, wechat):
    code = wechat.login(OPENID)
    assert api(resident).post(LINK, {"js_code": code}, format="json").status_code == 201
    again = api(neighbour).post(LINK, {"js_code": code}, format="json")
    assert again.status_code == 400 and again.json()["type"].endswith("wechat-code-refused")
    assert api(neighbour).post(LINK, {"js_code": "made-up-code-0000"}, format="json").status_code == 400
    assert not WeChatLink.objects.filter(user=neighbour).exists()
    assert APIClient().post(LINK, {"js_code": code}, format="json").status_code in (401, 403)


def test_wechat_down_answers_503_and_links_nothing(resident, wechat):
    code = wechat.login(OPENID)
    wechat.down()
    answer = api(resident).post(LINK, {"js_code": code}, format="json")
    assert answer.status_code == 503 and answer.json()["type"].endswith("wechat-unavailable")
    assert not WeChatLink.objects.exists()


def test_the_same_wechat_linked_from_another_account_moves_to_it(resident, neighbour, wechat):
    api(resident).post(LINK, {"js_code": wechat.login(OPENID)}, format="json")
    api(neighbour).post(LINK, {"js_code": wechat.login(OPENID)}, format="json")
    assert list(WeChatLink.objects.values_list("user", flat=True)) == [neighbour.pk]


def test_a_linked_resident_gets_a_subscribe_message_through_the_real_client(resident, wechat):
    api(resident).post(LINK, {"js_code": wechat.login(OPENID)}, format="json")
    wechat.accept(OPENID, TEMPLATE_ID)
    notify(
        kind="tests.resolved",
        event_key="appeal:1:resolved",
        recipients=[resident],
        subject="您反映的问题已办结",
        text="3号楼漏水已修好",
        channels=("inapp", "wechat"),
        params={"ref": "TZ-2026-0187", "page_query": "id=1"},
    )
    assert deliver_due()["sent"] == 1
    [sent] = wechat.delivered
    assert sent["touser"] == OPENID and sent["template_id"] == TEMPLATE_ID
    assert sent["page"] == "pages/notice/detail?id=1"
    assert sent["data"]["thing1"] == {"value": "您反映的问题已办结"}
    assert sent["data"]["character_string4"] == {"value": "TZ-2026-0187"}
    assert Message.objects.get(channel="wechat").status == "sent"


def test_a_message_the_user_did_not_accept_fails_for_good(resident, wechat):
    api(resident).post(LINK, {"js_code": wechat.login(OPENID)}, format="json")
    notify(
        kind="tests.resolved",
        event_key="e:1",
        recipients=[resident],
        subject="s",
        text="t",
        channels=("wechat",),
        params={"ref": "TZ-1"},
    )
    assert deliver_due()["failed"] == 1
    assert "43101" in Message.objects.get(channel="wechat").last_error


def test_wechat_is_offered_only_for_kinds_with_a_template(resident, wechat, settings):
    from shuren.notifications import kinds

    kinds.register(kinds.Kind("tests.other", "Other", channels=("inapp",), optional=("wechat",)))
    rows = {row.code: [cell[0] for cell in row.cells] for row in preference_rows(resident)}
    assert rows.get("tests.resolved") == ["wechat"]
    assert "tests.other" not in rows
    WeChatLink.objects.create(user=resident, openid=OPENID)
    kinds.register(kinds.Kind("tests.other", "Other", channels=("inapp", "wechat")))
    notify(kind="tests.other", event_key="o:1", recipients=[resident], subject="s", text="t")
    assert not Message.objects.filter(channel="wechat").exists()


def test_no_link_no_wechat_message(resident, wechat):
    notify(kind="tests.resolved", event_key="e:1", recipients=[resident], subject="s", text="t", channels=("wechat",))
    assert not Message.objects.filter(channel="wechat").exists()


def test_the_preferences_page_shows_the_link_and_unlinks_it(resident, wechat, verified_client):
    WeChatLink.objects.create(user=resident, openid=OPENID)
    client = verified_client(resident)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'data-testid="wechat-link"' in page and "/notifications/preferences/wechat/unlink/" in page
    assert client.post("/notifications/preferences/wechat/unlink/").status_code == 302
    assert not WeChatLink.objects.exists()
    assert AuditEvent.objects.filter(action="notifications.wechat_unlinked").exists()


def test_a_site_without_a_mini_program_answers_404(resident, settings):
    settings.SHUREN_WECHAT_APP_ID = settings.SHUREN_WECHAT_APP_SECRET = ""
    answer = api(resident).post(LINK, {"js_code": "0a1b2c3d4e5f6a7b"}, format="json")
    assert answer.status_code == 404 and answer.json()["type"].endswith("wechat-not-configured")

"""The public notices page of a community and its Atom feed: notices marked public only, and no
personal data in them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from shuren.notices import services

pytestmark = pytest.mark.django_db

PERSONAL = ("王秀英", "13912345678", "440605195001011234", "1单元101")
BODY = "王秀英家（1座1单元101）水管爆裂，联系电话13912345678，身份证440605195001011234。明日全楼停水。"


def test_the_public_page_shows_public_notices_without_personal_data(notice_world, client) -> None:
    public = notice_world.published(title="全楼停水（王秀英家漏水）", body=BODY, is_public=True)
    private = notice_world.published(title="党员活动通知", body="内部通知")
    community = notice_world.tree["com_a"]
    page = client.get(f"/public/notices/{community.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "全楼停水" in html and "党员活动通知" not in html
    detail = client.get(f"/public/notices/{community.pk}/{public.pk}/").content.decode()
    assert "明日全楼停水" in detail
    for personal in PERSONAL:
        assert personal not in html and personal not in detail
    assert client.get(f"/public/notices/{community.pk}/{private.pk}/").status_code == 404
    # Another community's page does not list it; a grid is not a community.
    assert "全楼停水" not in client.get(f"/public/notices/{notice_world.tree['com_b'].pk}/").content.decode()
    assert client.get(f"/public/notices/{notice_world.tree['grid_a1'].pk}/").status_code == 404
    assert "Set-Cookie" not in page.headers and "csrftoken" not in html


def test_the_feed_is_atom_without_personal_data(notice_world, client) -> None:
    notice_world.published(title="全楼停水（王秀英家漏水）", body=BODY, is_public=True)
    community = notice_world.tree["com_a"]
    feed = client.get(f"/public/notices/{community.pk}/feed.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)  # noqa: S314 (our own feed, in a test)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1
    title = entries[0].find("a:title", ns)
    assert title is not None and "全楼停水" in (title.text or "")
    text = feed.content.decode()
    for personal in PERSONAL:
        assert personal not in text


def test_a_withdrawn_notice_leaves_the_public_page(notice_world, client) -> None:
    notice = notice_world.published(title="全楼停水", body="明日停水", is_public=True)
    services.withdraw_notice(actor=notice_world.users["staff"], notice=notice, version=notice.version, reason="取消")
    community = notice_world.tree["com_a"]
    assert "全楼停水" not in client.get(f"/public/notices/{community.pk}/").content.decode()
    assert client.get(f"/public/notices/{community.pk}/{notice.pk}/").status_code == 404


def test_a_title_with_markup_is_escaped_on_every_page(notice_world, client, verified_client) -> None:
    title = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    notice = notice_world.published(title=title, body="<b>粗体</b>", is_public=True)
    community = notice_world.tree["com_a"]
    staff = verified_client(notice_world.users["staff"])
    pages = [
        staff.get(f"/notices/{notice.pk}/").content.decode(),
        staff.get("/notices/").content.decode(),
        client.get(f"/public/notices/{community.pk}/").content.decode(),
        client.get(f"/public/notices/{community.pk}/feed.atom").content.decode(),
    ]
    resident = client
    resident.force_login(notice_world.users["party"])
    pages.append(resident.get(f"/my/notices/{notice.pk}/").content.decode())
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>粗体" not in html

"""Publication of resolved appeals: nothing is public until a person at the desk has compared the
redacted text with the original and confirmed it; what is published is the redacted text,
redacted again when shown; personal data in any written form never reaches a public page
(/board/, the board's detail, Open311 JSON and XML, one request)."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuren.appeals import services
from shuren.appeals.models import Appeal, IntakePolicy, Publication
from shuren.appeals.testing import confirm_publication
from shuren.audit.models import AuditEvent
from shuren.core.errors import NotPermitted
from shuren.core.tests.pii_strategies import leaked, normalised, sentences
from shuren.people.models import Person

pytestmark = pytest.mark.django_db

OPEN311 = "/open311/v2"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # board counts and the Open311 rate limit


def resolved(world: Any, *, description: str, reply: str, **kwargs: Any) -> Appeal:
    appeal = world.submit(description=description, **kwargs)
    appeal = services.dispatch_appeal(
        actor=world.users["staff"],
        appeal=appeal,
        version=appeal.version,
        organization=world.property_manager,
        reason="物业负责",
    )
    appeal = services.take_up_appeal(actor=world.users["handler"], appeal=appeal, version=appeal.version)
    return services.resolve_appeal(
        actor=world.users["handler"], appeal=appeal, version=appeal.version, resolution=reply
    )


def public_pages(client: Any, appeal: Appeal) -> dict[str, str]:
    """Every public answer that may show ``appeal``."""
    cache.clear()
    pages = {
        "board": client.get("/board/"),
        "board detail": client.get(f"/board/{appeal.pk}/"),
        "requests.json": client.get(f"{OPEN311}/requests.json"),
        "requests.xml": client.get(f"{OPEN311}/requests.xml"),
        "request by id": client.get(f"{OPEN311}/requests.json?service_request_id={appeal.reference}"),
        "request.json": client.get(f"{OPEN311}/requests/{appeal.reference}.json"),
        "request.xml": client.get(f"{OPEN311}/requests/{appeal.reference}.xml"),
    }
    return {name: response.content.decode() for name, response in pages.items()}


def test_resolving_publishes_nothing_until_the_desk_confirms(client, appeal_world):
    appeal = resolved(
        appeal_world, description="楼道灯坏了，电话139-1234-5678", reply="已更换灯泡，可联系 139 1234 5678"
    )
    assert (appeal.publication, appeal.is_published) == (Publication.PENDING, False)
    pages = public_pages(client, appeal)
    assert client.get(f"/board/{appeal.pk}/").status_code == 404
    assert appeal.reference not in pages["board"]
    [row] = json.loads(pages["request.json"])
    # Category, place, status and dates only: no text of the appeal or of the reply.
    assert row["description"] is None and row["status_notes"] == "已办结，待评价"
    assert row["service_code"] == "ebike-charging" and row["requested_datetime"]
    for text in pages.values():
        assert "灯泡" not in text and "楼道灯" not in text


def test_the_desk_sees_original_and_redacted_side_by_side_then_confirms(client, appeal_world, verified_client):
    appeal = resolved(
        appeal_world,
        description="我是林小梅，3号楼2单元501室楼道灯坏了，电话139-1234-5678",
        reply="已更换灯泡。林小梅您好，如再坏请加微信 wx: wy_2024",
    )
    desk = appeal_world.users["staff"]
    staff_client = verified_client(desk)
    queue = staff_client.get(reverse("appeals:publication_review")).content.decode()
    assert appeal.reference in queue
    page = staff_client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    assert 'data-testid="publication-review"' in page
    original = page.split('data-testid="review-original-summary"')[1].split("</div>")[0]
    redacted = page.split('data-testid="review-redacted-summary"')[1].split("</div>")[0]
    assert "<mark" in original and "139-1234-5678" in original and "501室" in original
    assert "139" not in redacted and "501" not in redacted and "林小梅" not in redacted
    reply = page.split('data-testid="review-redacted-reply"')[1].split("</div>")[0]
    assert "wy_2024" not in reply and "林小梅" not in reply and "已更换灯泡" in reply

    # The desk edits the redacted text and slips a phone and a door back in: saved redacted.
    response = staff_client.post(
        reverse("appeals:appeal_action", args=[appeal.pk, "publish"]),
        {
            "version": appeal.version,
            "is_published": "on",
            "public_summary": "楼道灯坏了（业主139 1234 5678，5栋602房）",
            "public_reply": "已更换灯泡",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.publication == Publication.PUBLISHED and appeal.published_by == desk
    assert "139" not in appeal.public_summary and "602" not in appeal.public_summary
    assert appeal.public_summary.startswith("楼道灯坏了")
    event = AuditEvent.objects.filter(action="appeals.publish", object_id=str(appeal.pk)).latest("pk")
    assert event.actor_id == desk.pk and event.detail["published"] is True
    assert "139" not in json.dumps(event.detail)  # the kinds hidden, never the values
    assert appeal.reference not in staff_client.get(reverse("appeals:publication_review")).content.decode()
    detail = client.get(f"/board/{appeal.pk}/").content.decode()
    assert "楼道灯坏了" in detail and "已更换灯泡" in detail
    [row] = json.loads(client.get(f"{OPEN311}/requests/{appeal.reference}.json").content)
    assert row["status_notes"] == "已更换灯泡" and row["description"].startswith("楼道灯坏了")


def test_a_declined_appeal_stays_off_the_public_pages(client, appeal_world):
    appeal = resolved(appeal_world, description="邻居家漏水", reply="已协调维修")
    appeal = services.set_publication(
        actor=appeal_world.users["staff"], appeal=appeal, version=appeal.version, published=False, summary="漏水"
    )
    assert appeal.publication == Publication.DECLINED
    assert client.get(f"/board/{appeal.pk}/").status_code == 404
    [row] = json.loads(client.get(f"{OPEN311}/requests/{appeal.reference}.json").content)
    assert row["description"] is None and row["status_notes"] != "已协调维修"


@pytest.mark.parametrize("role", ["staff", "grid_worker"])
def test_the_desk_that_manages_the_appeal_may_confirm(appeal_world, role):
    appeal = resolved(appeal_world, description="楼道灯坏了", reply="已更换灯泡")
    appeal = confirm_publication(appeal, appeal_world.users[role])
    assert appeal.publication == Publication.PUBLISHED


@pytest.mark.parametrize("role", ["handler", "resident", "staff_b", "other_handler"])
def test_no_one_else_may_confirm(appeal_world, verified_client, role):
    appeal = resolved(appeal_world, description="楼道灯坏了", reply="已更换灯泡")
    with pytest.raises(NotPermitted):
        confirm_publication(appeal, appeal_world.users[role])
    response = verified_client(appeal_world.users[role]).post(
        reverse("appeals:appeal_action", args=[appeal.pk, "publish"]),
        {"version": appeal.version, "is_published": "on", "public_summary": "楼道灯坏了", "public_reply": "已更换"},
    )
    assert response.status_code in (403, 404)
    appeal.refresh_from_db()
    assert appeal.publication == Publication.PENDING


def test_a_community_may_publish_only_category_place_and_dates(client, appeal_world):
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], publish_text=False)
    appeal = resolved(appeal_world, description="楼道灯坏了，电话13912345678", reply="已更换灯泡")
    assert appeal.publication == Publication.MINIMAL
    detail = client.get(f"/board/{appeal.pk}/")
    assert detail.status_code == 200
    assert "灯" not in detail.content.decode() and "13912345678" not in detail.content.decode()
    [row] = json.loads(client.get(f"{OPEN311}/requests/{appeal.reference}.json").content)
    assert row["description"] is None and row["status_notes"] == "已办结，待评价"


def test_reopening_takes_the_appeal_off_the_board_until_reviewed_again(client, appeal_world):
    appeal = confirm_publication(
        resolved(appeal_world, description="楼道灯坏了", reply="已更换灯泡"), appeal_world.users["staff"]
    )
    appeal = services.give_feedback(
        actor=appeal_world.users["resident"],
        appeal=appeal,
        version=appeal.version,
        is_solved=False,
        satisfaction=1,
        comment="还是不亮",
        reopen=True,
    )
    assert appeal.publication == Publication.NONE and not appeal.is_published
    assert client.get(f"/board/{appeal.pk}/").status_code == 404


def test_text_stored_before_review_is_redacted_again_when_shown(client, appeal_world):
    """Defence in depth: even a published text that somehow holds a phone is redacted on the page."""
    appeal = confirm_publication(
        resolved(appeal_world, description="楼道灯坏了", reply="已更换灯泡"), appeal_world.users["staff"]
    )
    Appeal.objects.filter(pk=appeal.pk).update(public_summary="灯坏了 139.1234.5678", public_reply="加vx wy_2024")
    for text in public_pages(client, appeal).values():
        assert "1234" not in text and "wy_2024" not in text


def test_names_of_the_communitys_people_are_hidden(client, appeal_world):
    Person.objects.create(community=appeal_world.tree["com_a"], name="欧阳娜娜")
    appeal = resolved(appeal_world, description="欧阳娜娜家门口堆满杂物", reply="已通知欧阳 娜娜清理")
    confirm_publication(appeal, appeal_world.users["staff"])
    for text in public_pages(client, appeal).values():
        assert "欧阳" not in text


_counter = itertools.count(1)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sentences(max_secrets=4), sentences(max_secrets=3), sentences(max_secrets=2), st.booleans())
def test_no_personal_data_reaches_a_public_page(client, appeal_world, description, reply, edited, sign):
    """Personal data written every which way, in the description, the handler's reply and even in
    what the desk typed at the review, never appears on a rendered public page."""
    name = "林小梅" if sign else ""
    appeal = resolved(
        appeal_world,
        description=f"{name}反映：{description[0]}"[:4000],
        reply=f"{name}您好，{reply[0]}已处理。",
        reporter_name=name,
    )
    appeal = services.set_publication(
        actor=appeal_world.users["staff"],
        appeal=appeal,
        version=appeal.version,
        published=True,
        summary=f"第{next(_counter)}件：{edited[0]}",
        reply=None,
    )
    secrets = description[1] + reply[1] + edited[1]
    pages = public_pages(client, appeal)
    assert appeal.reference in pages["board detail"] or "已处理" in pages["board detail"]
    assert appeal.reference in pages["request.json"]
    for page, text in pages.items():
        assert leaked(text, secrets) == [], (page, [s.written for s in leaked(text, secrets)])
        if name:
            assert name not in text and normalised(name) not in normalised(text)


def test_the_original_is_shown_in_one_run_with_each_hidden_piece_marked():
    from django.template import Context, Template

    segments = [("住<b>", ""), ("501室", "门牌"), ("\n楼道灯坏了", "")]
    html = Template("{% load appeals_console %}{{ segments|marked }}").render(Context({"segments": segments}))
    # Nothing comes between the pieces (no space in Chinese text); the text is escaped; lines break.
    assert html == '住&lt;b&gt;<mark title="门牌">501室</mark><br>楼道灯坏了'
    assert "—" in Template("{% load appeals_console %}{{ s|marked }}").render(Context({"s": []}))

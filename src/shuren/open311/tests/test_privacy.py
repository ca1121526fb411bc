"""What the public GET endpoints may show: no reporter's name, phone or e-mail in any format; the
text only once it is on the public board, scrubbed; the place no finer than the estate."""

from __future__ import annotations

from typing import Any

import pytest

from shuren.appeals.models import Appeal
from shuren.appeals.services import AppealLocation, set_publication
from shuren.places.models import Dwelling

from .conftest import BASE, payload, post_request, resolve

pytestmark = pytest.mark.django_db

PERSONAL = ["林小梅", "小梅", "13912345678", "8613912345678", "139****5678", "lin@example.cn", "13800138000", "dev-42"]


def bodies(client: Any, appeals: list[Appeal]) -> list[str]:
    """Every public answer that could show these appeals, JSON and XML."""
    texts = []
    for fmt in ("json", "xml"):
        texts.append(client.get(f"{BASE}/requests.{fmt}").content.decode())
        ids = ",".join(a.reference for a in appeals)
        texts.append(client.get(f"{BASE}/requests.{fmt}?service_request_id={ids}").content.decode())
        for appeal in appeals:
            texts.append(client.get(f"{BASE}/requests/{appeal.reference}.{fmt}").content.decode())
            texts.append(client.get(f"{BASE}/tokens/{appeal.token}.{fmt}").content.decode())
    return texts


@pytest.fixture
def reported(client: Any, appeal_world: Any, registered: Any) -> dict[str, Appeal]:
    """One appeal filed through Open311 with a full contact, and one from the resident's own
    dwelling whose text carries a phone number and a door number."""
    filed = post_request(
        client,
        registered.key,
        first_name="小梅",
        last_name="林",
        phone="13912345678",
        email="lin@example.cn",
        device_id="dev-42",
        description="我是林小梅，电话13912345678，1座电梯困人",
    )
    via_open311 = Appeal.objects.get(reference=payload(filed)[0]["service_request_id"])
    home = Dwelling.objects.get(unit__building=appeal_world.buildings[0], room="301")
    from_home = appeal_world.submit(
        category="water-supply",
        description="301室楼上漏水，请联系我13800138000",
        location=AppealLocation(dwelling=home),
        reporter_phone="13800138000",
    )
    return {"open311": via_open311, "home": from_home}


def test_no_reporter_contact_appears_anywhere_while_open(client, reported):
    for text in bodies(client, list(reported.values())):
        for secret in PERSONAL:
            assert secret not in text, (secret, text[:300])
        # The raw description has not been through the board's review: it is not published.
        assert "漏水" not in text and "电梯困人" not in text


def test_once_resolved_the_board_summary_is_published_with_phones_and_doors_scrubbed(client, appeal_world, reported):
    resolve(appeal_world, reported["home"], resolution="已维修，如仍漏水请拨13800138000")
    [row] = payload(client.get(f"{BASE}/requests/{reported['home'].reference}.json"))
    assert row["description"] == "[房号]楼上漏水，请联系我[电话]"
    assert row["status_notes"] == "已维修，如仍漏水请拨[电话]"
    for text in bodies(client, list(reported.values())):
        for secret in PERSONAL + ["301"]:
            assert secret not in text, secret


def test_the_place_stops_at_the_estate(client, reported):
    [row] = payload(client.get(f"{BASE}/requests/{reported['home'].reference}.json"))
    assert row["address"] == "富丰新城, 大新社区, 桂城街道"
    assert row["address_id"] is None
    assert "1座" not in client.get(f"{BASE}/requests/{reported['home'].reference}.xml").content.decode()


def test_the_desks_publication_choice_is_respected(client, appeal_world, reported):
    appeal = resolve(appeal_world, reported["open311"])
    # The summary the desk confirmed: the reporter signed the appeal; the name, the phone and the
    # building go.
    [row] = payload(client.get(f"{BASE}/requests/{appeal.reference}.json"))
    assert row["description"] == "我是[姓名]，电话[电话]，[房号]电梯困人"
    staff = appeal_world.users["staff"]
    appeal = set_publication(
        actor=staff, appeal=appeal, version=appeal.version, published=True, summary="电梯困人，业主来电 13912345678"
    )
    [row] = payload(client.get(f"{BASE}/requests/{appeal.reference}.json"))
    assert row["description"] == "电梯困人，业主来电 [电话]"
    set_publication(actor=staff, appeal=appeal, version=appeal.version, published=False, summary="")
    [row] = payload(client.get(f"{BASE}/requests/{appeal.reference}.json"))
    assert row["description"] is None and row["status"] == "closed"


def test_a_private_category_is_never_published_even_when_resolved(client, appeal_world):
    appeal = appeal_world.submit(category="dispute", description="与邻居因漏水产生纠纷，需要调解")
    appeal = resolve(appeal_world, appeal, resolution="已调解")
    texts = bodies(client, [appeal])
    for text in texts[:2] + texts[4:6]:  # the lists, by date and by id, JSON and XML
        assert appeal.reference not in text and "调解" not in text
    assert client.get(f"{BASE}/requests/{appeal.reference}.json").status_code == 404


def test_the_handlers_reply_is_public_only_once_the_desk_confirmed_it(client, appeal_world, reported):
    appeal = resolve(
        appeal_world,
        reported["home"],
        resolution="林小梅您好，已维修。师傅电话 139-1234-5678，微信 wx_fix01",
        publish=False,
    )
    for fmt in ("json", "xml"):
        text = client.get(f"{BASE}/requests/{appeal.reference}.{fmt}").content.decode()
        assert "已维修" not in text and "漏水" not in text  # unconfirmed: category, place, status, dates
    [row] = payload(client.get(f"{BASE}/requests/{appeal.reference}.json"))
    assert row["status_notes"] == "已办结，待评价" and row["description"] is None
    assert row["service_code"] == "water-supply" and row["address"] and row["requested_datetime"]
    from shuren.appeals.testing import confirm_publication

    confirm_publication(appeal, appeal_world.users["staff"])
    [row] = payload(client.get(f"{BASE}/requests/{appeal.reference}.json"))
    assert row["status_notes"] == "[姓名]您好，已维修。师傅电话 [电话]，微信 [微信号]"
    for text in bodies(client, [appeal]):
        for secret in ("1234-5678", "wx_fix01", "林小梅"):
            assert secret not in text

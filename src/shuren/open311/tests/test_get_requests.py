"""GET requests.[format], requests/{id}.[format] and tokens/{token}.[format]: the filters and
defaults of the spec, our statuses as open/closed, and which requests are listed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.appeals.models import Appeal, Status
from shuren.appeals.services import AppealLocation, merge_appeal, reject_appeal, submit_appeal
from shuren.open311 import representation, selectors
from shuren.places.models import Area, AreaKind

from .conftest import BASE, payload, post_request, resolve, xml_rows

pytestmark = pytest.mark.django_db

FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def appeals(appeal_world: Any, registered: Any, client: Any) -> dict[str, Appeal]:
    """An open appeal, a resolved one filed through Open311, a rejected one, one merged into the
    open one, a private matter (disputes are not published) and one from 100 days ago."""
    world = appeal_world
    now = timezone.now()
    made: dict[str, Appeal] = {}
    made["open"] = world.submit(submitted_at=now - dt.timedelta(days=3))
    filed = post_request(client, registered.key, phone="13912345678")
    made["resolved"] = resolve(world, Appeal.objects.get(reference=payload(filed)[0]["service_request_id"]))
    rejected = world.submit(category="noise", description="楼上装修噪音，周末早上七点就开始", building=1)
    made["rejected"] = reject_appeal(
        actor=world.users["staff"], appeal=rejected, version=rejected.version, reason="装修时段内，不属于违规"
    )
    repeat = world.submit(description="1座楼道又有人飞线给电动车充电")
    made["merged"] = merge_appeal(actor=world.users["staff"], appeal=repeat, version=repeat.version, into=made["open"])
    made["private"] = world.submit(category="dispute", description="与邻居因漏水产生纠纷，需要调解")
    made["old"] = world.submit(
        category="litter", description="垃圾桶满了没人清运", submitted_at=now - dt.timedelta(days=100)
    )
    return made


def ids(response: Any) -> list[str]:
    return [row["service_request_id"] for row in payload(response)]


def test_the_default_list_is_the_last_90_days_newest_first(client, appeals):
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    assert ids(response) == [appeals["resolved"].reference, appeals["open"].reference]
    for row in payload(response):
        assert list(row) == FIELDS


def test_the_list_in_xml(client, appeals):
    response = client.get(f"{BASE}/requests.xml")
    assert response.status_code == 200
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert payload(response).tag == "service_requests"
    rows = xml_rows(response, "request")
    assert [r["service_request_id"] for r in rows] == [appeals["resolved"].reference, appeals["open"].reference]
    assert [list(r) for r in rows] == [FIELDS, FIELDS]
    assert [r["status"] for r in rows] == ["closed", "open"]


def test_the_fields_of_an_open_and_a_resolved_request(client, appeal_world, appeals):
    rows = {row["service_request_id"]: row for row in payload(client.get(f"{BASE}/requests.json"))}
    opened, resolved = rows[appeals["open"].reference], rows[appeals["resolved"].reference]
    assert opened["status"] == "open"
    assert opened["service_code"] == "ebike-charging" and opened["service_name"] == "电动车违规充电"
    assert opened["requested_datetime"] == timezone.localtime(appeals["open"].submitted_at).isoformat(
        timespec="seconds"
    )
    assert opened["requested_datetime"].endswith("+08:00")
    assert opened["expected_datetime"] == timezone.localtime(appeals["open"].resolution_due_at).isoformat(
        timespec="seconds"
    )
    assert opened["service_notice"] and opened["agency_responsible"] is None
    assert opened["address"] == "富丰新城, 大新社区, 桂城街道"
    assert (opened["address_id"], opened["zipcode"], opened["media_url"]) == (None, None, None)
    assert (opened["lat"], opened["long"]) == (None, None)
    assert resolved["status"] == "closed"
    assert resolved["agency_responsible"] == "富丰物业"
    assert resolved["status_notes"] == "已更换电梯按钮，恢复运行。"
    assert resolved["updated_datetime"] == timezone.localtime(appeals["resolved"].resolved_at).isoformat(
        timespec="seconds"
    )
    assert resolved["service_notice"] is None
    # Filed at a point without an estate: the community; the point rounded to about 100 m.
    assert resolved["address"] == "大新社区, 桂城街道"
    assert (resolved["lat"], resolved["long"]) == (23.03, 113.15)


def test_our_statuses_map_to_open_and_closed():
    assert {s: representation.open311_status(s) for s in Status} == {
        Status.SUBMITTED: "open",
        Status.ACCEPTED: "open",
        Status.DISPATCHED: "open",
        Status.IN_PROGRESS: "open",
        Status.RESOLVED: "closed",
        Status.CLOSED: "closed",
        Status.REJECTED: "closed",
        Status.MERGED: "closed",
    }


def test_service_request_id_takes_a_comma_list_and_overrides_the_other_arguments(client, appeals):
    wanted = [appeals[k].reference for k in ("open", "rejected", "merged", "private", "old")]
    query = urlencode({"service_request_id": ",".join(wanted + ["19990101-000001"]), "status": "open"})
    rows = {row["service_request_id"]: row for row in payload(client.get(f"{BASE}/requests.json?{query}"))}
    # Rejected and merged appeals are not listed, but a client asking for them by id learns their
    # fate; a private matter never appears; the 90-day window and the status do not apply.
    assert set(rows) == {appeals[k].reference for k in ("open", "rejected", "merged", "old")}
    assert rows[appeals["rejected"].reference]["status"] == "closed"
    assert rows[appeals["merged"].reference]["status"] == "closed"
    # The rejection's reason was written for the reporter: the public gets the status only.
    assert "装修" not in str(rows[appeals["rejected"].reference])


def test_service_code_filter(client, appeals):
    assert ids(client.get(f"{BASE}/requests.json?service_code=lift")) == [appeals["resolved"].reference]
    both = client.get(f"{BASE}/requests.json?service_code=lift,ebike-charging")
    assert ids(both) == [appeals["resolved"].reference, appeals["open"].reference]
    assert ids(client.get(f"{BASE}/requests.json?service_code=pothole")) == []
    empty = client.get(f"{BASE}/requests.xml?service_code=pothole")
    assert empty.status_code == 200 and payload(empty).tag == "service_requests" and len(payload(empty)) == 0


def test_status_filter(client, appeals):
    assert ids(client.get(f"{BASE}/requests.json?status=open")) == [appeals["open"].reference]
    assert ids(client.get(f"{BASE}/requests.json?status=closed")) == [appeals["resolved"].reference]
    assert len(ids(client.get(f"{BASE}/requests.json?status=open,closed"))) == 2
    refused = client.get(f"{BASE}/requests.json?status=pending")
    assert refused.status_code == 400 and payload(refused)[0]["code"] == 400


def test_date_range(client, appeals):
    now = timezone.now()

    def query(**params: str) -> Any:
        return client.get(f"{BASE}/requests.json?{urlencode(params)}")

    window = {
        "start_date": (now - dt.timedelta(days=120)).isoformat(),
        "end_date": (now - dt.timedelta(days=40)).isoformat(),
    }
    assert ids(query(**window)) == [appeals["old"].reference]
    # Only a start: 90 days from it. Only an end: the 90 days before it.
    assert ids(query(start_date=(now - dt.timedelta(days=101)).isoformat())) == [appeals["old"].reference]
    assert ids(query(end_date=(now - dt.timedelta(days=50)).isoformat())) == [appeals["old"].reference]
    # A w3c date, and "Z".
    assert ids(query(start_date=f"{(now - dt.timedelta(days=101)).date()}")) == [appeals["old"].reference]
    start = (now - dt.timedelta(days=5)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(ids(query(start_date=start))) == 2
    # "+08:00" sent without encoding arrives as a space.
    local = timezone.localtime(now - dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S")
    assert len(ids(client.get(f"{BASE}/requests.json?start_date={local}+08:00"))) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-05-01T00:00:00+08:00"},
        {"start_date": "2026-02-01T00:00:00+08:00", "end_date": "2026-01-01T00:00:00+08:00"},
        {"start_date": "last tuesday"},
        {"end_date": "2026-13-45"},
    ],
)
def test_bad_dates_are_400(client, params):
    response = client.get(f"{BASE}/requests.xml?{urlencode(params)}")
    assert response.status_code == 400
    assert payload(response).findtext("error/code") == "400"


def test_at_most_the_limit_is_returned(client, appeals, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_REQUESTS", 1)
    assert len(ids(client.get(f"{BASE}/requests.json"))) == 1


def test_one_request_in_json_and_xml(client, appeals):
    reference = appeals["resolved"].reference
    response = client.get(f"{BASE}/requests/{reference}.json")
    assert response.status_code == 200
    [row] = payload(response)
    assert row["service_request_id"] == reference and row["status"] == "closed"
    xml = client.get(f"{BASE}/requests/{reference}.xml")
    [row] = xml_rows(xml, "request")
    assert list(row) == FIELDS and row["status"] == "closed"
    assert client.get(f"{BASE}/requests/{appeals['rejected'].reference}.json").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_or_private_request_is_404(client, appeals, fmt):
    for reference in ("20260101-999999", appeals["private"].reference):
        response = client.get(f"{BASE}/requests/{reference}.{fmt}")
        assert response.status_code == 404
        if fmt == "json":
            assert payload(response)[0]["code"] == 404
        else:
            assert payload(response).findtext("error/code") == "404"


def test_tokens_give_the_request_id(client, appeals):
    appeal = appeals["resolved"]
    response = client.get(f"{BASE}/tokens/{appeal.token}.json")
    assert response.status_code == 200
    assert payload(response) == [{"service_request_id": appeal.reference, "token": appeal.token}]
    [row] = xml_rows(client.get(f"{BASE}/tokens/{appeal.token}.xml"), "request")
    assert row == {"service_request_id": appeal.reference, "token": appeal.token}
    # Only requests filed through Open311 have a token to ask about.
    assert client.get(f"{BASE}/tokens/{appeals['open'].token}.json").status_code == 404
    missing = client.get(f"{BASE}/tokens/nope.xml")
    assert missing.status_code == 404 and payload(missing).findtext("error/code") == "404"


def test_jurisdiction_id_narrows_to_a_district(client, appeals, make_user):
    other = Area.objects.create(kind=AreaKind.DISTRICT, code="440606", name="顺德区")
    town = Area.objects.create(kind=AreaKind.SUBDISTRICT, code="02", name="北滘镇", parent=other)
    community = Area.objects.create(kind=AreaKind.COMMUNITY, code="009", name="碧桂园社区", parent=town)
    far = submit_appeal(
        actor=make_user(Role.COMMUNITY_STAFF, community),
        category=appeals["open"].category,
        description="小区门口电动车乱充电",
        location=AppealLocation(area=community),
    )
    everywhere = ids(client.get(f"{BASE}/requests.json"))
    assert far.reference in everywhere
    nanhai = ids(client.get(f"{BASE}/requests.json?jurisdiction_id=440605"))
    assert far.reference not in nanhai and appeals["open"].reference in nanhai
    assert ids(client.get(f"{BASE}/requests.json?jurisdiction_id=440606")) == [far.reference]
    assert client.get(f"{BASE}/requests/{far.reference}.json?jurisdiction_id=440605").status_code == 404
    for path in ("requests.json", f"requests/{far.reference}.json", f"tokens/{far.token}.json"):
        assert client.get(f"{BASE}/{path}?jurisdiction_id=sfgov.org").status_code == 404, path


def test_the_list_costs_one_query_however_many_requests(client, appeals, appeal_world, django_assert_num_queries):
    for n in range(5):
        resolve(appeal_world, appeal_world.submit(description=f"第{n}次：楼道里有人给电动车充电"))
    with django_assert_num_queries(1):
        response = client.get(f"{BASE}/requests.xml")
    assert len(xml_rows(response, "request")) == 7

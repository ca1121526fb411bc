"""Our server driven over real HTTP by a third-party Open311 client from PyPI: ``georeport``
(“Python wrapper for the Open311 GeoReport v2 API”), in both of its output formats.

georeport reads (service list, service definition, requests, one request) but cannot create
requests or resolve tokens, so those two calls are made with ``requests`` (the HTTP library it
uses itself), form-encoded exactly as the specification's example, and read back through georeport.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from georeport import GeoReport

from shuren.appeals.models import Appeal

from .conftest import resolve

pytestmark = pytest.mark.django_db(transaction=True)


def file(live_server: Any, key: str, fmt: str, **fields: str) -> requests.Response:
    data = {
        "api_key": key,
        "jurisdiction_id": "440605",
        "service_code": "lift",
        "lat": "23.030112",
        "long": "113.150034",
        "address_string": "富丰新城北门",
        "first_name": "小梅",
        "last_name": "林",
        "phone": "13912345678",
        "description": "1座电梯困人，按钮没反应",
        **fields,
    }
    return requests.post(f"{live_server.url}/open311/v2/requests.{fmt}", data=data, timeout=10)


def test_georeport_reads_services_and_requests_in_json(live_server, appeal_world, registered):
    geo = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="440605", output_format="json")

    services = {s["service_code"]: s for s in geo.get_service_list()}
    assert services["lift"]["service_name"] == "电梯故障" and services["lift"]["group"] == "设施维修"
    assert services["lift"]["metadata"] is False and services["lift"]["type"] == "realtime"
    assert geo.get_service_definition("lift") == {"service_code": "lift", "attributes": []}

    posted = file(live_server, registered.key, "json")
    assert posted.status_code == 200
    assert posted.headers["Content-Type"] == "application/json; charset=utf-8"
    first = posted.json()[0]["service_request_id"]
    second = file(live_server, registered.key, "json", service_code="water-supply", description="楼道水管爆裂漏水")
    second_id = second.json()[0]["service_request_id"]
    resolve(appeal_world, Appeal.objects.get(reference=first))

    listed = geo.get_service_requests()
    assert [r["service_request_id"] for r in listed] == [second_id, first]
    assert [r["status"] for r in listed] == ["open", "closed"]
    assert [r["service_request_id"] for r in geo.get_service_requests(status="open")] == [second_id]
    assert [r["service_request_id"] for r in geo.get_service_requests(service_code="lift")] == [first]
    by_ids = geo.get_service_requests(service_request_id=f"{first},{second_id}")
    assert {r["service_request_id"] for r in by_ids} == {first, second_id}

    one = geo.get_service_request(first)
    assert one["service_code"] == "lift" and one["status"] == "closed"
    assert one["agency_responsible"] == "富丰物业"
    assert one["requested_datetime"].endswith("+08:00")
    assert (one["lat"], one["long"]) == (23.03, 113.15)
    for row in listed:
        assert "林小梅" not in str(row) and "13912345678" not in str(row)

    with pytest.raises(requests.HTTPError) as missing:
        geo.get_service_request("19990101-000001")
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()[0]["code"] == 404


def test_georeport_reads_the_xml_format(live_server, appeal_world, registered):
    geo = GeoReport(f"{live_server.url}/open311/v2", output_format="xml")

    lift = next(s for s in geo.get_service_list() if s["service_code"] == "lift")
    assert (lift["service_name"], lift["metadata"], lift["type"], lift["group"]) == (
        "电梯故障",
        "false",
        "realtime",
        "设施维修",
    )
    definition = geo.get_service_definition("lift")
    assert definition["service_code"] == "lift" and definition["attributes"] is None  # <attributes/>

    posted = file(live_server, registered.key, "xml")
    assert posted.status_code == 200
    assert posted.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert posted.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    reference = Appeal.objects.get().reference
    assert f"<service_request_id>{reference}</service_request_id>" in posted.text
    file(live_server, registered.key, "xml", service_code="noise", description="楼上每晚十二点后还在装修")

    listed = geo.get_service_requests()
    assert len(listed) == 2 and listed[1]["service_request_id"] == reference
    assert set(listed[1]) >= {"service_request_id", "status", "service_code", "requested_datetime", "address"}
    one = geo.get_service_request(reference)
    assert one["status"] == "open" and one["service_name"] == "电梯故障"
    assert one["description"] is None  # not on the public board yet

    # A token (we answer with ids at once, but the token resource works).
    token = Appeal.objects.get(reference=reference).token
    answer = requests.get(f"{live_server.url}/open311/v2/tokens/{token}.xml", timeout=10)
    assert answer.status_code == 200 and f"<token>{token}</token>" in answer.text

    refused = file(live_server, "wrong-key", "xml")
    assert refused.status_code == 403
    assert "<errors><error><code>403</code>" in refused.text

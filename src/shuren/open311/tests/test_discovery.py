"""GeoReport v2 service discovery (discovery.json / .xml): what a client needs to find and use
the endpoint, in the shape the specification gives."""

from __future__ import annotations

import pytest

from .conftest import BASE, payload, xml_rows

pytestmark = pytest.mark.django_db


def test_discovery_in_json(client):
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    found = payload(response)
    assert set(found) == {"changeset", "contact", "key_service", "endpoints"}
    assert found["changeset"].endswith("+08:00") and found["contact"] and "api_key" in found["key_service"]
    [endpoint] = found["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": found["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    # The url is the base of the resources: the service list is found under it.
    assert client.get(endpoint["url"].removeprefix("http://testserver") + "/services.json").status_code == 200


def test_discovery_in_xml(client):
    response = client.get(f"{BASE}/discovery.xml")
    assert response.status_code == 200 and response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = payload(response)
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    [endpoint] = root.find("endpoints").findall("endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.find("formats").findall("format")] == ["text/xml", "application/json"]
    assert xml_rows(response, "endpoints")  # one <endpoints> element holding the list


def test_discovery_settings_and_errors(client, settings):
    settings.SHUREN_OPEN311_CONTACT = "南海区12345热线"
    settings.SHUREN_OPEN311_ENDPOINT_TYPE = "test"
    found = payload(client.get(f"{BASE}/discovery.json"))
    assert found["contact"] == "南海区12345热线" and found["endpoints"][0]["type"] == "test"
    assert client.get(f"{BASE}/discovery.html").status_code == 400
    assert client.post(f"{BASE}/discovery.json").status_code == 405

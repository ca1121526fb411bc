"""GET services.[format] and services/{code}.[format]: the categories open for new appeals, in the
spec's field names, JSON and XML, in the request's language."""

from __future__ import annotations

import pytest
from django.test import override_settings

from shuren.appeals.models import Category

from .conftest import BASE, payload, xml_rows

pytestmark = pytest.mark.django_db


def test_service_list_in_json_names_leaf_categories_with_their_group(client):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = {s["service_code"]: s for s in payload(response)}
    assert services["lift"] == {
        "service_code": "lift",
        "service_name": "电梯故障",
        "description": None,
        "metadata": False,
        "type": "realtime",
        "keywords": None,
        "group": "设施维修",
    }
    # Appeals are filed under leaves: the parents are groups, not services.
    assert "facilities" not in services and "environment" not in services
    # A top-level category without children is a service of its own, in no group.
    assert services["other"]["group"] is None


def test_inactive_categories_are_not_offered(client):
    Category.objects.filter(code="noise").update(is_active=False)
    codes = [s["service_code"] for s in payload(client.get(f"{BASE}/services.json"))]
    assert "noise" not in codes and "dogs" in codes
    assert client.get(f"{BASE}/services/noise.json").status_code == 404


def test_service_list_in_xml_uses_the_specs_elements(client):
    Category.objects.filter(code="lift").update(keywords="电梯，困人, 停运", description="电梯停运或困人")
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = payload(response)
    assert root.tag == "services"
    lift = next(s for s in xml_rows(response, "service") if s["service_code"] == "lift")
    assert lift == {
        "service_code": "lift",
        "service_name": "电梯故障",
        "description": "电梯停运或困人",
        "metadata": "false",
        "type": "realtime",
        "keywords": "电梯, 困人, 停运",
        "group": "设施维修",
    }


def test_names_follow_accept_language_or_the_locale_parameter(client):
    english = payload(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    lift = next(s for s in english if s["service_code"] == "lift")
    assert (lift["service_name"], lift["group"]) == ("Lift out of order", "Repairs to facilities")
    by_parameter = client.get(f"{BASE}/services.xml?locale=en")
    assert by_parameter["Content-Language"] == "en"
    assert b"<service_name>Lift out of order</service_name>" in by_parameter.content
    # Chinese unless asked otherwise.
    chinese = client.get(f"{BASE}/services.json")
    assert chinese["Content-Language"] == "zh-hans"
    assert "电梯故障" in [s["service_name"] for s in payload(chinese)]


def test_service_definition_in_json_and_xml(client):
    response = client.get(f"{BASE}/services/lift.json")
    assert response.status_code == 200
    assert payload(response) == {"service_code": "lift", "attributes": []}
    xml = client.get(f"{BASE}/services/lift.xml")
    root = payload(xml)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "lift"
    assert root.find("attributes") is not None and list(root.find("attributes")) == []


@pytest.mark.parametrize("code", ["no-such-thing", "facilities", "DMV66"])
def test_unknown_service_code_is_404_in_the_specs_error_format(client, code):
    response = client.get(f"{BASE}/services/{code}.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [error] = payload(response)
    assert error["code"] == 404 and code in error["description"]
    xml = client.get(f"{BASE}/services/{code}.xml")
    assert xml.status_code == 404
    root = payload(xml)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404" and code in root.findtext("error/description")


def test_unsupported_format_is_a_400_in_xml(client):
    response = client.get(f"{BASE}/services.html")
    assert response.status_code == 400
    root = payload(response)
    assert root.tag == "errors" and root.findtext("error/code") == "400"


def test_services_cannot_be_posted_to(client):
    response = client.post(f"{BASE}/services.json", data={"service_code": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert payload(response)[0]["code"] == 405


def test_jurisdiction_id_may_name_the_installation_or_a_district(client, district):
    assert client.get(f"{BASE}/services.json?jurisdiction_id=440605").status_code == 200
    with override_settings(SHUREN_OPEN311_JURISDICTION_ID="nanhai.gov.cn"):
        assert client.get(f"{BASE}/services.json?jurisdiction_id=nanhai.gov.cn").status_code == 200
    # Empty means not given (the spec's "optional argument").
    assert client.get(f"{BASE}/services.json?jurisdiction_id=").status_code == 200
    response = client.get(f"{BASE}/services.xml?jurisdiction_id=sfgov.org&locale=en")
    assert response.status_code == 404
    assert payload(response).findtext("error/description") == "jurisdiction_id was not found."
    assert client.get(f"{BASE}/services/lift.json?jurisdiction_id=sfgov.org").status_code == 404

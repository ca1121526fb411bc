"""POST requests.[format]: a registered client files an appeal with its api_key, form-encoded as
the spec says; every refusal answers in the spec's error format."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from shuren.appeals.models import Appeal, Channel, IntakePolicy, Status
from shuren.audit.models import AuditEvent
from shuren.open311.models import Open311Request
from shuren.open311.services import create_client, revoke_client
from shuren.places.models import Area, AreaKind

from .conftest import BASE, payload, post_request, xml_rows

pytestmark = pytest.mark.django_db


def test_a_registered_client_files_an_appeal_and_gets_its_id_at_once(client, appeal_world, registered):
    response = post_request(
        client, registered.key, first_name="小梅", last_name="林", phone="13912345678", email="lin@example.cn"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [created] = payload(response)
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] is None
    appeal = Appeal.objects.get(reference=created["service_request_id"])
    assert created["service_notice"]  # the resolution deadline
    assert appeal.channel == Channel.OPEN311
    assert appeal.status == Status.SUBMITTED
    assert appeal.category.code == "lift"
    assert appeal.description == "3座电梯困人，按钮没反应"
    # Filed into the client's community, at the point given.
    assert appeal.area == appeal_world.tree["com_a"] and appeal.building is None
    assert (str(appeal.latitude), str(appeal.longitude)) == ("23.030100", "113.150100")
    # The contact is the appeal's (encrypted) reporter contact; the e-mail is kept beside it.
    assert (appeal.reporter_name, appeal.reporter_phone, appeal.is_anonymous) == ("林小梅", "+8613912345678", False)
    assert Open311Request.objects.get(appeal=appeal).email == "lin@example.cn"
    assert appeal.events.get().kind == "submit"


def test_the_answer_in_xml(client, registered):
    response = post_request(client, registered.key, fmt="xml", first_name="Mei", last_name="Lin")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    [row] = xml_rows(response, "request")
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    assert row["account_id"] is None
    appeal = Appeal.objects.get(reference=row["service_request_id"])
    assert appeal.reporter_name == "Mei Lin"


def test_the_api_key_is_not_stored_and_the_post_needs_no_csrf_token(appeal_world, registered):
    csrf_client = Client(enforce_csrf_checks=True)
    response = post_request(csrf_client, registered.key, phone="13912345678")
    assert response.status_code == 200
    assert registered.client.key_digest != registered.key
    assert registered.key not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_address_id_is_a_building_of_the_registry(client, appeal_world, registered):
    building = appeal_world.buildings[1]
    response = post_request(
        client, registered.key, lat=None, long=None, address_id=str(building.pk), phone="13912345678"
    )
    assert response.status_code == 200, response.content
    appeal = Appeal.objects.get(reference=payload(response)[0]["service_request_id"])
    assert (appeal.building, appeal.estate, appeal.area) == (building, appeal_world.estate, building.grid)
    assert appeal.latitude is None


def test_address_string_alone_is_a_location(client, registered):
    response = post_request(
        client, registered.key, lat=None, long=None, address_string="富丰新城北门", phone="13912345678"
    )
    assert response.status_code == 200
    appeal = Appeal.objects.get(reference=payload(response)[0]["service_request_id"])
    assert appeal.address == "富丰新城北门"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_or_wrong_api_key_is_403(client, registered, fmt):
    for key, expected in ((None, "api_key is missing."), ("not-a-key", "Invalid api_key")):
        response = post_request(client, key, fmt=fmt, phone="13912345678", locale="en")
        assert response.status_code == 403
        if fmt == "json":
            [error] = payload(response)
            assert error["code"] == 403 and error["description"].startswith(expected)
        else:
            root = payload(response)
            assert root.tag == "errors"
            assert root.findtext("error/code") == "403" and root.findtext("error/description").startswith(expected)
    assert not Appeal.objects.exists()
    assert AuditEvent.objects.filter(action="open311.denied", outcome="denied").count() == 2


def test_a_revoked_client_is_refused(client, registered):
    revoke_client(client=registered.client)
    response = post_request(client, registered.key, phone="13912345678")
    assert response.status_code == 403
    registered.client.service_user.refresh_from_db()
    assert not registered.client.service_user.is_active


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_code_missing_is_400_and_unknown_is_404(client, registered, fmt):
    missing = post_request(client, registered.key, fmt=fmt, service_code=None, phone="13912345678")
    assert missing.status_code == 400
    unknown = post_request(client, registered.key, fmt=fmt, service_code="pothole", phone="13912345678")
    assert unknown.status_code == 404
    # A group is not a service.
    assert post_request(client, registered.key, fmt=fmt, service_code="facilities").status_code == 404
    if fmt == "xml":
        assert payload(unknown).findtext("error/code") == "404"
    else:
        assert payload(unknown)[0]["code"] == 404


@pytest.mark.parametrize(
    ("fields", "parameter"),
    [
        ({"lat": None, "long": None}, "location"),
        ({"long": None}, "lat and long"),
        ({"lat": "123.5"}, "lat"),
        ({"long": "east"}, "long"),
        ({"email": "not-an-address"}, "email"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"address_id": "99999", "lat": None, "long": None}, "address_id"),
        ({"description": "坏了"}, "description"),
        ({"description": "电梯" * 2001}, "description"),
        ({"phone": "12345"}, "phone"),
    ],
)
def test_missing_or_malformed_fields_are_400_naming_the_field(client, registered, fields, parameter):
    fields.setdefault("phone", "13912345678")
    response = post_request(client, registered.key, locale="en", **fields)
    assert response.status_code == 400, response.content
    descriptions = [e["description"] for e in payload(response)]
    assert all(e["code"] == 400 for e in payload(response))
    assert any(parameter in d for d in descriptions), descriptions
    assert not Appeal.objects.exists()


def test_several_problems_are_reported_together(client, registered):
    response = post_request(client, registered.key, lat="91", long="181", email="x", locale="en")
    assert response.status_code == 400
    assert len(payload(response)) == 3


def test_a_building_outside_the_clients_area_is_refused(client, appeal_world, registered):
    from shuren.places.services import create_building, create_estate

    com_b = appeal_world.tree["com_b"]
    estate = create_estate(actor=appeal_world.users["staff_b"], community=com_b, name="金旗峰花园")
    building = create_building(
        actor=appeal_world.users["staff_b"], estate=estate, grid=appeal_world.tree["grid_b1"], number="9座", floors=2
    )
    response = post_request(client, registered.key, address_id=str(building.pk), phone="13912345678", locale="en")
    assert response.status_code == 400
    assert "outside" in payload(response)[0]["description"]
    assert not Appeal.objects.exists()


def test_a_client_of_a_whole_subdistrict_must_name_the_building(client, appeal_world):
    _client, key = create_client(name="区级平台", area=appeal_world.tree["sub_a"])
    refused = post_request(client, key, phone="13912345678", locale="en")
    assert refused.status_code == 400 and "address_id is required" in payload(refused)[0]["description"]
    building = appeal_world.buildings[0]
    accepted = post_request(client, key, address_id=str(building.pk), phone="13912345678")
    assert accepted.status_code == 200
    assert Appeal.objects.get().building == building


def test_without_any_contact_the_appeal_is_anonymous_only_where_the_community_allows_it(
    client, appeal_world, registered
):
    refused = post_request(client, registered.key, locale="en")
    assert refused.status_code == 400
    assert "anonymous" in payload(refused)[0]["description"]
    assert not Appeal.objects.exists()
    IntakePolicy.objects.create(community=appeal_world.tree["com_a"], allow_anonymous=True)
    accepted = post_request(client, registered.key)
    assert accepted.status_code == 200
    appeal = Appeal.objects.get()
    assert appeal.is_anonymous and appeal.reporter_name == "" and appeal.reporter_phone == ""


def test_an_email_alone_is_a_contact(client, registered):
    response = post_request(client, registered.key, email="someone@example.cn", account_id="u-881", device_id="dev-1")
    assert response.status_code == 200
    appeal = Appeal.objects.get()
    assert not appeal.is_anonymous and appeal.reporter_name == "someone@example.cn"
    extra = Open311Request.objects.get(appeal=appeal)
    assert (extra.client, extra.account_id) == (registered.client, "u-881")
    assert extra.device_digest and "dev-1" not in extra.device_digest


def test_jurisdiction_id_on_post(client, appeal_world, registered):
    assert post_request(client, registered.key, jurisdiction_id="440605", phone="13912345678").status_code == 200
    with override_settings(SHUREN_OPEN311_JURISDICTION_ID="nanhai.gov.cn"):
        ok = post_request(client, registered.key, jurisdiction_id="nanhai.gov.cn", phone="13912345678")
        assert ok.status_code == 200
    assert post_request(client, registered.key, jurisdiction_id="sfgov.org", phone="13912345678").status_code == 404
    # A district this client does not file into.
    Area.objects.create(kind=AreaKind.DISTRICT, code="440606", name="顺德区")
    assert post_request(client, registered.key, jurisdiction_id="440606", phone="13912345678").status_code == 403
    assert Appeal.objects.count() == 2


def test_the_client_is_marked_as_used(client, registered):
    assert registered.client.last_used_at is None
    post_request(client, registered.key, phone="13912345678")
    registered.client.refresh_from_db()
    registered.client.service_user.refresh_from_db()
    assert registered.client.last_used_at is not None
    # So that `shuren disable-dormant` leaves the account of a client in use alone.
    assert registered.client.service_user.last_login == registered.client.last_used_at


def test_too_many_requests_are_throttled(client, registered):
    with override_settings(SHUREN_OPEN311_RATE="3/min"):
        statuses = [client.get(f"{BASE}/services.json").status_code for _ in range(4)]
        throttled = post_request(client, registered.key, phone="13912345678")
    assert statuses == [200, 200, 200, 429]
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert payload(throttled)[0]["code"] == 429

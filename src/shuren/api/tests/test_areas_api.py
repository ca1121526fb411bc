"""The areas API: scoped lists, ETags, conditional updates and problem+json errors."""

from __future__ import annotations

import json

import pytest

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.places.models import Area

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def staff(user_for_role, verified_client):
    return verified_client(user_for_role(Role.COMMUNITY_SECRETARY))


def patch(client, area, body, **headers):
    return client.patch(f"/api/v1/areas/{area.pk}/", data=json.dumps(body), content_type="application/json", **headers)


def test_list_holds_only_areas_in_scope(staff, tree):
    response = staff.get("/api/v1/areas/")
    assert response.status_code == 200
    paths = {row["path"] for row in response.json()["results"]}
    assert paths == {tree["com_a"].path, tree["grid_a1"].path, tree["grid_a2"].path}


def test_list_filters_by_kind_and_parent(staff, tree):
    grids = staff.get("/api/v1/areas/?kind=grid").json()["results"]
    assert {g["name"] for g in grids} == {"大新社区第1网格", "大新社区第2网格"}
    children = staff.get(f"/api/v1/areas/?parent={tree['com_a'].pk}").json()["results"]
    assert len(children) == 2


def test_detail_of_another_community_is_a_404_problem(staff, tree):
    response = staff.get(f"/api/v1/areas/{tree['com_b'].pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404
    assert "金旗峰" not in response.content.decode()


def test_detail_carries_an_etag_that_changes_with_each_update(staff, tree):
    area = tree["com_a"]
    first = staff.get(f"/api/v1/areas/{area.pk}/")
    etag = first["ETag"]
    assert etag == f'"area-{area.pk}-v1"'
    response = patch(staff, area, {"population": 9000}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] != etag
    assert Area.objects.get(pk=area.pk).population == 9000


def test_stale_if_match_is_refused_with_412_and_changes_nothing(staff, tree):
    area = tree["com_a"]
    etag = staff.get(f"/api/v1/areas/{area.pk}/")["ETag"]
    assert patch(staff, area, {"name": "大新社区（新）"}, HTTP_IF_MATCH=etag).status_code == 200
    response = patch(staff, area, {"name": "覆盖别人的修改"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response["Content-Type"] == PROBLEM
    assert Area.objects.get(pk=area.pk).name == "大新社区（新）"


def test_stale_body_version_is_a_409_conflict(staff, tree):
    area = tree["com_a"]
    assert patch(staff, area, {"name": "一", "version": 1}).status_code == 200
    response = patch(staff, area, {"name": "二", "version": 1})
    assert response.status_code == 409
    assert response.json()["type"].endswith("/stale-version")
    assert Area.objects.get(pk=area.pk).name == "一"


def test_an_update_without_any_version_is_428(staff, tree):
    response = patch(staff, tree["com_a"], {"name": "无版本"})
    assert response.status_code == 428
    assert response["Content-Type"] == PROBLEM


def test_unknown_fields_are_rejected_with_field_errors(staff, tree):
    response = patch(staff, tree["com_a"], {"name": "x", "code": "999", "version": 1})
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == PROBLEM
    assert "code" in body["errors"]
    assert Area.objects.get(pk=tree["com_a"].pk).code == "017"


def test_roles_without_the_change_action_get_403(user_for_role, verified_client, tree):
    client = verified_client(user_for_role(Role.GRID_WORKER))
    response = patch(client, tree["grid_a1"], {"name": "x"}, HTTP_IF_MATCH="*")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_anonymous_callers_get_401_problem(client):
    response = client.get("/api/v1/areas/")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def test_unsupported_method_is_405_problem(staff, tree):
    response = staff.delete(f"/api/v1/areas/{tree['com_a'].pk}/")
    assert response.status_code in (403, 405)
    assert response["Content-Type"] == PROBLEM


def test_updates_are_audited_with_what_changed(staff, tree):
    patch(staff, tree["com_a"], {"population": 8700, "version": 1})
    event = AuditEvent.objects.get(action="places.area_change")
    assert event.detail["changed"] == {"population": [None, 8700]}
    assert event.scope == tree["com_a"].path


def test_me_shows_roles_and_a_masked_phone(make_user, verified_client, tree):
    user = make_user(Role.COMMUNITY_STAFF, tree["com_a"], phone="+8613800138006")
    body = verified_client(user).get("/api/v1/me/").json()
    assert body["phone_masked"] == "138****8006"
    assert body["roles"][0]["area_name"] == "大新社区"
    assert "13800138006" not in json.dumps(body)


def test_schema_is_openapi_3(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/areas/{id}/" in schema["paths"] or "/api/v1/areas/{pk}/" in schema["paths"]


def test_docs_page_loads_nothing_from_outside(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for host in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "googleapis"):
        assert host not in html
    assert "<script>" not in html.replace(" ", "")  # no inline script: the init code is a separate file

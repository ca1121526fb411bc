"""The lists' API: needs and resources listed, shown with an ETag, created; a resource changed only
from the version read; a need from an appeal; the steps of a match."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuren.lists import services
from shuren.lists.models import Category, MatchStatus, Need, NeedStatus

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(
        url, data=body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex, **headers
    )


def test_a_need_is_created_listed_and_shown_with_its_etag(lists_world, verified_client):
    client = verified_client(lists_world.users["staff"])
    created = post(
        client,
        reverse("api:lists-need-list"),
        {"title": "独居老人助餐", "category": Category.MEALS, "area": lists_world.tree["grid_a1"].pk, "quantity": 2},
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == NeedStatus.OPEN
    listed = client.get(reverse("api:lists-need-list") + "?category=meals").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    shown = client.get(reverse("api:lists-need-detail", args=[pk]))
    assert shown["ETag"] == f'"need-{pk}-v1"'


def test_a_place_of_another_community_is_refused_and_nothing_is_written(lists_world, verified_client):
    client = verified_client(lists_world.users["staff"])
    response = post(
        client,
        reverse("api:lists-need-list"),
        {"title": "越界", "category": "meals", "area": lists_world.tree["com_b"].pk},
    )
    assert response.status_code in (400, 404)
    assert not Need.objects.exists()


def test_a_resource_changes_only_from_the_version_read(lists_world, verified_client):
    resource = lists_world.resource()
    client = verified_client(lists_world.users["staff"])
    url = reverse("api:lists-resource-detail", args=[resource.pk])
    etag = client.get(url)["ETag"]
    changed = client.patch(url, data={"remaining": 2}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["remaining"] == 2
    stale = client.patch(url, data={"remaining": 1}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code in (409, 412)
    assert client.patch(url, data={"remaining": 1}, content_type="application/json").status_code == 428


def test_suggestions_and_the_match_steps_through_the_api(lists_world, verified_client, client):
    need = lists_world.need()
    resource = lists_world.resource()
    staff = verified_client(lists_world.users["staff"])
    suggestions = staff.get(reverse("api:lists-need-suggestions", args=[need.pk])).json()
    assert [s["resource"]["id"] for s in suggestions] == [resource.pk]
    proposed = post(staff, reverse("api:lists-need-propose", args=[need.pk]), {"resource": resource.pk})
    assert proposed.status_code == 201, proposed.content
    match_pk = proposed.json()["id"]
    client.logout()
    contact = verified_client(lists_world.users["pm_contact"])
    accepted = post(contact, reverse("api:lists-match-accept", args=[match_pk]), {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == MatchStatus.ACCEPTED


def test_a_need_from_an_appeal_through_the_api_is_made_once(lists_world, verified_client, make_appeal):
    appeal = make_appeal()
    client = verified_client(lists_world.users["staff"])
    first = post(client, reverse("api:lists-need-from-appeal"), {"appeal": appeal.pk})
    second = post(client, reverse("api:lists-need-from-appeal"), {"appeal": appeal.pk})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["source_id"] == appeal.pk


@pytest.mark.parametrize("url_name", ["api:lists-need-list", "api:lists-resource-list"])
def test_an_api_lists_queries_do_not_grow_with_its_rows(lists_world, verified_client, url_name):
    client = verified_client(lists_world.users["staff"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    lists_world.need(building=lists_world.building, area=None)
    lists_world.resource()
    one = count()
    for n in range(5):
        lists_world.need(title=f"需求{n}", building=lists_world.building, area=None)
        lists_world.resource(title=f"资源{n}")
    assert count() == one


def test_closing_needs_if_match(lists_world, verified_client):
    need = lists_world.need()
    services.propose_match(actor=lists_world.users["staff"], need=need, resource=lists_world.resource())
    client = verified_client(lists_world.users["staff"])
    url = reverse("api:lists-need-close", args=[need.pk])
    assert post(client, url, {"reason": "重复登记"}).status_code == 428
    etag = client.get(reverse("api:lists-need-detail", args=[need.pk]))["ETag"]
    closed = post(client, url, {"reason": "重复登记"}, HTTP_IF_MATCH=etag)
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == NeedStatus.CLOSED

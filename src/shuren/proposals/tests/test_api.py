"""The proposals API: residents submit and co-sign, staff answer; scoping, masking, versions."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from shuren.people.residency import places_of
from shuren.proposals import services
from shuren.proposals.models import ProposalPolicy

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_resident_submits_neighbour_cosigns_staff_answers(co_world):
    ProposalPolicy.objects.create(community=co_world.tree["com_a"], signature_threshold=1, signing_days=30)
    author = co_world.resident(room="101")
    places = api(author).get("/api/v1/proposals/places/").json()
    key = next(p["key"] for p in places if p["key"].startswith("building"))
    created = api(author).post(
        "/api/v1/proposals/",
        {"title": "加装充电桩", "body": "架空层集中充电", "place": key},
        format="json",
        HTTP_IDEMPOTENCY_KEY="p-1",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["signature_threshold"] == 1
    neighbour = co_world.resident(room="102", name="陈大文")
    signed = api(neighbour).post(f"/api/v1/proposals/{pk}/sign/", HTTP_IDEMPOTENCY_KEY="s-1")
    assert signed.status_code == 200 and signed.json()["status"] == "qualified"
    assert signed.json()["signatures"][0]["name"] == "陈**"
    twice = api(neighbour).post(f"/api/v1/proposals/{pk}/sign/", HTTP_IDEMPOTENCY_KEY="s-2")
    assert twice.status_code == 400 and "已联署过" in str(twice.json())
    staff = api(co_world.users["staff"])
    assert (
        staff.post(
            f"/api/v1/proposals/{pk}/answer/",
            {"kind": "adopted", "text": "同意"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="a-0",
        ).status_code
        == 428
    )
    detail = staff.get(f"/api/v1/proposals/{pk}/")
    answered = staff.post(
        f"/api/v1/proposals/{pk}/answer/",
        {"kind": "adopted", "text": "同意，6月底前完成", "publish": False},
        format="json",
        HTTP_IF_MATCH=detail["ETag"],
        HTTP_IDEMPOTENCY_KEY="a-1",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert api(author).get(f"/api/v1/proposals/{pk}/").json()["answer"] == ""  # not yet published
    stale = staff.post(f"/api/v1/proposals/{pk}/publish/", {"version": 1}, format="json", HTTP_IDEMPOTENCY_KEY="pb-0")
    assert stale.status_code == 409
    version = answered.json()["version"]
    published = staff.post(
        f"/api/v1/proposals/{pk}/publish/", {"version": version}, format="json", HTTP_IDEMPOTENCY_KEY="pb-1"
    )
    assert published.status_code == 200
    assert api(author).get(f"/api/v1/proposals/{pk}/").json()["answer"] == "同意，6月底前完成"


def test_lists_are_scoped(co_world):
    author = co_world.resident(room="101")
    key = next(p.key for p in places_of(author) if p.key.startswith("building"))
    proposal = services.submit_proposal(actor=author, title="t", body="b", place_key=key)
    assert [p["id"] for p in api(co_world.users["staff"]).get("/api/v1/proposals/").json()["results"]] == [proposal.pk]
    assert api(co_world.users["staff_b"]).get("/api/v1/proposals/").json()["results"] == []
    assert api(co_world.users["staff_b"]).get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    elsewhere = co_world.resident(co_world.b5)
    assert api(elsewhere).get("/api/v1/proposals/").json()["results"] == []
    assert api(elsewhere).post(f"/api/v1/proposals/{proposal.pk}/sign/", HTTP_IDEMPOTENCY_KEY="x").status_code == 404
    neighbour = co_world.resident(room="102")
    assert [p["id"] for p in api(neighbour).get("/api/v1/proposals/").json()["results"]] == [proposal.pk]
    assert (
        api(neighbour)
        .post(
            f"/api/v1/proposals/{proposal.pk}/inadmissible/",
            {"reason": "x", "version": 1},
            format="json",
            HTTP_IDEMPOTENCY_KEY="y",
        )
        .status_code
        == 403
    )
    refused = api(co_world.users["staff"]).post(
        f"/api/v1/proposals/{proposal.pk}/inadmissible/",
        {"reason": "个人私事", "version": proposal.version},
        format="json",
        HTTP_IDEMPOTENCY_KEY="z",
    )
    assert refused.status_code == 200 and refused.json()["status"] == "inadmissible"
    withdrawn = api(author).post(
        f"/api/v1/proposals/{proposal.pk}/withdraw/",
        {"version": refused.json()["version"]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="w",
    )
    assert withdrawn.status_code == 409

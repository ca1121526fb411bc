"""The governance API (/api/v1/governance/): lists and detail per caller, creation, the workflow with
If-Match or version, problem answers, photos, figures."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shuren.governance.models import Claim, GovernanceItem, ItemStatus

from .test_claims import photo

pytestmark = pytest.mark.django_db

BASE = "/api/v1/governance/"
PROBLEM = "application/problem+json"


class Api:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.keys = 0

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params)

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
        self.keys += 1
        headers.setdefault("HTTP_IDEMPOTENCY_KEY", f"k-{id(self)}-{self.keys}")
        return self.client.post(BASE + path, data=json.dumps(body or {}), content_type="application/json", **headers)

    def act(self, pk: int, action: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
        body = dict(body or {})
        if "version" not in body and "HTTP_IF_MATCH" not in headers:
            headers["HTTP_IF_MATCH"] = self.get(f"items/{pk}/")["ETag"]
        return self.post(f"items/{pk}/{action}/", body, **headers)


@pytest.fixture
def api_as(verified_client, gov_world):
    def make(username: str) -> Api:
        return Api(verified_client(gov_world.users[username]))

    return make


def test_staff_create_an_item_and_read_it_with_its_etag(gov_world, api_as):
    staff = api_as("staff")
    response = staff.post(
        "items/",
        {
            "title": "泳池积水落叶清理",
            "source": "patrol",
            "estate": gov_world.estate.pk,
            "points": 6,
            "priority": "high",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open" and body["points"] == 6 and body["place"]["estate"] == gov_world.estate.pk
    assert "claim" in body["actions"] and body["updates"][0]["kind"] == "created"
    detail = staff.get(f"items/{body['id']}/")
    assert detail["ETag"] == f'"governanceitem-{body["id"]}-v1"'


def test_creation_refuses_unknown_fields_and_bad_places(gov_world, api_as):
    staff = api_as("staff")
    response = staff.post("items/", {"title": "x", "estate": gov_world.estate.pk, "status": "done"})
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert staff.post("items/", {"title": "x"}).status_code == 400
    residents = api_as("party_member")
    assert residents.post("items/", {"title": "x", "estate": gov_world.estate.pk}).status_code == 403


def test_the_full_workflow_through_the_api(gov_world, api_as):
    item = gov_world.item(points=12)
    member = api_as("party_member")
    claimed = member.act(item.pk, "claim", {"note": "我来跟进"})
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["status"] == "claimed" and claimed.json()["holder"]["label"] == "张天宝"
    version = claimed.json()["version"]
    progress = member.client.post(
        f"{BASE}items/{item.pk}/progress/",
        {"version": version, "text": "已与物业商定位置", "photos": [photo(), photo("b.jpg")]},
        HTTP_IDEMPOTENCY_KEY="progress-1",
    )
    assert progress.status_code == 200, progress.content
    update = progress.json()["updates"][-1]
    assert update["kind"] == "progress" and len(update["photos"]) == 2
    assert member.client.get(update["photos"][0]).status_code == 200
    submitted = member.act(item.pk, "submit", {"text": "充电口已投入使用"})
    assert submitted.json()["status"] == "submitted"
    staff = api_as("staff")
    returned = staff.act(item.pk, "return", {"reason": "还缺少现场照片"})
    assert returned.json()["status"] == "claimed"
    member = api_as("party_member")
    member.act(item.pk, "submit", {"text": "补充了照片"})
    staff = api_as("staff")
    verified = staff.act(item.pk, "verify", {})
    assert verified.json()["status"] == "done"
    assert verified.json()["updates"][-1]["points"] == 12


def test_claim_conflicts_answer_409_with_the_holder(gov_world, api_as):
    item = gov_world.item()
    first = api_as("volunteer").act(item.pk, "claim")
    assert first.status_code == 200
    second = api_as("party_member").act(item.pk, "claim", {"version": 1})
    assert second.status_code == 409 and second["Content-Type"] == PROBLEM
    assert second.json()["type"].endswith("already-claimed") and second.json()["holder"] == "陈**"
    assert Claim.objects.filter(item=item).count() == 1


def test_versions_are_required_and_checked(gov_world, api_as):
    item = gov_world.item()
    member = api_as("party_member")
    assert member.post(f"items/{item.pk}/claim/", {}).status_code == 428
    assert member.act(item.pk, "claim", HTTP_IF_MATCH='"governanceitem-0-v9"').status_code == 412
    GovernanceItem.objects.filter(pk=item.pk).update(version=2)
    assert member.act(item.pk, "claim", {"version": 1}).status_code == 409
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN


def test_a_resident_who_may_not_claim_gets_403_and_others_communities_404(gov_world, api_as):
    item = gov_world.item()
    response = api_as("resident").act(item.pk, "claim")
    assert response.status_code == 403 and response.json()["type"].endswith("not-eligible")
    foreign = gov_world.item(actor=gov_world.users["staff_b"], area=gov_world.tree["com_b"], estate=None)
    member = api_as("party_member")
    assert member.get(f"items/{foreign.pk}/").status_code == 404
    assert member.post(f"items/{foreign.pk}/claim/", {"version": 1}).status_code == 404


def test_residents_list_the_open_items_of_their_community_with_holders_masked(gov_world, api_as):
    gov_world.item(title="泳池积水落叶清理")
    gov_world.claimed("volunteer", title="楼道杂物清理")
    gov_world.item(title="金旗峰的事项", actor=gov_world.users["staff_b"], area=gov_world.tree["com_b"], estate=None)
    rows = api_as("party_member").get("items/").json()["results"]
    titles = {row["title"]: row for row in rows}
    assert set(titles) == {"泳池积水落叶清理", "楼道杂物清理"}
    assert titles["楼道杂物清理"]["holder"]["label"] == "陈**" and "lapses_at" not in titles["楼道杂物清理"]["holder"]
    staff_rows = api_as("staff").get("items/", status="claimed").json()["results"]
    assert [r["holder"]["label"] for r in staff_rows] == ["陈志强"]


def test_figures(gov_world, api_as):
    gov_world.item()
    item = gov_world.submitted(title="楼道杂物清理")
    api_as("staff").act(item.pk, "verify")
    body = api_as("staff").get("figures/", by="estate").json()
    assert body["total"]["collected"] == 2 and body["total"]["done"] == 1 and body["total"]["completion_rate"] == 50.0
    assert body["rows"][0]["label"] == "富丰新城"
    assert api_as("party_member").get("figures/").status_code == 403


def test_the_console_list_and_the_api_answer_the_same_filter_with_the_same_items(gov_world, api_as, verified_client):
    open_item = gov_world.item(title="楼道堆物清理")
    claimed = gov_world.claimed(title="充电棚加装插座")
    wish = gov_world.item(title="为独居老人装扶手", kind="wish")
    items = [open_item, claimed, wish]
    console = verified_client(gov_world.users["staff"])
    staff = api_as("staff")
    for filters in ({"status": "claimed"}, {"kind": "wish"}, {"status": "open", "kind": "task"}, {}):
        page = console.get("/governance/", filters).content.decode()
        on_page = {item.reference for item in items if item.reference in page}
        answer = staff.get("items/", **filters).json()
        assert on_page == {row["reference"] for row in answer["results"]}, filters
        if filters == {"status": "claimed"}:
            assert on_page == {claimed.reference}

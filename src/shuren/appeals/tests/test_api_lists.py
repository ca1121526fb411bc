"""The appeals API's reads: the working list and its filters (at a constant number of queries),
the KPIs, the category tree, notifications and the OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shuren.appeals.models import Appeal
from shuren.appeals.testing import appeal_notices

from .api_support import BASE, PROBLEM, Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(appeal_world):
    return lambda name: Api(appeal_world.users[name])


@pytest.fixture
def board(appeal_world):
    """Five appeals in different states: fresh, dispatched, resolved, overdue, supervised."""
    w = appeal_world
    desk = w.users["staff"]
    from shuren.appeals import services

    fresh = w.submit()
    dispatched = w.submit(category="lift", description="2座电梯卡在五楼，门打不开", building=1)
    dispatched = services.dispatch_appeal(actor=desk, appeal=dispatched, version=1, organization=w.property_manager)
    resolved = w.submit(category="noise", description="楼上每天凌晨两点还在装修，电钻声音很大")
    resolved = services.dispatch_appeal(
        actor=desk, appeal=resolved, version=1, organization=w.residents_committee, reason="邻里问题居委会调解"
    )
    resolved = services.resolve_appeal(actor=desk, appeal=resolved, version=resolved.version, resolution="已调解")
    overdue = w.submit(category="lighting", description="小区东门路灯坏了一个月，晚上很黑")
    Appeal.objects.filter(pk=overdue.pk).update(resolution_due_at=timezone.now() - dt.timedelta(hours=1))
    supervised = w.submit(category="dogs", description="有人遛狗不牵绳，小孩被吓哭了")
    services.supervise_appeal(actor=w.users["secretary"], appeal=supervised, version=1, on=True, note="督办")
    return {
        "fresh": fresh,
        "dispatched": dispatched,
        "resolved": resolved,
        "overdue": overdue,
        "supervised": supervised,
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_shows_the_callers_appeals_newest_first(board, api):
    body = api("staff").get(BASE).json()
    assert body["count"] == 5
    expected = [board[k].pk for k in ("supervised", "overdue", "resolved", "dispatched", "fresh")]
    assert [row["id"] for row in body["results"]] == expected
    row = body["results"][3]
    assert row["organization"]["name"] == "富丰物业" and row["building"]["number"] == "2座"
    assert row["url"] == f"{BASE}{board['dispatched'].pk}/"
    assert "reporter" not in row and "description" not in row


def test_the_list_filters(board, api, appeal_world):
    desk = api("staff")
    assert set(ids(desk.get(BASE, status="open"))) == {
        board[k].pk for k in ("fresh", "dispatched", "overdue", "supervised")
    }
    assert ids(desk.get(BASE, status="finished")) == [board["resolved"].pk]
    assert ids(desk.get(BASE, status="dispatched")) == [board["dispatched"].pk]
    assert ids(desk.get(BASE, category="safety")) == [board["fresh"].pk]  # a parent covers its children
    assert ids(desk.get(BASE, category="lift")) == [board["dispatched"].pk]
    assert ids(desk.get(BASE, building=appeal_world.buildings[1].pk)) == [board["dispatched"].pk]
    assert ids(desk.get(BASE, organization=appeal_world.property_manager.pk)) == [board["dispatched"].pk]
    assert ids(desk.get(BASE, due="overdue")) == [board["overdue"].pk]
    assert ids(desk.get(BASE, supervised="1")) == [board["supervised"].pk]
    assert ids(desk.get(BASE, q="路灯")) == [board["overdue"].pk]
    assert ids(desk.get(BASE, q=board["fresh"].reference)) == [board["fresh"].pk]
    assert ids(desk.get(BASE, level="community")) == []
    today = timezone.localdate()
    assert len(ids(desk.get(BASE, submitted_after=today.isoformat()))) == 5
    assert ids(desk.get(BASE, submitted_before=today.isoformat())) == []
    overdue = desk.get(BASE, due="overdue").json()["results"][0]
    assert overdue["deadline_state"] == "overdue"


def test_mine_lists_what_the_caller_reported(board, api, appeal_world):
    rows = api("resident").get(BASE, mine="1").json()["results"]
    assert len(rows) == 5
    assert {row["level"] for row in rows} == {None} and {row["is_supervised"] for row in rows} == {None}
    assert ids(api("resident").get(BASE)) == []  # a resident works on no appeals of others
    assert ids(api("neighbour").get(BASE, mine="1")) == []


def test_bad_filters_are_field_errors(board, api):
    response = api("staff").get(BASE, status="lost", due="tomorrow", submitted_after="yesterday")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert {"status", "due", "submitted_after"} <= set(response.json()["errors"])


def test_the_list_needs_a_part_in_appeals(user_for_role, api, appeal_world):
    from shuren.accounts.roles import Role

    assert Api(user_for_role(Role.SYSTEM_ADMIN)).get(BASE).status_code == 403
    assert Api(user_for_role(Role.AUDITOR)).get(BASE).status_code == 403


def test_the_list_costs_the_same_queries_for_few_or_many_appeals(appeal_world, api):
    w = appeal_world
    desk, clerk = api("staff"), api("handler")
    from shuren.appeals import services

    def add(count):
        for n in range(count):
            appeal = w.submit(category="lift", description=f"{n}号电梯按钮失灵，楼层显示不对", building=n % 2)
            services.dispatch_appeal(actor=w.users["staff"], appeal=appeal, version=1, organization=w.property_manager)

    def queries(caller):
        with CaptureQueriesContext(connection) as captured:
            response = caller.get(BASE, status="open")
        assert response.status_code == 200
        return len(captured), len(response.json()["results"])

    add(2)
    few = {name: queries(caller) for name, caller in (("desk", desk), ("clerk", clerk))}
    add(10)
    many = {name: queries(caller) for name, caller in (("desk", desk), ("clerk", clerk))}
    for name in few:
        assert few[name][1] == 2 and many[name][1] == 12
        assert many[name][0] == few[name][0], (name, few[name], many[name])
        assert many[name][0] <= 8


def test_the_count_stops_at_its_limit(appeal_world, api, monkeypatch):
    from shuren.api.pagination import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "COUNT_LIMIT", 3)
    for n in range(5):
        appeal_world.submit(description=f"第{n}次反映楼道飞线充电问题")
    body = api("staff").get(BASE, page_size=2).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2 and body["next"]


# --- KPIs -----------------------------------------------------------------------------------------


def test_kpis_per_organisation_with_rates_or_null(board, api, appeal_world):
    from shuren.appeals import services

    resolved = Appeal.objects.get(pk=board["resolved"].pk)
    services.give_feedback(
        actor=appeal_world.users["resident"], appeal=resolved, version=resolved.version, is_solved=True, satisfaction=5
    )
    today = timezone.localdate().isoformat()
    response = api("staff").get(f"{BASE}kpis/", group="organization", start=today, end=today)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"]["counted"] == 5
    assert body["total"]["overdue"] == 1
    assert body["total"]["satisfaction_rate"] == 1.0 and body["total"]["resolution_rate"] == 1.0
    groups = {g["name"]: g for g in body["groups"]}
    assert groups["大新居委会"]["rated"] == 1 and groups["大新居委会"]["satisfaction_rate"] == 1.0
    assert groups["富丰物业"]["counted"] == 1 and groups["富丰物业"]["satisfaction_rate"] is None
    assert groups[body["groups"][0]["name"]]["id"] is None  # the three not dispatched yet come first
    assert body["groups"][0]["counted"] == 3

    by_category = api("staff").get(f"{BASE}kpis/", group="category").json()
    assert {g["code"] for g in by_category["groups"]} == {"ebike-charging", "lift", "noise", "lighting", "dogs"}
    earlier = api("staff").get(f"{BASE}kpis/", end="2020-01-01").json()
    assert earlier["total"]["counted"] == 0 and earlier["total"]["response_rate"] is None


def test_a_handler_gets_the_kpis_of_their_organisation_only(board, api):
    body = api("handler").get(f"{BASE}kpis/").json()
    assert body["total"]["counted"] == 1


def test_kpis_need_the_kpi_permission_and_valid_parameters(board, api):
    assert api("resident").get(f"{BASE}kpis/").status_code == 403
    bad = api("staff").get(f"{BASE}kpis/", group="weather", start="2026-02-01", end="2026-01-01")
    assert bad.status_code == 400 and "group" in bad.json()["errors"]
    backwards = api("staff").get(f"{BASE}kpis/", start="2026-02-01", end="2026-01-01")
    assert "end" in backwards.json()["errors"]


# --- categories and notifications -----------------------------------------------------------------


def test_the_category_tree(api):
    categories = api("resident").get(f"{BASE}categories/").json()
    by_code = {c["code"]: c for c in categories}
    assert by_code["ebike-charging"]["parent"] == "safety"
    assert by_code["safety"]["parent"] is None
    assert by_code["ebike-charging"]["response_hours"] == 1 and by_code["ebike-charging"]["resolution_hours"] == 16
    assert {"code", "name", "name_en", "parent", "response_hours", "resolution_hours", "is_active"} <= set(
        by_code["lift"]
    )


def test_notifications_are_the_callers_own_and_can_be_marked_read(board, api, appeal_world):
    clerk = api("handler")
    notices = clerk.get(f"{BASE}notifications/").json()["results"]
    assert [(n["kind"], n["appeal"]["id"]) for n in notices] == [("assigned", board["dispatched"].pk)]
    first = notices[0]["id"]
    read = clerk.post(f"{BASE}notifications/{first}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert clerk.post(f"{BASE}notifications/{first}/read/").json()["read_at"] == read.json()["read_at"]
    assert clerk.get(f"{BASE}notifications/", unread="1").json()["results"] == []
    assert api("resident").post(f"{BASE}notifications/{first}/read/").status_code == 404
    assert appeal_notices(pk=first).get().read_at is not None


# --- schema ---------------------------------------------------------------------------------------


def test_every_appeals_endpoint_is_in_the_schema(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/appeals/",
        "/api/v1/appeals/{id}/",
        "/api/v1/appeals/{id}/dispatch/",
        "/api/v1/appeals/{id}/take-up/",
        "/api/v1/appeals/{id}/photos/",
        "/api/v1/appeals/{id}/events/",
        "/api/v1/appeals/kpis/",
        "/api/v1/appeals/categories/",
        "/api/v1/appeals/notifications/{id}/read/",
    ):
        assert path in paths, path
    dispatch = paths["/api/v1/appeals/{id}/dispatch/"]["post"]
    assert {p["name"] for p in dispatch["parameters"]} >= {"If-Match", "Idempotency-Key"}
    assert {"200", "409", "412", "428"} <= set(dispatch["responses"])


def test_the_schema_builds_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_list_rows_built_from_values_equal_the_documented_serializer(board, appeal_world, language):
    """The list answers rows built from values without DRF's field machinery; they must be exactly
    what AppealListItemSerializer (the schema's description of a row) gives for the same appeals:
    every state, with and without estate, building and organisation, a due-soon and an overdue one."""
    from django.utils import translation

    from shuren.appeals.api.base import DeadlineClock
    from shuren.appeals.api.serializers import AppealListItemSerializer, list_items
    from shuren.appeals.selectors import list_rows_of, listed_appeals
    from shuren.appeals.services import AppealLocation

    w = appeal_world
    on_estate = w.submit(
        category="road", description="东门人行道地砖松动，老人容易绊倒", location=AppealLocation(estate=w.estate)
    )
    Appeal.objects.filter(pk=board["fresh"].pk).update(
        resolution_due_at=timezone.now() + dt.timedelta(minutes=30), description="  很长的  描述" * 10
    )
    appeals = list(listed_appeals(Appeal.objects.all()).order_by("-submitted_at", "-pk"))
    assert len(appeals) >= 6 and any(a.building_id is None for a in appeals) and on_estate.pk
    assert any(a.organization_id for a in appeals) and any(a.organization_id is None for a in appeals)
    clock = DeadlineClock()
    with translation.override(language):
        documented = AppealListItemSerializer(appeals, many=True, context={"clock": clock}).data
        fast = list_items(list_rows_of([a.pk for a in appeals]), clock=clock)
    assert [dict(row) for row in documented] == fast
    assert {row["deadline_state"] for row in fast} >= {"overdue", "due_soon"}

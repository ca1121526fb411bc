"""One filter for the appeal list: the console's page and the API list answer the same question with
the same appeals, whichever spelling of the filter each takes (the console's form fields, the API's
query parameters), and a category covers its descendants to any depth."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuren.appeals import services
from shuren.appeals.models import Appeal, Category
from shuren.appeals.selectors import AppealFilter, category_family, filter_appeals, visible_appeals

from .api_support import BASE, Api

pytestmark = pytest.mark.django_db

LIST = reverse("appeals:appeal_list")
TODAY = dt.date(2026, 3, 16)
DAYS = [TODAY - dt.timedelta(days=n) for n in (0, 1, 3, 8)]
# A category tree four levels deep: works > shared > lifts > lift-doors (appeals file under the leaf).
DEEP = [
    ("works", None),
    ("works-shared", "works"),
    ("works-lifts", "works-shared"),
    ("works-lift-doors", "works-lifts"),
]


@pytest.fixture
def listed(appeal_world) -> dict[str, Any]:
    """Appeals in several categories (one four levels down), states, buildings and days."""
    w = appeal_world
    desk = w.users["staff"]
    codes: dict[str, Category] = {}
    for code, parent in DEEP:
        codes[code] = Category.objects.create(code=code, name=code, parent=codes.get(parent) if parent else None)
    door = w.submit(category="works-lift-doors", description="2座电梯门关不上，夹到了老人", building=1)
    lift = w.submit(category="lift", description="2座电梯卡在五楼，门打不开", building=1)
    lift = services.dispatch_appeal(actor=desk, appeal=lift, version=lift.version, organization=w.property_manager)
    charging = w.submit()
    noise = w.submit(
        category="noise",
        description="楼上每天凌晨两点还在装修，电钻声音很大",
        location=services.AppealLocation(area=w.tree["com_a"]),
    )
    noise = services.dispatch_appeal(
        actor=desk, appeal=noise, version=noise.version, organization=w.residents_committee, reason="邻里调解"
    )
    noise = services.resolve_appeal(actor=desk, appeal=noise, version=noise.version, resolution="已调解")
    accepted = w.submit(category="works-lift-doors", description="1座电梯门的感应器坏了")
    accepted = services.accept_appeal(actor=desk, appeal=accepted, version=accepted.version)
    appeals = [door, lift, charging, noise, accepted]
    for appeal, day in zip(appeals, [DAYS[0], DAYS[1], DAYS[2], DAYS[3], DAYS[1]], strict=True):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
        Appeal.objects.filter(pk=appeal.pk).update(submitted_at=moment)
    return {"world": w, "appeals": appeals, "categories": codes}


FILTERS = st.fixed_dictionaries(
    {
        "q": st.sampled_from(["", "电梯", "装修", "nothing-like-this"]),
        "category": st.sampled_from([None, "works", "works-shared", "works-lift-doors", "facilities", "safety"]),
        "status": st.sampled_from(["", "open", "finished", "submitted", "accepted", "dispatched", "resolved"]),
        "building": st.sampled_from([None, 0, 1]),
        "organization": st.booleans(),
        "start": st.sampled_from([None, *DAYS]),
        "end": st.sampled_from([None, *DAYS]),
    }
)


def console_params(terms: dict[str, Any], world: Any) -> dict[str, Any]:
    """The filter in the console's spelling (form fields; ``end`` inclusive)."""
    params: dict[str, Any] = {"tab": "all"}
    if terms["q"]:
        params["q"] = terms["q"]
    if terms["category"]:
        params["category"] = Category.objects.get(code=terms["category"]).pk
    if terms["status"]:
        params["status"] = terms["status"]
    if terms["building"] is not None:
        building = world.buildings[terms["building"]]
        params["estate"], params["building"] = building.estate_id, building.pk
    if terms["organization"]:
        params["organization"] = world.property_manager.pk
    if terms["start"]:
        params["start"] = terms["start"].isoformat()
    if terms["end"]:
        params["end"] = terms["end"].isoformat()
    return params


def api_params(terms: dict[str, Any], world: Any) -> dict[str, Any]:
    """The same filter in the API's spelling (category code; ``submitted_before`` exclusive)."""
    params: dict[str, Any] = {"page_size": 200}
    if terms["q"]:
        params["q"] = terms["q"]
    if terms["category"]:
        params["category"] = terms["category"]
    if terms["status"]:
        params["status"] = terms["status"]
    if terms["building"] is not None:
        building = world.buildings[terms["building"]]
        params["estate"], params["building"] = building.estate_id, building.pk
    if terms["organization"]:
        params["organization"] = world.property_manager.pk
    if terms["start"]:
        params["submitted_after"] = terms["start"].isoformat()
    if terms["end"]:
        params["submitted_before"] = (terms["end"] + dt.timedelta(days=1)).isoformat()
    return params


def console_ids(client: Any, params: dict[str, Any]) -> set[int]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    return {appeal.pk for appeal in response.context["page"].object_list}


def api_ids(api: Api, params: dict[str, Any]) -> set[int]:
    response = api.get(BASE, **params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=FILTERS)
def test_the_console_and_the_api_list_the_same_appeals_for_the_same_filter(listed, verified_client, terms):
    world = listed["world"]
    if "client" not in listed:  # one sign-in for all the examples
        listed["client"], listed["api"] = verified_client(world.users["staff"]), Api(world.users["staff"])
    client, api = listed["client"], listed["api"]
    assert console_ids(client, console_params(terms, world)) == api_ids(api, api_params(terms, world))


def test_a_category_covers_its_descendants_on_both_lists(listed, verified_client):
    world = listed["world"]
    door, _lift, _charging, _noise, accepted = listed["appeals"]
    client = verified_client(world.users["staff"])
    api = Api(world.users["staff"])
    for code in ("works", "works-shared", "works-lifts", "works-lift-doors"):
        terms = {"q": "", "category": code, "status": "", "building": None, "organization": False}
        terms |= {"start": None, "end": None}
        assert console_ids(client, console_params(terms, world)) == {door.pk, accepted.pk}
        assert api_ids(api, api_params(terms, world)) == {door.pk, accepted.pk}


def test_both_spellings_make_the_same_terms(listed):
    world = listed["world"]
    works = listed["categories"]["works"]
    console = AppealFilter.from_console(
        {"q": " 电梯 ", "category": works.pk, "status": "open", "start": DAYS[2], "end": DAYS[1]}, tab="all"
    )
    api = AppealFilter.from_api(
        {"q": "电梯", "category": "works", "status": "open", "submitted_after": DAYS[2], "submitted_before": DAYS[0]}
    )
    staff = world.users["staff"]
    assert console.submitted_before == api.submitted_before == DAYS[0]
    assert category_family(works.pk) == category_family("works")
    assert list(filter_appeals(visible_appeals(staff), user=staff, filters=console)) == list(
        filter_appeals(visible_appeals(staff), user=staff, filters=api)
    )


def test_an_unknown_category_code_lists_nothing():
    assert category_family("no-such-category") == []

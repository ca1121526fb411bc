"""Where governance objects are: the place is completed from its most specific part, checked for
consistency, and decides the scope; the shared chooser offers only places the user may act on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuren.accounts.roles import Role
from shuren.places.models import Building, Estate, Unit
from shuren.places.selectors import acting_areas, acting_buildings, acting_estates
from shuren.proposals.models import Proposal


@pytest.fixture
def places(tree):
    estate = Estate.objects.create(community=tree["com_a"], name="富丰新城")
    b1 = Building.objects.create(estate=estate, grid=tree["grid_a1"], number="1座")
    b2 = Building.objects.create(estate=estate, grid=tree["grid_a2"], number="2座")
    unit = Unit.objects.create(building=b1, number="1单元")
    other = Estate.objects.create(community=tree["com_b"], name="金旗峰花园")
    b3 = Building.objects.create(estate=other, grid=tree["grid_b1"], number="1座")
    return {"estate": estate, "b1": b1, "b2": b2, "unit": unit, "other": other, "b3": b3}


def test_a_unit_completes_building_estate_and_grid_and_takes_the_grid_scope(tree, places):
    probe = Proposal(unit=places["unit"])
    probe.fill_place()
    assert (probe.building, probe.estate, probe.area) == (places["b1"], places["estate"], tree["grid_a1"])
    assert probe.placed_scope() == tree["grid_a1"].path
    assert probe.place_label == "富丰新城 1座 1单元"


def test_an_estate_alone_is_filed_under_its_community(tree, places):
    probe = Proposal(estate=places["estate"])
    probe.fill_place()
    assert probe.area == tree["com_a"]
    assert probe.placed_scope() == tree["com_a"].path


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ({"area": "grid_a1", "unit": "unit", "building": "b2"}, "unit"),
        ({"area": "com_a", "estate": "other"}, "estate"),
        ({"area": "grid_a2", "building": "b1"}, "building"),
        ({"area": "sub_a"}, "area"),
    ],
)
def test_inconsistent_places_are_refused_on_the_field_concerned(tree, places, parts, field):
    probe = Proposal(**{name: tree.get(key) or places.get(key) for name, key in parts.items()})
    with pytest.raises(ValidationError) as caught:
        probe.clean_place()
    assert field in caught.value.message_dict


def test_the_chooser_offers_only_the_places_of_the_users_grants(tree, places, user_for_role):
    grid_worker = user_for_role(Role.GRID_WORKER)  # granted on grid A1
    assert set(acting_areas(grid_worker, "meetings.manage")) == {tree["grid_a1"], tree["com_a"]}
    assert list(acting_estates(grid_worker, "meetings.manage")) == [places["estate"]]
    assert list(acting_buildings(grid_worker, "meetings.manage")) == [places["b1"]]
    resident = user_for_role(Role.RESIDENT)
    assert not acting_buildings(resident, "meetings.manage").exists()


def test_the_options_endpoint_lists_buildings_then_units_in_scope(tree, places, user_for_role, verified_client):
    client = verified_client(user_for_role(Role.COMMUNITY_STAFF))
    url = reverse("places:place_options")
    page = client.get(url, {"action": "meetings.manage", "estate": places["estate"].pk}).content.decode()
    assert "1座" in page and "2座" in page
    page = client.get(url, {"action": "meetings.manage", "building": places["b1"].pk}).content.decode()
    assert "1单元" in page
    outside = client.get(url, {"action": "meetings.manage", "estate": places["other"].pk}).content.decode()
    assert "金旗峰" not in outside and '<option value="' + str(places["b3"].pk) not in outside
    unknown_action = client.get(url, {"action": "nothing.at_all", "estate": places["estate"].pk}).content.decode()
    assert "1座" not in unknown_action

"""Estates, buildings, stairwell units and dwellings: laid out by community staff, seen per grid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.core.errors import OutOfScope
from shuren.places.models import Building, Dwelling, Estate, Unit
from shuren.places.services import create_building, create_estate, move_building_to_grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(user_for_role):
    return user_for_role(Role.COMMUNITY_STAFF)


@pytest.fixture
def fufeng(staff, tree):
    """富丰新城 with two buildings, one in each grid of 大新社区."""
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城", built_year=2003)
    create_building(
        actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=3, units=2, rooms_per_floor=2
    )
    create_building(
        actor=staff, estate=estate, grid=tree["grid_a2"], number="2座", floors=2, units=1, rooms_per_floor=4
    )
    return estate


def test_a_building_is_laid_out_with_units_and_numbered_dwellings(fufeng):
    building = Building.objects.get(estate=fufeng, number="1座")
    assert list(building.units.values_list("number", flat=True)) == ["1单元", "2单元"]
    rooms = Dwelling.objects.filter(unit__building=building, unit__number="1单元").values_list("room", flat=True)
    assert sorted(rooms) == ["101", "102", "201", "202", "301", "302"]
    assert AuditEvent.objects.filter(action="places.building_create").count() == 2


def test_everything_in_a_building_carries_its_grid_as_scope(fufeng, tree):
    building = Building.objects.get(estate=fufeng, number="1座")
    assert fufeng.scope == tree["com_a"].path
    assert {building.scope} == set(Unit.objects.filter(building=building).values_list("scope", flat=True))
    assert set(Dwelling.objects.filter(unit__building=building).values_list("scope", flat=True)) == {
        tree["grid_a1"].path
    }


def test_a_grid_worker_sees_only_the_buildings_of_their_grid(fufeng, user_for_role, verified_client):
    client = verified_client(user_for_role(Role.GRID_WORKER))
    estate_page = client.get(f"/places/estates/{fufeng.pk}/").content.decode()
    assert "1座" in estate_page and "2座" not in estate_page
    other = Building.objects.get(estate=fufeng, number="2座")
    assert client.get(f"/places/buildings/{other.pk}/").status_code == 404
    assert "富丰新城" in client.get("/places/estates/").content.decode()


def test_community_staff_see_the_whole_estate_with_counts(fufeng, staff, verified_client):
    page = verified_client(staff).get("/places/estates/").content.decode()
    assert "富丰新城" in page and "<td>20</td>" in page  # 12 + 8 dwellings
    assert verified_client(staff).get(f"/places/estates/{fufeng.pk}/").status_code == 200


def test_staff_add_an_estate_and_a_building_through_the_pages(staff, verified_client, tree):
    client = verified_client(staff)
    response = client.post(
        "/places/estates/new/", {"community": tree["com_a"].pk, "name": "中海万锦豪园", "address": ""}
    )
    estate = Estate.objects.get(name="中海万锦豪园")
    assert response["Location"] == f"/places/estates/{estate.pk}/"
    response = client.post(
        f"/places/estates/{estate.pk}/buildings/new/",
        {
            "number": "3栋",
            "grid": tree["grid_a2"].pk,
            "floors": "18",
            "has_lift": "on",
            "units": "2",
            "rooms_per_floor": "4",
        },
    )
    assert response.status_code == 302
    building = Building.objects.get(estate=estate)
    assert building.has_lift and Dwelling.objects.filter(unit__building=building).count() == 144


def test_the_building_form_keeps_input_and_refuses_a_grid_of_another_community(staff, verified_client, fufeng, tree):
    client = verified_client(staff)
    response = client.post(
        f"/places/estates/{fufeng.pk}/buildings/new/",
        {"number": "9座", "grid": tree["grid_b1"].pk, "floors": "", "units": "1", "rooms_per_floor": "2"},
    )
    assert response.status_code == 200
    assert 'value="9座"' in response.content.decode()
    assert response.context["form"].errors
    assert not Building.objects.filter(number="9座").exists()


def test_moving_a_building_redraws_the_grid_boundary(fufeng, staff, tree):
    building = Building.objects.get(estate=fufeng, number="1座")
    move_building_to_grid(actor=staff, building=building, grid=tree["grid_a2"], version=building.version)
    assert set(Dwelling.objects.filter(unit__building=building).values_list("scope", flat=True)) == {
        tree["grid_a2"].path
    }
    assert AuditEvent.objects.get(action="places.building_move").detail["to"] == tree["grid_a2"].path


def test_staff_cannot_place_anything_in_another_community(staff, tree):
    with pytest.raises(OutOfScope):
        create_estate(actor=staff, community=tree["com_b"], name="别处的小区")


def test_dwelling_areas_must_be_positive(fufeng):
    dwelling = Dwelling.objects.filter(unit__building__estate=fufeng).first()
    dwelling.exclusive_area = Decimal("89.50")
    dwelling.save()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Dwelling.objects.filter(pk=dwelling.pk).update(exclusive_area=Decimal("-1"))

from __future__ import annotations

from typing import Any

import pytest

from shuren.accounts.roles import Role
from shuren.notifications.sms import console
from shuren.people.models import Person, Residence, ResidenceRelation, ResidenceStatus
from shuren.places.models import Building, Dwelling, Estate, Unit


@pytest.fixture(autouse=True)
def _console_sms(settings: Any) -> None:
    settings.SHUREN_SMS_PROVIDER = "console"
    settings.SHUREN_SMS_TEMPLATES = {}
    settings.SHUREN_SMS_SIGN_NAME = "熟人"
    console.outbox.clear()


@pytest.fixture
def homes(tree: dict[str, Any]) -> dict[str, Any]:
    """Community A: building 1座 on grid a1 (rooms 101, 102) and building 2座 on grid a2 (room 101);
    community B: building 1座 (room 101). 王芳 owns A 1座 101 and is registered with 13912345678."""
    made: dict[str, Any] = {}
    for key, community, grid in (
        ("a1", tree["com_a"], tree["grid_a1"]),
        ("a2", tree["com_a"], tree["grid_a2"]),
        ("b1", tree["com_b"], tree["grid_b1"]),
    ):
        estate, _ = Estate.objects.get_or_create(community=community, name=f"{community.name}花园")
        building = Building.objects.create(estate=estate, number=f"{key[-1]}座", grid=grid)
        unit = Unit.objects.create(building=building, number="1单元")
        made[key] = Dwelling.objects.create(unit=unit, room="101", floor=1)
        if key == "a1":
            made["a1_102"] = Dwelling.objects.create(unit=unit, room="102", floor=1)
    owner = Person.objects.create(community=tree["com_a"], name="王芳", phone="+8613912345678")
    Residence.objects.create(
        person=owner, dwelling=made["a1"], relation=ResidenceRelation.OWNER, status=ResidenceStatus.PERMANENT
    )
    Person.objects.filter(pk=owner.pk).update(scope=made["a1"].scope)  # as people.add_residence does
    owner.refresh_from_db()
    made["owner"] = owner
    return made


@pytest.fixture
def grid_worker(make_user: Any, tree: dict[str, Any]) -> Any:
    return make_user(Role.GRID_WORKER, tree["grid_a1"], username="grid_a1_worker")


@pytest.fixture
def other_grid_worker(make_user: Any, tree: dict[str, Any]) -> Any:
    return make_user(Role.GRID_WORKER, tree["grid_a2"], username="grid_a2_worker")

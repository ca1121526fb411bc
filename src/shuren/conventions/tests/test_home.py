"""The conventions tile on the resident's home page counts the conventions of the resident's own
places: those in force, and those with a version open for comments; another community's never."""

from __future__ import annotations

import pytest

from shuren.conventions import services
from shuren.conventions.selectors import resident_convention_counts

from .test_pages_api import V1, in_force_with_v2_in_discussion

pytestmark = pytest.mark.django_db


def test_the_counts_are_of_the_residents_places_only(co_world, client):
    resident, neighbour_b = co_world.resident(), co_world.resident(co_world.building_b, unit="1单元")
    assert resident_convention_counts(resident) == {"in_force": 0, "in_discussion": 0}
    in_force_with_v2_in_discussion(co_world)  # in force, and a new version open for comments
    services.create_convention(  # a draft nobody has seen yet
        actor=co_world.users["staff"], title="养犬公约", text=V1, area=co_world.tree["com_a"], estate=co_world.estate
    )
    services.create_convention(
        actor=co_world.users["staff_b"], title="金旗峰停车公约", text=V1, area=co_world.tree["com_b"]
    )
    assert resident_convention_counts(resident) == {"in_force": 1, "in_discussion": 1}
    assert resident_convention_counts(neighbour_b) == {"in_force": 0, "in_discussion": 0}
    assert resident_convention_counts(co_world.users["staff"]) == {"in_force": 0, "in_discussion": 0}
    client.force_login(resident)
    home = client.get("/me/").content.decode()
    assert 'data-testid="tile-conventions"' in home and "1 项征求意见中" in home

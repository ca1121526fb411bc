"""The proposals tile on the resident's home page counts the proposals of the resident's places still
collecting co-signatures: a neighbour's in the same building counts, another building's does not,
and a withdrawn one stops counting."""

from __future__ import annotations

import pytest

from shuren.proposals import services
from shuren.proposals.selectors import collecting_signatures_count

from .test_services import propose

pytestmark = pytest.mark.django_db


def test_the_count_is_of_the_proposals_collecting_in_the_residents_places(co_world, client):
    author, neighbour = co_world.resident(room="101"), co_world.resident(room="102")
    elsewhere = co_world.resident(co_world.b5)
    assert collecting_signatures_count(neighbour) == 0
    proposal = propose(author)
    assert collecting_signatures_count(neighbour) == collecting_signatures_count(author) == 1
    assert collecting_signatures_count(elsewhere) == 0
    assert collecting_signatures_count(co_world.users["staff"]) == 0  # staff do not propose
    client.force_login(neighbour)
    home = client.get("/me/").content.decode()
    assert 'data-testid="tile-proposals"' in home and "1 项征集附议中" in home

    services.withdraw_proposal(actor=author, proposal=proposal, version=proposal.version)
    assert collecting_signatures_count(neighbour) == 0

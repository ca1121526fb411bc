"""The resident's home page asks the reporter of a resolved appeal for their rating (straight to the
form when there is one) until they give it; nobody else is asked, and the services offer reporting,
my appeals with how many are being handled, and the public board."""

from __future__ import annotations

import pytest

from shuren.appeals import services
from shuren.appeals.selectors import appeals_awaiting_my_rating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the words asserted below are the English source


def _resolve(world, appeal):
    appeal = services.dispatch_appeal(
        actor=world.users["staff"], appeal=appeal, version=appeal.version, organization=world.property_manager
    )
    handler = world.users["handler"]
    appeal = services.take_up_appeal(actor=handler, appeal=appeal, version=appeal.version)
    return services.resolve_appeal(actor=handler, appeal=appeal, version=appeal.version, resolution="已拆除飞线")


def test_a_resolved_appeal_waits_for_its_reporters_rating_until_given(appeal_world, client):
    world = appeal_world
    resident = world.users["resident"]
    appeal = world.submit()
    assert list(appeals_awaiting_my_rating(resident)) == []  # being handled: nothing to rate yet
    client.force_login(resident)
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-appeals"' not in home and "1 being handled" in home

    appeal = _resolve(world, appeal)
    assert list(appeals_awaiting_my_rating(resident)) == [appeal]
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-appeals"' in home and f'href="/my/appeals/{appeal.pk}/#feedback"' in home
    for tile in ("report", "my-appeals", "board"):
        assert f'data-testid="tile-{tile}"' in home

    services.give_feedback(actor=resident, appeal=appeal, version=appeal.version, is_solved=True, satisfaction=5)
    assert list(appeals_awaiting_my_rating(resident)) == []
    assert 'data-testid="waiting-appeals"' not in client.get("/me/").content.decode()


def test_only_the_reporter_is_asked_and_several_lead_to_the_list(appeal_world, client):
    world = appeal_world
    first, second = _resolve(world, world.submit()), _resolve(world, world.submit(description="2座门禁坏了一个月"))
    assert list(appeals_awaiting_my_rating(world.users["resident"])) == [first, second]
    for other in ("neighbour", "staff", "handler", "staff_b"):
        assert list(appeals_awaiting_my_rating(world.users[other])) == []
    client.force_login(world.users["resident"])
    home = client.get("/me/").content.decode()
    assert "2 resolved appeals wait for your rating" in home and 'href="/my/appeals/"' in home

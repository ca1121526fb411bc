"""The resident's home page shows their points once they have any, and the rewards they redeemed and
have not collected; reading it opens no account."""

from __future__ import annotations

import pytest

from shuren.points.models import Account
from shuren.points.selectors import my_points
from shuren.points.services import redeem_reward
from shuren.points.testing import give

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the words asserted below are the English source


def test_the_balance_and_rewards_to_collect_show_and_reading_opens_no_account(points_world, client):
    world = points_world
    resident = world.users["resident"]
    client.force_login(resident)
    home = client.get("/me/").content.decode()
    assert my_points(resident) is None and not Account.objects.filter(person__user=resident).exists()
    assert 'data-testid="waiting-points"' not in home and 'data-testid="tile-points"' in home

    give(world.people["resident"], 30)
    account = my_points(resident)
    assert account is not None and (account.balance, account.pending) == (30, 0)
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-points"' in home and "You have 30 points" in home

    redeem_reward(actor=resident, reward=world.reward(cost=30))
    account = my_points(resident)
    assert account is not None and (account.balance, account.pending) == (0, 1)
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-points"' in home and "1 reward to collect" in home


def test_someone_elses_points_are_not_mine(points_world):
    world = points_world
    give(world.people["party_member"], 50)
    assert my_points(world.users["resident"]) is None
    assert my_points(world.users["party_member"]).balance == 50
    assert my_points(world.users["staff"]) is None

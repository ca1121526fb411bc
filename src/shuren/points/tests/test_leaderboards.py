"""Leaderboards rank points earned (credits net of reversals) in a period, per community or per
grid (where a person lives now), with ties sharing a rank."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.points import selectors, services
from shuren.points.testing import give

pytestmark = pytest.mark.django_db


def test_ranks_points_earned_net_of_reversals_with_ties(points_world):
    a, b, c = (points_world.people[k] for k in ("resident", "party_member", "party_member2"))
    give(a, 30)
    give(b, 30)
    wrong = give(c, 50)
    give(c, 10)
    services.reverse_transaction(actor=points_world.users["staff"], txn=wrong, reason="重复")
    board = selectors.leaderboard(community=points_world.tree["com_a"])
    assert [(s.rank, s.account.person.name, s.points) for s in board] == [
        (1, "林小梅", 30),
        (1, "张天宝", 30),
        (3, "欧阳丽华", 10),
    ]
    assert board[2].masked_name == "欧阳**"


def test_spending_does_not_lower_the_rank(points_world):
    give(points_world.people["resident"], 30)
    give(points_world.people["party_member"], 20)
    services.redeem_reward(actor=points_world.users["resident"], reward=points_world.reward(cost=20))
    board = selectors.leaderboard(community=points_world.tree["com_a"])
    assert board[0].account.person == points_world.people["resident"] and board[0].points == 30


def test_the_period_counts_by_the_date_of_the_event(points_world):
    today = timezone.localdate()
    give(points_world.people["resident"], 30, on=today.replace(day=1))
    give(points_world.people["party_member"], 50, on=today - dt.timedelta(days=400))
    start, end = selectors.period_bounds("month")
    month = selectors.leaderboard(community=points_world.tree["com_a"], start=start, end=end)
    assert [s.account.person.name for s in month] == ["林小梅"]
    everything = selectors.leaderboard(community=points_world.tree["com_a"])
    assert [s.account.person.name for s in everything] == ["张天宝", "林小梅"]


def test_a_grid_board_counts_the_people_who_live_in_the_grid(points_world):
    give(points_world.people["resident"], 10)  # lives in 1座, grid 1
    give(points_world.people["volunteer"], 40)  # no home on record
    give(points_world.people["resident_b"], 90)  # another community
    board = selectors.leaderboard(grid=points_world.tree["grid_a1"])
    assert [s.account.person.name for s in board] == ["林小梅"]
    assert selectors.leaderboard(grid=points_world.tree["grid_a2"]) == []

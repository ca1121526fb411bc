"""The resident's home page asks an owner to vote while a ballot waits for them: voting is on, they
are on its roll, and they have not voted on every matter. Another place's ballot never shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shuren.accounts.roles import Role
from shuren.ballots import services
from shuren.ballots.models import Ballot
from shuren.ballots.selectors import ballots_awaiting_my_vote
from shuren.people.models import Person, Residence
from shuren.places.models import Building, Dwelling, Estate, Unit

from .conftest import draft_lift_ballot

pytestmark = pytest.mark.django_db


def _open(world, ballot: Ballot) -> Ballot:
    return services.open_ballot(actor=world.users["staff"], ballot=ballot, version=ballot.version)


def _vote(world, username: str, ballot: Ballot, matter_position: int) -> None:
    user = world.users[username]
    matter = ballot.matters.get(position=matter_position)
    voter = ballot.voters.get(owners__person__user=user)
    services.cast_vote(actor=user, matter=matter, voter=voter, choice="agree")


def test_an_open_ballot_waits_for_each_owner_until_they_voted_on_every_matter(ballot_world):
    world = ballot_world
    ballot = draft_lift_ballot(world)
    services.add_matter(actor=world.users["staff"], ballot=ballot, title="运行费用按楼层分摊", civil_code_item=9)
    assert list(ballots_awaiting_my_vote(world.users["wangfang"])) == []  # a draft asks nobody
    ballot = _open(world, ballot)
    assert list(ballots_awaiting_my_vote(world.users["wangfang"])) == [ballot]
    assert list(ballots_awaiting_my_vote(world.users["liqiang"])) == [ballot]
    # Not an owner in the unit (a tenant's neighbour, a resident elsewhere): nothing to vote on.
    assert list(ballots_awaiting_my_vote(world.users["outsider"])) == []
    assert list(ballots_awaiting_my_vote(world.users["zhaomin"])) == []  # the developer's flat: not his vote

    _vote(world, "wangfang", ballot, 1)
    assert list(ballots_awaiting_my_vote(world.users["wangfang"])) == [ballot]  # one matter still open
    _vote(world, "wangfang", ballot, 2)
    # 王芳 co-owns 101 with 李强: one voter, so her vote answers for him too.
    assert list(ballots_awaiting_my_vote(world.users["wangfang"])) == []
    assert list(ballots_awaiting_my_vote(world.users["liqiang"])) == []
    assert list(ballots_awaiting_my_vote(world.users["zhangwei"])) == [ballot]


def test_a_ballot_not_started_or_past_its_closing_time_does_not_wait(ballot_world):
    world = ballot_world
    ballot = _open(world, draft_lift_ballot(world))
    owner = world.users["zhangwei"]
    assert list(ballots_awaiting_my_vote(owner)) == [ballot]
    assert list(ballots_awaiting_my_vote(owner, at=timezone.now() + dt.timedelta(days=15))) == []
    Ballot.objects.filter(pk=ballot.pk).update(opens_at=timezone.now() + dt.timedelta(days=1))
    assert list(ballots_awaiting_my_vote(owner)) == []


def test_another_communitys_ballot_never_waits_for_a_resident_of_this_one(ballot_world, make_user):
    world = ballot_world
    com_b, grid_b = world.tree["com_b"], world.tree["grid_b1"]
    estate = Estate.objects.create(community=com_b, name="金旗峰花园")
    building = Building.objects.create(estate=estate, number="8座", grid=grid_b)
    unit = Unit.objects.create(building=building, number="1单元")
    flat = Dwelling.objects.create(unit=unit, room="101", floor=1, exclusive_area=Decimal("95.00"))
    neighbour = make_user(Role.RESIDENT, grid_b, username="jinqi")
    person = Person.objects.create(community=com_b, name="何建新", user=neighbour)
    Residence.objects.create(person=person, dwelling=flat, relation="owner", status="permanent")
    staff_b = make_user(Role.COMMUNITY_STAFF, com_b, username="staff_b")
    theirs = services.create_ballot(
        actor=staff_b, title="8座换届选举", area=grid_b, unit=unit, closes_at=timezone.now() + dt.timedelta(days=7)
    )
    services.add_matter(actor=staff_b, ballot=theirs, title="是否同意", civil_code_item=4)
    theirs = services.open_ballot(actor=staff_b, ballot=theirs, version=theirs.version)
    ours = _open(world, draft_lift_ballot(world))

    assert list(ballots_awaiting_my_vote(neighbour)) == [theirs]
    for username in ("wangfang", "liqiang", "zhangwei", "outsider"):
        assert theirs not in ballots_awaiting_my_vote(world.users[username])
    assert ours not in ballots_awaiting_my_vote(neighbour)


def test_the_home_page_card_leads_to_the_ballot_and_the_services_tile_to_all_votes(ballot_world, client):
    world = ballot_world
    ballot = _open(world, draft_lift_ballot(world))
    client.force_login(world.users["zhangwei"])
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-ballots"' in home and f'href="/my/ballots/{ballot.pk}/"' in home
    assert "1单元加装电梯" in home and 'data-testid="tile-ballots"' in home
    _vote(world, "zhangwei", ballot, 1)
    home = client.get("/me/").content.decode()
    assert 'data-testid="waiting-ballots"' not in home and 'data-testid="tile-ballots"' in home

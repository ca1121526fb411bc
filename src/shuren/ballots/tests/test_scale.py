"""A ballot of a whole estate, at the size of the largest the project has met (2,863 voters): the
staff page, the voter roll, the tally and the API answer on SQLite, whose expression depth and
variable count are small, because no query grows with the number of rows it names or excludes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shuren.ballots import services
from shuren.ballots.models import Ballot, BallotVote
from shuren.core.bulk import analyze
from shuren.people.models import Person, Residence
from shuren.places.models import Building, Dwelling, Estate, Unit

pytestmark = pytest.mark.django_db

DWELLINGS = 3_100  # every third dwelling has no registered owner


def _big_estate(world):
    estate = Estate.objects.create(community=world.tree["com_a"], name="富丰新城大盘")
    buildings = Building.objects.bulk_create(
        [Building(estate=estate, number=f"{n}座", grid=world.tree["grid_a1"], floors=32) for n in range(1, 11)]
    )
    units = Unit.objects.bulk_create([Unit(building=b, number="1单元") for b in buildings])
    per_unit = DWELLINGS // len(units) + 1
    Dwelling.objects.bulk_create(
        [
            Dwelling(
                unit=unit,
                room=f"{i // 10 + 1}{i % 10 + 1:02d}",
                floor=i // 10 + 1,
                exclusive_area=Decimal("88.50"),
                held_by_developer=i == 0,
            )
            for unit in units
            for i in range(per_unit)
        ][:DWELLINGS],
        batch_size=500,
    )
    dwellings = list(Dwelling.objects.filter(unit__building__estate=estate).order_by("pk"))
    owned = [d for n, d in enumerate(dwellings) if n % 3]
    people = Person.objects.bulk_create(
        [Person(community=world.tree["com_a"], name=f"业主{n}") for n in range(len(owned))], batch_size=500
    )
    Residence.objects.bulk_create(
        [
            Residence(person=p, dwelling=d, relation="owner", status="permanent")
            for p, d in zip(people, owned, strict=True)
        ],
        batch_size=500,
    )
    analyze(Dwelling, Person, Residence)  # as a load committed and analyzed would leave them (PostgreSQL)
    return estate


@pytest.mark.slow
def test_the_staff_page_and_the_api_of_a_three_thousand_voter_ballot(ballot_world, verified_client) -> None:
    world = ballot_world
    staff = world.users["staff"]
    estate = _big_estate(world)
    ballot = services.create_ballot(
        actor=staff,
        title="全小区业主大会",
        area=world.tree["com_a"],
        estate=estate,
        closes_at=timezone.now() + dt.timedelta(days=14),
    )
    services.add_matter(actor=staff, ballot=ballot, title="是否同意使用维修资金", civil_code_item=6)
    client = verified_client(staff)
    draft = client.get(reverse("ballots:ballot_detail", args=[ballot.pk]))
    assert draft.status_code == 200
    ballot = services.open_ballot(actor=staff, ballot=ballot, version=ballot.version)
    assert ballot.total_owners >= 3_000
    page = client.get(reverse("ballots:ballot_detail", args=[ballot.pk]))
    assert page.status_code == 200
    assert 'data-testid="owner-unknown"' in page.content.decode()
    for url in (
        reverse("ballots:tally_sheet", args=[ballot.pk]),
        reverse("api:ballots-ballot-detail", args=[ballot.pk]),
        reverse("api:ballots-ballot-tally", args=[ballot.pk]),
    ):
        assert client.get(url).status_code == 200, url
    # Four owners in five vote on paper, all in favour; then voting closes and the count is shown.
    matter = ballot.matters.get()
    voters = list(ballot.voters.order_by("pk"))
    BallotVote.objects.bulk_create(
        [
            BallotVote(
                matter=matter, voter=v, choice="agree", channel="paper", recorded_by=staff, recorded_at=timezone.now()
            )
            for n, v in enumerate(voters)
            if n % 5
        ],
        batch_size=500,
    )
    assert client.get(reverse("api:ballots-ballot-tally", args=[ballot.pk])).json()["turnout"][0]["owners"] == sum(
        1 for n in range(len(voters)) if n % 5
    )
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    ballot = Ballot.objects.get(pk=ballot.pk)
    services.close_ballot(actor=staff, ballot=ballot, version=ballot.version)
    assert client.get(reverse("ballots:ballot_detail", args=[ballot.pk])).status_code == 200
    assert client.get(reverse("ballots:tally_sheet", args=[ballot.pk])).status_code == 200
    tally = client.get(reverse("api:ballots-ballot-tally", args=[ballot.pk]))
    assert tally.status_code == 200 and tally.json()["matters"][0]["passed"] is True

"""Synthetic owners' ballots of a community for benchmarks (``shuren seed-scale --activity``).

About ``BALLOTS_PER_YEAR`` closed ballots a year for 8,000 residents (in proportion to the
residents), each of one stairwell unit (installing a lift: a major matter, Civil Code art. 278
item 7) or one building (spending the maintenance fund, item 6; renewing the property manager's
contract, item 4), with one or two matters. The electorate is frozen from the registry exactly as
``electorate.freeze_electorate`` freezes it (``plan_electorate`` groups the dwellings and their
owners into voters); most voters vote (online by one of their owners, or on paper entered by
staff), and every matter is counted with ``tally.tally``, so that ``Matter.result`` and
``Matter.passed`` are what closing the ballot would store: some pass, some do not. No audit events.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from shuren.ballots.electorate import PlannedVoter, current_owner_residences, plan_electorate
from shuren.ballots.models import (
    Ballot,
    BallotRule,
    BallotStatus,
    BallotVote,
    Matter,
    VoteChannel,
    VoteChoice,
    Voter,
    VoterDwelling,
    VoterPerson,
)
from shuren.ballots.tally import tally
from shuren.places.models import Area, Building, Dwelling, Unit
from shuren.synthetic.bulk_rows import BulkWriter, utc

HISTORY_DAYS = 730
BALLOTS_PER_YEAR = 2.0  # for 8,000 residents
RESIDENTS = 8_000
DAY = 86400.0
# title ({p} the place), art. 278 item, stairwell unit (else building)
MATTERS = [
    ("{p}加装电梯", 7, True),
    ("{p}使用专项维修资金更换消防设施", 6, False),
    ("{p}续聘物业服务企业", 4, False),
    ("{p}外墙翻新及费用分摊方案", 7, False),
]


@dataclass
class BallotsOutcome:
    counts: Counter[str] = field(default_factory=Counter)


def seed_ballots(
    community: Area, *, staff: list[int], residents: int, rng: random.Random, now: float, writer: BulkWriter
) -> BallotsOutcome:
    """Write the closed ballots of the community's last ``HISTORY_DAYS`` before ``now`` (epoch
    seconds), as many as ``residents`` residents make; ``staff`` are the user ids of its staff."""
    outcome = BallotsOutcome()
    expected = BALLOTS_PER_YEAR * HISTORY_DAYS / 365 * residents / RESIDENTS
    count = int(expected) + (rng.random() < expected - int(expected))
    units = list(
        Unit.objects.filter(building__estate__community=community)
        .order_by("pk")
        .values_list("pk", "building_id", "number")
    )
    if not units or not count:
        return outcome
    rules = {rule.code: rule for rule in BallotRule.objects.filter(is_active=True)}
    tz = timezone.get_current_timezone()
    for _n in range(count):
        unit_id, building_id, unit_number = rng.choice(units)
        building = Building.objects.select_related("estate").get(pk=building_id)
        title, item, by_unit = rng.choice(MATTERS)
        place = f"{building.estate.name}{building.number}" + (unit_number if by_unit else "")
        chosen = (
            Dwelling.objects.filter(unit_id=unit_id)
            if by_unit
            else Dwelling.objects.filter(unit__building_id=building_id)
        )
        dwellings = list(chosen.order_by("unit__number", "floor", "room"))
        if any(d.exclusive_area is None for d in dwellings) or not dwellings:
            continue  # opening would be refused: the double majority by area needs every area
        owners = list(current_owner_residences(chosen).values_list("dwelling_id", "person_id", "person__name"))
        planned = plan_electorate(dwellings, owners)
        opens = now - rng.uniform(30, HISTORY_DAYS - 30) * DAY
        closes = opens + rng.choice([14, 21, 30]) * DAY
        created = opens - rng.uniform(3, 20) * DAY
        closed = closes + rng.uniform(60, 3 * 3600)
        organiser = rng.choice(staff)
        pk = writer.ids(Ballot, block=50)()
        total_area = sum((p.area for p in planned), Decimal("0.00"))
        writer.table(Ballot).add(
            id=pk,
            reference=f"TB{dt.datetime.fromtimestamp(created, tz=tz):%Y}{pk:06d}",  # as services._reference
            title=f"{title.format(p=place)}业主表决"[:120],
            description="根据《民法典》第二百七十八条，由业主共同决定。",
            status=BallotStatus.CLOSED,
            opens_at=utc(opens),
            closes_at=utc(closes),
            created_by_id=organiser,
            electorate_frozen_at=utc(opens),
            total_area=total_area,
            total_owners=len(planned),
            closed_at=utc(closed),
            closed_by_id=organiser,
            area_id=building.grid_id,
            estate_id=building.estate_id,
            building_id=building_id,
            unit_id=unit_id if by_unit else None,
            scope=building.scope,
            created_at=utc(created),
            updated_at=utc(closed),
            version=3,
        )
        voters = _voters(pk, planned, writer)
        matters = [(title.format(p=place), item)]
        if rng.random() < 0.4:
            matters.append((f"{place}业主议事规则（修订）", 1))
        support = rng.uniform(0.55, 0.97)  # how much the owners favour it: some ballots fail
        turnout = rng.uniform(0.6, 0.95)
        for position, (matter_title, civil_item) in enumerate(matters, start=1):
            code = "civil-code-278-major" if civil_item in (6, 7, 8) else "civil-code-278-ordinary"
            rule = rules[code]
            matter = writer.ids(Matter, block=100)()
            votes = _votes(matter, voters, turnout, support, opens, closes, organiser, rng, writer)
            result = tally(
                rule, civil_code_item=civil_item, total_area=total_area, total_owners=len(planned), votes=votes
            )
            writer.table(Matter).add(
                id=matter,
                ballot_id=pk,
                position=position,
                title=matter_title[:200],
                civil_code_item=civil_item,
                rule_id=rule.pk,
                result=json.dumps(result, ensure_ascii=False),
                passed=result["passed"],
            )
            outcome.counts["ballot matters"] += 1
            outcome.counts["ballot votes"] += len(votes)
        outcome.counts["ballots"] += 1
        outcome.counts["voters"] += len(voters)
    return outcome


def _voters(ballot: int, planned: list[PlannedVoter], writer: BulkWriter) -> list[tuple[int, Decimal, list[int]]]:
    """The frozen electorate's rows, as ``freeze_electorate`` writes them; (voter id, area, owners)."""
    table, ids = writer.table(Voter), writer.ids(Voter, block=2000)
    dwellings, dwelling_ids = writer.table(VoterDwelling), writer.ids(VoterDwelling, block=2000)
    people, people_ids = writer.table(VoterPerson), writer.ids(VoterPerson, block=2000)
    voters = []
    for plan in planned:
        pk = ids()
        table.add(
            id=pk,
            ballot_id=ballot,
            key=plan.key,
            is_developer=plan.is_developer,
            owner_unknown=plan.owner_unknown,
            area=plan.area,
            label=plan.label,
        )
        for dwelling in plan.dwellings:
            dwellings.add(
                id=dwelling_ids(), ballot_id=ballot, voter_id=pk, dwelling_id=dwelling.pk, area=dwelling.exclusive_area
            )
        owners = sorted(plan.person_ids)
        for person in owners:
            people.add(id=people_ids(), voter_id=pk, person_id=person)
        voters.append((pk, plan.area, owners))
    return voters


def _votes(
    matter: int,
    voters: list[tuple[int, Decimal, list[int]]],
    turnout: float,
    support: float,
    opens: float,
    closes: float,
    staff: int,
    rng: random.Random,
    writer: BulkWriter,
) -> list[tuple[str, Decimal]]:
    """One vote per voter who took part (online by an owner, or on paper); (choice, area) pairs."""
    table, ids = writer.table(BallotVote), writer.ids(BallotVote, block=5000)
    cast = []
    for number, (voter, area, owners) in enumerate(voters, start=1):
        if rng.random() > turnout:
            continue
        roll = rng.random()
        choice = VoteChoice.AGREE if roll < support else VoteChoice.OPPOSE
        if choice == VoteChoice.OPPOSE and roll > support + (1 - support) * 0.7:
            choice = VoteChoice.ABSTAIN
        online = bool(owners) and rng.random() < 0.6
        table.add(
            id=ids(),
            matter_id=matter,
            voter_id=voter,
            choice=choice,
            channel=VoteChannel.ONLINE if online else VoteChannel.PAPER,
            cast_by_person_id=rng.choice(owners) if online else None,
            recorded_by_id=staff,
            paper_number="" if online else f"{matter}-{number:04d}",
            recorded_at=utc(rng.uniform(opens, closes)),
        )
        cast.append((str(choice), area))
    return cast

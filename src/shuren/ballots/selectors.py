"""Reads of ballots: the console list, turnout while voting is open, the voter roll of the tally
sheet, and the ballots where a resident is an owner."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from shuren.core.errors import OutOfScope
from shuren.core.scoping import visible

from .models import Ballot, BallotVote, Matter, Voter, VoterDwelling
from .tally import exact, percent_text


def visible_ballots(user: Any, action: str = "ballots.view") -> QuerySet[Ballot]:
    return (
        visible(Ballot.objects.all(), user, action)
        .select_related("area", "estate", "building", "unit")
        .annotate(matter_count=Count("matters", distinct=True))
    )


def ballot_for(user: Any, pk: int, action: str = "ballots.view") -> Ballot:
    ballot = (
        visible(Ballot.objects.all(), user, action)
        .select_related("area", "estate", "building", "unit")
        .filter(pk=pk)
        .first()
    )
    if ballot is None:
        raise OutOfScope()
    return ballot


@dataclass
class Turnout:
    matter: Matter
    owners: int
    area: Decimal
    owners_percent: str
    area_percent: str
    online: int
    paper: int


def turnout(ballot: Ballot) -> list[Turnout]:
    """For each matter: how many owners (and how much area) have voted so far — not how."""
    rows: list[Turnout] = []
    for matter in ballot.matters.select_related("rule").order_by("position"):
        votes = list(matter.votes.values_list("voter__area", "channel"))
        area = sum((a for a, _c in votes), Decimal("0.00"))
        rows.append(
            Turnout(
                matter=matter,
                owners=len(votes),
                area=area,
                owners_percent=percent_text(exact(len(votes)), exact(ballot.total_owners)),
                area_percent=percent_text(exact(area), exact(ballot.total_area)),
                online=sum(1 for _a, c in votes if c == "online"),
                paper=sum(1 for _a, c in votes if c == "paper"),
            )
        )
    return rows


ROOM_ORDER = ("dwelling__unit__building__number", "dwelling__unit__number", "dwelling__floor", "dwelling__room")


def voter_dwellings(ballot: Ballot) -> QuerySet[VoterDwelling]:
    """The dwellings of the ballot's voters with their building, in building/unit/room order.

    Selected by the ballot, not by a list of voter ids (as prefetch_related would): a query must not
    grow with the electorate (SQLite refuses an IN list of a few thousand ids as too deep)."""
    return (
        VoterDwelling.objects.filter(ballot=ballot)
        .select_related("dwelling__unit__building__estate")
        .order_by(*ROOM_ORDER, "pk")
    )


def unknown_owner_dwellings(ballot: Ballot) -> QuerySet[VoterDwelling]:
    """Dwellings whose owner the registry does not name (each its own voter, paper ballot only)."""
    return voter_dwellings(ballot).filter(voter__owner_unknown=True)


def voter_roll(ballot: Ballot) -> list[tuple[Voter, list[VoterDwelling], list[BallotVote]]]:
    """Every voter with their dwellings and votes, in building/unit/room order; three queries
    whatever the size of the electorate."""
    dwellings: dict[int, list[VoterDwelling]] = defaultdict(list)
    for row in voter_dwellings(ballot):
        dwellings[row.voter_id].append(row)
    votes: dict[int, list[BallotVote]] = defaultdict(list)
    for vote in BallotVote.objects.filter(matter__ballot=ballot).select_related("recorded_by", "cast_by_person"):
        votes[vote.voter_id].append(vote)
    return [
        (voter, dwellings[voter.pk], votes[voter.pk]) for voter in ballot.voters.all().order_by("is_developer", "key")
    ]


def roll_rows(ballot: Ballot, matters: list[Matter]) -> list[dict[str, Any]]:
    """The roll as rows: voter, rooms, area and, per matter, the vote (or None)."""
    rows = []
    for voter, dwellings, votes in voter_roll(ballot):
        by_matter = {v.matter_id: v for v in votes}
        rows.append(
            {
                "voter": voter,
                "rooms": "、".join(
                    f"{d.dwelling.unit.building.number}{d.dwelling.unit.number}{d.dwelling.room}" for d in dwellings
                ),
                "votes": [by_matter.get(m.pk) for m in matters],
            }
        )
    return rows


def find_voters(ballot: Ballot, *, building: str = "", unit: str = "", room: str = "") -> QuerySet[Voter]:
    """Voters whose dwellings match the building, unit and room typed by staff (paper entry)."""
    voters = ballot.voters.all()
    if building:
        voters = voters.filter(dwellings__dwelling__unit__building__number__icontains=building.strip())
    if unit:
        voters = voters.filter(dwellings__dwelling__unit__number__icontains=unit.strip())
    if room:
        voters = voters.filter(dwellings__dwelling__room__iexact=room.strip())
    return voters.distinct().prefetch_related("dwellings__dwelling__unit__building")


def ballots_of_owner(user: Any) -> QuerySet[Ballot]:
    """Ballots (open or counted) in which the user's person is among a voter's owners."""
    person = getattr(user, "person", None)
    if person is None:
        return Ballot.objects.none()
    return (
        Ballot.objects.filter(voters__owners__person=person, status__in=("open", "closed"))
        .select_related("area", "estate", "building", "unit")
        .distinct()
        .order_by("-opens_at")
    )

"""Reads of ballots: the console list, turnout while voting is open, the voter roll of the tally
sheet, and the ballots where a resident is an owner."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from shuren.conventions.models import Convention, ConventionVersion
from shuren.core.errors import OutOfScope
from shuren.core.scoping import has_action, visible

from .models import Ballot, BallotRule, BallotStatus, BallotVote, Matter, Voter, VoterDwelling
from .tally import MAJOR_ITEMS, describe_all, exact, percent_text, tally


def visible_ballots(user: Any, action: str = "ballots.view") -> QuerySet[Ballot]:
    return (
        visible(Ballot.objects.all(), user, action)
        .select_related("area", "estate", "building", "unit")
        .annotate(matter_count=Count("matters", distinct=True))
    )


def filter_ballots(ballots: QuerySet[Ballot], *, status: str = "") -> QuerySet[Ballot]:
    """``ballots`` of one status (the console's list and the API's ``?status=``); any status when empty."""
    if status:
        ballots = ballots.filter(status=status)
    return ballots


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


def voters_of_user(user: Any, ballot: Ballot) -> list[Voter]:
    """The voters of ``ballot`` for which ``user``'s person is a registered owner."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []
    return list(ballot.voters.filter(owners__person=person).prefetch_related("dwellings__dwelling"))


def matters_in_order(ballot: Ballot) -> QuerySet[Matter]:
    return ballot.matters.select_related("rule", "convention_version").order_by("position")


def count_matter(matter: Matter) -> dict[str, Any]:
    """The tally of one matter from the votes recorded so far."""
    ballot = matter.ballot
    votes = matter.votes.values_list("choice", "voter__area")
    return tally(
        matter.rule,
        civil_code_item=matter.civil_code_item,
        total_area=ballot.total_area,
        total_owners=ballot.total_owners,
        votes=list(votes),
    )


def default_rule(civil_code_item: int | None) -> BallotRule:
    """The rule of art. 278 for an item: 6-8 are major matters, every other item ordinary."""
    code = "civil-code-278-major" if civil_code_item in MAJOR_ITEMS else "civil-code-278-ordinary"
    return BallotRule.objects.get(code=code)


def tally_sheet(ballot: Ballot) -> dict[str, Any]:
    """What the tally sheet shows (page and export): the matters, each one's result (counted so far
    while voting is open) with the lines of its arithmetic, and the voter roll."""
    matters = list(matters_in_order(ballot))
    results = []
    for matter in matters:
        result = matter.result if ballot.status == BallotStatus.CLOSED else count_matter(matter)
        results.append({"matter": matter, "result": result, "lines": describe_all(result)})
    return {"ballot": ballot, "matters": matters, "results": results, "rows": roll_rows(ballot, matters)}


def matters_of(ballot: Ballot) -> QuerySet[Matter]:
    """The ballot's matters (look one up with ``.get(pk=...)`` or get_object_or_404)."""
    return Matter.objects.filter(ballot=ballot)


def voter_on(ballot: Ballot, pk: Any) -> Voter | None:
    """Voter ``pk`` of the ballot's electorate with their dwellings, or None."""
    if not str(pk).isdigit():
        return None
    return ballot.voters.filter(pk=int(pk)).prefetch_related("dwellings__dwelling__unit__building").first()


def electorate(ballot: Ballot) -> QuerySet[Voter]:
    return ballot.voters.all()


def developer_of(ballot: Ballot) -> Voter | None:
    """The developer's voter (the dwellings nobody has bought), if any."""
    return ballot.voters.filter(is_developer=True).first()


def votes_of(voter: Voter) -> dict[int, BallotVote]:
    """The voter's votes by matter, with who recorded and who cast them."""
    return {v.matter_id: v for v in voter.votes.select_related("recorded_by", "cast_by_person")}


def rules() -> QuerySet[BallotRule]:
    """Every rule, the ones in use first (the configuration page)."""
    return BallotRule.objects.order_by("-is_active", "code")


def active_rules() -> QuerySet[BallotRule]:
    return BallotRule.objects.filter(is_active=True)


def undecided_convention_versions(user: Any) -> QuerySet[ConventionVersion]:
    """Convention versions ``user`` may see that a ballot could still decide (draft or in discussion)."""
    return ConventionVersion.objects.filter(
        convention__in=visible(Convention.objects.all(), user, "conventions.view"),
        status__in=("draft", "in_discussion"),
    ).select_related("convention")


def ballot_with_places(ballot: Ballot) -> Ballot:
    """The ballot fresh from the database with its places (the API's answer after a change)."""
    return Ballot.objects.select_related("area", "estate", "building", "unit").get(pk=ballot.pk)


def ballots_awaiting_my_vote(user: Any, *, at: dt.datetime | None = None) -> QuerySet[Ballot]:
    """Ballots where voting is on now and the user (holding ``ballots.vote``) owns a voter that has
    not yet voted on every matter — what the resident's home page asks them to do. The ballot's
    place needs no check of its own: being on its frozen roll is what lets an owner vote. Closing
    soonest first, one query."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None or not has_action(user, "ballots.vote"):
        return Ballot.objects.none()
    at = at or timezone.now()
    matters = (
        Matter.objects.filter(ballot=OuterRef("ballot")).order_by().values("ballot").annotate(n=Count("pk")).values("n")
    )
    short = (
        Voter.objects.filter(ballot=OuterRef("pk"), owners__person=person)
        .annotate(cast=Count("votes", distinct=True), matters=Subquery(matters))
        .filter(cast__lt=F("matters"))
    )
    return (
        Ballot.objects.filter(status=BallotStatus.OPEN, closes_at__gt=at)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=at))
        .filter(Exists(short))
        .order_by("closes_at", "pk")
    )

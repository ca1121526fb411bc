"""Who votes in a ballot: the owners of its place, frozen from the registry when voting opens.

The rules of the Supreme People's Court interpretation on building co-ownership (最高人民法院关于审理
建筑物区分所有权纠纷案件适用法律若干问题的解释), art. 8 and 9:

* the area is each dwelling's exclusive area, summed per owner;
* co-owners of one dwelling count as one owner, and one owner of several dwellings counts once —
  so dwellings connected through shared owners (A and B own 101, B also owns 102) form one voter;
* the developer's unsold or undelivered dwellings (``Dwelling.held_by_developer``) count as one
  owner together, whatever the registry lists for them;
* a dwelling with no owner registered is its own voter, flagged ``owner_unknown`` for staff.

Opening is refused while any dwelling of the place has no exclusive area: the double majority by
area cannot be counted without it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.core.masking import mask_name
from shuren.people.models import Residence, ResidenceRelation
from shuren.places.models import Dwelling

from .models import Ballot, Voter, VoterDwelling, VoterPerson

DEVELOPER_KEY = "developer"


def place_dwellings(ballot: Ballot) -> QuerySet[Dwelling]:
    """The dwellings of the ballot's place: its stairwell unit, its building or its whole estate."""
    dwellings = Dwelling.objects.select_related("unit__building__estate")
    if ballot.unit_id:
        return dwellings.filter(unit_id=ballot.unit_id)
    if ballot.building_id:
        return dwellings.filter(unit__building_id=ballot.building_id)
    if ballot.estate_id:
        return dwellings.filter(unit__building__estate_id=ballot.estate_id)
    return dwellings.none()


def current_owner_residences(dwellings: QuerySet[Dwelling]) -> QuerySet[Residence]:
    """Registry rows naming the current owners of ``dwellings`` (no end date, or one still ahead).

    ``dwellings`` is a queryset, joined as a subquery: a list of thousands of ids would make a query
    that grows with the estate (SQLite refuses one past its expression depth)."""
    today = timezone.localdate()
    return Residence.objects.filter(
        dwelling__in=dwellings,
        relation=ResidenceRelation.OWNER,
    ).filter(Q(to_on__isnull=True) | Q(to_on__gte=today), Q(from_on__isnull=True) | Q(from_on__lte=today))


def area_of(dwelling: Dwelling) -> Decimal:
    """A planned dwelling's exclusive area: only dwellings with one enter an electorate."""
    assert dwelling.exclusive_area is not None
    return dwelling.exclusive_area


@dataclass
class PlannedVoter:
    key: str
    dwellings: list[Dwelling]
    person_ids: set[int] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    is_developer: bool = False
    owner_unknown: bool = False

    @property
    def area(self) -> Decimal:
        return sum((area_of(d) for d in self.dwellings), Decimal("0.00"))

    @property
    def label(self) -> str:
        if self.is_developer:
            return _("Developer (unsold or undelivered dwellings)")
        if self.owner_unknown:
            return _("Owner not registered")
        return "、".join(mask_name(name) for name in self.names)[:200]


def missing_areas(dwellings: list[Dwelling]) -> list[Dwelling]:
    return [d for d in dwellings if d.exclusive_area is None]


def plan_electorate(dwellings: list[Dwelling], owners: list[tuple[int, int, str]]) -> list[PlannedVoter]:
    """Group ``dwellings`` into voters. ``owners`` are (dwelling id, person id, person name) rows.

    Union-find over dwellings: two dwellings join when one person owns both; every dwelling owned by
    the developer joins the developer's voter. Pure: no database access.
    """
    parent: dict[int, int] = {d.pk: d.pk for d in dwellings}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    developer = {d.pk for d in dwellings if d.held_by_developer}
    by_person: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    owned: set[int] = set()
    for dwelling_id, person_id, name in owners:
        if dwelling_id in developer or dwelling_id not in parent:
            continue  # the developer votes for these, whoever the registry lists
        by_person[person_id].append(dwelling_id)
        names[person_id] = name
        owned.add(dwelling_id)
    for dwelling_ids in by_person.values():
        for other in dwelling_ids[1:]:
            union(dwelling_ids[0], other)

    groups: dict[int, list[Dwelling]] = defaultdict(list)
    for d in dwellings:
        if d.pk not in developer:
            groups[find(d.pk)].append(d)
    # Every person's dwellings share one root: the person belongs to that root's voter.
    people_of: dict[int, list[int]] = defaultdict(list)
    for person_id, dwelling_ids in sorted(by_person.items(), key=lambda item: names[item[0]]):
        people_of[find(dwelling_ids[0])].append(person_id)
    voters: list[PlannedVoter] = []
    for root, members in sorted(groups.items()):
        voter = PlannedVoter(key=f"dw-{root}", dwellings=members, owner_unknown=root not in owned)
        for person_id in people_of.get(root, []):
            voter.person_ids.add(person_id)
            voter.names.append(names[person_id])
        voters.append(voter)
    held = [d for d in dwellings if d.pk in developer]
    if held:
        voters.append(PlannedVoter(key=DEVELOPER_KEY, dwellings=held, is_developer=True))
    return voters


def freeze_electorate(ballot: Ballot) -> list[Voter]:
    """Write the ballot's voters, their dwellings and owners; set the totals on ``ballot`` (not saved).

    Raises ValidationError when the place has no dwellings or any dwelling lacks its exclusive area.
    """
    place = place_dwellings(ballot)
    dwellings = list(place.order_by("unit__building__number", "unit__number", "floor", "room"))
    if not dwellings:
        raise ValidationError(_("The place of this ballot has no dwellings in the registry."))
    lacking = missing_areas(dwellings)
    if lacking:
        raise ValidationError(
            _("Record the exclusive area of these dwellings before voting opens: %(rooms)s")
            % {"rooms": "、".join(d.address for d in lacking)},
            code="missing_area",
        )
    owners = list(current_owner_residences(place).values_list("dwelling_id", "person_id", "person__name"))
    planned = plan_electorate(dwellings, owners)
    Voter.objects.filter(ballot=ballot).delete()
    made = Voter.objects.bulk_create(
        [
            Voter(
                ballot=ballot,
                key=plan.key,
                is_developer=plan.is_developer,
                owner_unknown=plan.owner_unknown,
                area=plan.area,
                label=plan.label,
            )
            for plan in planned
        ],
        batch_size=500,
    )
    VoterDwelling.objects.bulk_create(
        [
            VoterDwelling(ballot=ballot, voter=voter, dwelling=d, area=area_of(d))
            for voter, plan in zip(made, planned, strict=True)
            for d in plan.dwellings
        ],
        batch_size=1000,
    )
    VoterPerson.objects.bulk_create(
        [
            VoterPerson(voter=voter, person_id=pid)
            for voter, plan in zip(made, planned, strict=True)
            for pid in sorted(plan.person_ids)
        ],
        batch_size=1000,
    )
    ballot.total_area = sum((p.area for p in planned), Decimal("0.00"))
    ballot.total_owners = len(planned)
    ballot.electorate_frozen_at = timezone.now()
    return made


@dataclass
class ElectoratePreview:
    """What opening would produce, for the draft page: counts, totals and the warnings."""

    dwellings: int
    voters: int
    area: Decimal
    missing_area: list[Dwelling]
    owner_unknown: list[PlannedVoter]
    developer: PlannedVoter | None


def preview_electorate(ballot: Ballot) -> ElectoratePreview:
    place = place_dwellings(ballot)
    dwellings = list(place)
    lacking = missing_areas(dwellings)
    usable = [d for d in dwellings if d.exclusive_area is not None]
    owners = list(
        current_owner_residences(place.filter(exclusive_area__isnull=False)).values_list(
            "dwelling_id", "person_id", "person__name"
        )
    )
    planned = plan_electorate(usable, owners)
    return ElectoratePreview(
        dwellings=len(dwellings),
        voters=len(planned),
        area=sum((p.area for p in planned), Decimal("0.00")),
        missing_area=lacking,
        owner_unknown=[p for p in planned if p.owner_unknown],
        developer=next((p for p in planned if p.is_developer), None),
    )

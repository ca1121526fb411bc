"""Demo ballots in 富丰新城 (大新社区), after the seed reports on lifts in old buildings:

* 3座 (no lift, built 2003): the owners of 1单元 vote on installing a lift — a major matter of
  art. 278 (item 7) — and on sharing the running costs by floor (ordinary). The registry gets owners
  for the unit: one flat co-owned by a couple, one owner with two flats, two flats still held by the
  developer, three with no owner registered. Voting is open, with votes online and on paper; the
  demo resident 林小梅 owns 3座1单元1203 and can vote herself at /my/ballots/.
* The whole estate voted on renewing the property manager's contract (ordinary, item 4): closed,
  with its result and tally sheet.

Re-running is safe: each ballot is found by its title and estate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.core.workdays import WorkingCalendar
from shuren.people.models import Person, Residence, ResidenceRelation, ResidenceStatus
from shuren.places.models import Building, Dwelling, Unit

from . import services
from .models import Ballot, BallotStatus, BallotVote, VoteChannel

LIFT_TITLE = "3座1单元加装电梯表决"
RENEWAL_TITLE = "续聘物业服务企业表决"
SURNAMES = "陈李张黄何林梁吴刘罗郑谢冯邓曾彭苏潘钟卢"
GIVEN = ["志明", "美玲", "国华", "丽萍", "建新", "惠芳", "永康", "秀英", "家豪", "婉婷", "伟强", "淑贞"]
DEVELOPER_ROOMS = {"1404", "1405"}  # unsold top-floor flats
UNKNOWN_ROOMS = {"603", "905", "1302"}  # owners not yet in the registry
LIFT_OWNERS = [("lift_owner_chen", "陈志明"), ("lift_owner_li", "李美玲"), ("lift_owner_zhang", "张国华")]


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]


def _owner(community: Any, dwelling: Dwelling, name: str, *, user: User | None = None) -> Person:
    person = Person.objects.filter(community=community, name=name).first()
    if person is None:
        person = Person(community=community, name=name, scope=dwelling.scope)
    if user is not None and person.user_id is None and not Person.objects.filter(user=user).exists():
        person.user = user
    person.save()
    Residence.objects.get_or_create(
        person=person,
        dwelling=dwelling,
        relation=ResidenceRelation.OWNER,
        defaults={"status": ResidenceStatus.PERMANENT},
    )
    return person


def _owner_account(username: str, full_name: str, grid: Any) -> User:
    from shuren.accounts.demo import DEMO_PASSWORD

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    if not RoleGrant.objects.active().filter(user=user, role=Role.RESIDENT).exists():
        RoleGrant.objects.create(user=user, role=Role.RESIDENT, area=grid)
    return user


def _register_unit_owners(context: Any, unit: Unit) -> dict[str, User]:
    community = unit.building.estate.community
    dwellings = {d.room: d for d in Dwelling.objects.filter(unit=unit)}
    Dwelling.objects.filter(unit=unit, room__in=DEVELOPER_ROOMS).update(held_by_developer=True)
    accounts = {username: _owner_account(username, name, unit.building.grid) for username, name in LIFT_OWNERS}
    # 陈志明 and his wife 黄丽萍 co-own 201; 李美玲 owns 302 and 303; 张国华 owns 401.
    _owner(community, dwellings["201"], "陈志明", user=accounts["lift_owner_chen"])
    _owner(community, dwellings["201"], "黄丽萍")
    _owner(community, dwellings["302"], "李美玲", user=accounts["lift_owner_li"])
    _owner(community, dwellings["303"], "李美玲")
    _owner(community, dwellings["401"], "张国华", user=accounts["lift_owner_zhang"])
    resident = context.users.get("resident")
    if resident is not None:
        _owner(community, dwellings["1203"], "林小梅", user=resident)
    special = {"201", "302", "303", "401", "1203"} | DEVELOPER_ROOMS | UNKNOWN_ROOMS
    taken = {"陈志明", "黄丽萍", "李美玲", "张国华", "林小梅"}
    names = (name for name in map(_name, range(240)) if name not in taken)
    for room in sorted(dwellings, key=lambda r: (len(r), r)):
        if room not in special:
            _owner(community, dwellings[room], next(names))
    return accounts


def _lift_ballot(context: Any, estate: Any, staff: User) -> None:
    building = Building.objects.get(estate=estate, number="3座")
    unit = Unit.objects.get(building=building, number="1单元")
    accounts = _register_unit_owners(context, unit)
    ballot = services.create_ballot(
        actor=staff,
        title=LIFT_TITLE,
        description=(
            "根据《佛山市既有住宅增设电梯指导意见》，3座1单元业主申请加装电梯一部。"
            "方案与费用分摊表已在单元大堂公示15日。请业主在截止时间前网上投票或交回纸质表决票。"
        ),
        unit=unit,
        closes_at=timezone.now() + dt.timedelta(days=12),
    )
    lift = services.add_matter(
        actor=staff,
        ballot=ballot,
        title="是否同意在3座1单元加装电梯",
        description="电梯由业主出资加装，总造价约68万元，按楼层系数分摊；一楼业主不分摊。",
        civil_code_item=7,
    )
    costs = services.add_matter(
        actor=staff,
        ballot=ballot,
        title="电梯日常运行维护费按楼层系数分摊",
        description="运行维护费每年约1.2万元，由二楼以上业主按楼层系数分摊。",
        civil_code_item=9,
    )
    ballot = services.open_ballot(actor=staff, ballot=ballot, version=ballot.version)
    voters = {v.key: v for v in ballot.voters.all()}

    def voter_of(room: str) -> Any:
        return ballot.voters.get(dwellings__dwelling__unit=unit, dwellings__dwelling__room=room)

    for username, room, choices in (
        ("lift_owner_chen", "201", ("agree", "agree")),
        ("lift_owner_li", "302", ("agree", "abstain")),
        ("lift_owner_zhang", "401", ("oppose", "oppose")),
    ):
        for matter, choice in zip((lift, costs), choices, strict=True):
            services.cast_vote(actor=accounts[username], matter=matter, voter=voter_of(room), choice=choice)
    # Paper ballots collected door to door by the building leader, entered by staff.
    number = 0
    for voter in sorted(voters.values(), key=lambda v: v.key):
        if voter.votes.exists() or voter.owner_unknown or number >= 36:
            continue
        rooms = {d.dwelling.room for d in voter.dwellings.select_related("dwelling")}
        if "1203" in rooms:
            continue  # 林小梅 votes herself in the demo
        number += 1
        low = any(len(r) == 3 and r[0] in "12" for r in rooms)  # ground and first floors gain least
        choice = "oppose" if low and number % 2 else "agree"
        for matter in (lift, costs):
            services.record_paper_vote(
                actor=staff, matter=matter, voter=voter, choice=choice, paper_number=f"3-1-{number:03d}"
            )


def renewal_terms(today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """The property-service contract the owners vote to renew: it runs out at the end of the month
    after next (the vote comes first), and the new term lasts three years from the day after."""
    ends = (today.replace(day=1) + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
    starts = ends + dt.timedelta(days=1)
    return ends, starts, starts.replace(year=starts.year + 3) - dt.timedelta(days=1)


def _renewal_ballot(estate: Any, staff: User) -> None:
    now = timezone.now()
    expires, term_starts, term_ends = renewal_terms(timezone.localdate(now))
    ballot = services.create_ballot(
        actor=staff,
        title=f"{term_starts.year}年{RENEWAL_TITLE}",
        description=(
            f"物业服务合同于{expires.year}年{expires.month}月{expires.day}日到期。"
            "业委会提议续聘现物业服务企业三年，服务标准和收费不变。"
        ),
        area=estate.community,
        estate=estate,
        closes_at=now + dt.timedelta(days=1),
    )
    matter = services.add_matter(
        actor=staff,
        ballot=ballot,
        title=(
            f"是否同意续聘现物业服务企业（{term_starts.year}年{term_starts.month}月"
            f"至{term_ends.year}年{term_ends.month}月）"
        ),
        civil_code_item=4,
    )
    ballot = services.open_ballot(actor=staff, ballot=ballot, version=ballot.version)
    started = now - dt.timedelta(days=20)
    closed = now - dt.timedelta(days=1)
    voters = list(ballot.voters.order_by("key").values_list("pk", "area"))
    # About four in five owners returned a ballot; most agreed. Staff entered the paper ballots in
    # the working hours of the twenty days, one after another.
    calendar = WorkingCalendar()
    returned = [voter for n, voter in enumerate(voters) if n % 5 != 4]
    hours = calendar.working_hours_between(started, closed - dt.timedelta(hours=2))
    step = min(7 / 60, 0.9 * hours / max(len(returned), 1))
    recorded = calendar.add_working_hours(started, step)
    votes = []
    for n, (voter_id, _area) in enumerate(voters):
        if n % 5 == 4:
            continue
        choice = "oppose" if n % 7 == 0 else ("abstain" if n % 11 == 0 else "agree")
        votes.append(
            BallotVote(
                matter=matter,
                voter_id=voter_id,
                choice=choice,
                channel=VoteChannel.PAPER,
                recorded_by=staff,
                paper_number=f"FF-{n + 1:04d}",
                recorded_at=recorded,
            )
        )
        recorded = calendar.add_working_hours(recorded, step)
    BallotVote.objects.bulk_create(votes, batch_size=1000)
    Ballot.objects.filter(pk=ballot.pk).update(opens_at=started, closes_at=closed, electorate_frozen_at=started)
    ballot.refresh_from_db()
    services.close_ballot(actor=staff, ballot=ballot, version=ballot.version)
    Ballot.objects.filter(pk=ballot.pk).update(closed_at=now - dt.timedelta(hours=20))


def load(context: Any) -> None:
    estate = context.extra.get("estates", {}).get("富丰新城")
    staff = context.users.get("community_staff")
    if estate is None or staff is None:
        return
    if not Ballot.objects.filter(estate=estate, title=LIFT_TITLE).exclude(status=BallotStatus.CANCELLED).exists():
        _lift_ballot(context, estate, staff)
    if not Ballot.objects.filter(estate=estate, title__endswith=RENEWAL_TITLE).exists():
        _renewal_ballot(estate, staff)

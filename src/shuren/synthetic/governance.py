"""Synthetic governance lists of a community for benchmarks (``shuren seed-scale --activity``).

Two years of the governance list (治理清单) and small wishes (微心愿), in proportion to the
community's residents (``TASKS_PER_QUARTER`` tasks and ``WISHES_PER_QUARTER`` wishes a quarter for
8,000 residents):

* a list per quarter (e.g. 第01街道第001社区2025年第三季度治理清单) with its tasks, placed at the
  community, a grid or a building, from staff or a patrol, with a priority, a deadline and, for
  some, points of their own;
* wishes of elderly residents (the beneficiary), recorded by staff and listed for claiming;
* claims by party members and volunteers (``claimants``) or by organisations of the community,
  recorded by staff; older items mostly done and verified, recent ones open, claimed (with recent
  progress, so that no active claim is past its lapse time) or reported done; a few cancelled, and
  some claims that lapsed or were released before someone else took the item;
* each item's timeline (created, listed, claimed, progress, lapsed or released, reported done,
  verified, cancelled, a deadline moved) with the version its writes would leave;
* deadlines two weeks to two months out; items older than two months are finished; an unfinished
  item past its deadline has had it moved, except ``OVERDUE_PER_COMMUNITY``, overdue by at most
  ``OVERDUE_DAYS`` days with the reason on its timeline (逾期说明).

Guarantees: at most one active claim per item, a claim by a person or an organisation (never
both), timelines in order and before ``now``, scopes as ``PlacedModel`` computes them, references
as ``services.items.reference_for`` makes them. The verified claims are returned for the points
ledger (``GovernanceOutcome.verified``). No audit events, no signals.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from shuren.governance.models import (
    Claim,
    ClaimStatus,
    GovernanceItem,
    GovernanceList,
    ItemKind,
    ItemSource,
    ItemStatus,
    ItemUpdate,
    Priority,
    UpdateKind,
)
from shuren.people.models import Person
from shuren.places.models import Area, AreaKind, Building, Estate
from shuren.synthetic.bulk_rows import BulkWriter, utc

HISTORY_DAYS = 730
TASKS_PER_QUARTER = 18  # for 8,000 residents
WISHES_PER_QUARTER = 6
RESIDENTS = 8_000
LAPSE_DAYS = 7  # GovernancePolicy's default
DAY = 86400.0

# title ({e} estate, {b} building), where (community, grid, building), points of its own
TASKS = [
    ("{e}{b}楼道杂物清理", "building", 0),
    ("{e}{b}楼道灯更换", "building", 10),
    ("{e}北门路灯维修", "grid", 0),
    ("{e}中心花园补种绿化", "grid", 20),
    ("{e}增设电动车充电桩", "grid", 30),
    ("{e}消防通道标线重新施划", "grid", 10),
    ("{e}{b}外墙瓷砖脱落排查", "building", 20),
    ("社区长者饭堂助餐排班", "community", 0),
    ("{e}垃圾分类投放点改造", "grid", 20),
    ("{e}{b}天台防水修补跟进", "building", 10),
    ("{e}儿童游乐设施检修", "grid", 10),
    ("社区文化广场周末秩序维护", "community", 0),
]
WISHES = [
    "希望有人帮忙更换家里的灯泡",
    "想学会用手机视频通话，和在外地的孩子联系",
    "希望有人陪同去医院复诊",
    "家里的水龙头漏水，希望有人帮忙修理",
    "想要一台收音机听粤剧",
    "希望有人每周上门陪聊一次",
]
PROGRESS = [
    "已联系物业，约定本周内处理",
    "已到现场查看并拍照记录",
    "材料已采购，等待施工",
    "已完成一半，剩余部分下周完成",
]
DONE = ["已处理完毕，现场照片见附件", "已完成，居民表示满意", "已按要求整改到位"]
VERIFIED = ["现场核实已完成", "经回访居民确认已解决", ""]
CANCELLED = ["已由物业纳入年度维修计划统一处理", "与其他事项重复，合并处理"]
OVERDUE_PER_COMMUNITY = 1  # unfinished items past their deadline: recently, and saying why
OVERDUE_DAYS = 10
OVERDUE_REASONS = [
    "逾期说明：所需材料厂家延迟发货，预计下周到货后完成",
    "逾期说明：连续降雨无法施工，天晴后立即安排",
    "逾期说明：需业主委员会表决同意后施工，表决进行中",
]
UNFINISHED = (ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.SUBMITTED)


@dataclass(frozen=True)
class VerifiedClaim:
    """A verified item and the claim that did it, as the points ledger credits it."""

    item_id: int
    claim_id: int
    person_id: int | None
    organization_id: int | None
    points: int  # the item's own points; 0: the rule's
    verified_at: float
    title: str


@dataclass
class GovernanceOutcome:
    verified: list[VerifiedClaim] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class _Place:
    area_id: int
    estate_id: int | None
    building_id: int | None
    scope: str
    estate_name: str
    building_number: str


def seed_governance(
    community: Area,
    *,
    staff: list[int],
    claimants: dict[int, str],
    organizations: dict[int, str],
    rng: random.Random,
    now: float,
    writer: BulkWriter,
) -> GovernanceOutcome:
    """Write the community's governance lists, items, claims and timelines of the ``HISTORY_DAYS``
    before ``now`` (epoch seconds). ``claimants`` are the people who may hold a claim (party
    members, volunteers: id -> name), ``organizations`` the organisations that may (id -> name),
    ``staff`` the user ids of the community's staff. The same ``rng`` gives the same rows."""
    return _Governance(community, staff, claimants, organizations, rng, now, writer).run()


class _Governance:
    def __init__(
        self,
        community: Area,
        staff: list[int],
        claimants: dict[int, str],
        organizations: dict[int, str],
        rng: random.Random,
        now: float,
        writer: BulkWriter,
    ) -> None:
        self.community, self.staff, self.rng, self.now, self.writer = community, staff, rng, now, writer
        self.claimants = sorted(claimants.items())
        self.organizations = sorted(organizations.items())
        self.tz = timezone.get_current_timezone()
        self.outcome = GovernanceOutcome()
        self.grids = dict(Area.objects.filter(parent=community, kind=AreaKind.GRID).values_list("path", "pk"))
        estates = dict(Estate.objects.filter(community=community).values_list("pk", "name"))
        self.buildings = [
            _Place(grid, estate, pk, scope, estates[estate], number)
            for pk, estate, grid, scope, number in Building.objects.filter(estate__community=community)
            .order_by("pk")
            .values_list("pk", "estate_id", "grid_id", "scope", "number")
        ]
        # In proportion to the community's population where it is known (the demo district's
        # communities are scaled down in residents, not in their staff's work), else its residents;
        # a community twice the reference size or larger does not make more.
        residents = community.population or Person.objects.filter(community=community).count()
        self.factor = min(residents, 2 * RESIDENTS) / RESIDENTS
        today = self.today = dt.datetime.fromtimestamp(now, tz=self.tz).date()
        self.overdue_left = OVERDUE_PER_COMMUNITY
        elderly_born = today.replace(year=today.year - 70)
        self.elders = list(
            Person.objects.filter(community=community, birth_date__lte=elderly_born)
            .order_by("pk")
            .values_list("pk", "scope")
        )

    def run(self) -> GovernanceOutcome:
        if not self.buildings or not (self.claimants or self.organizations):
            return self.outcome
        start = dt.datetime.fromtimestamp(self.now - HISTORY_DAYS * DAY, tz=self.tz).date()
        quarter = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        today = dt.datetime.fromtimestamp(self.now, tz=self.tz).date()
        while quarter <= today:
            following = dt.date(quarter.year + (quarter.month == 10), (quarter.month + 2) % 12 + 1, 1)
            begin = max(self.now - HISTORY_DAYS * DAY, self._midnight(quarter))
            end = min(self.now - 3600, self._midnight(following))
            self._quarter(quarter, following, begin, end)
            quarter = following
        return self.outcome

    def _midnight(self, day: dt.date) -> float:
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.tz).timestamp()

    def _count(self, per_quarter: float, share: float) -> int:
        expected = per_quarter * self.factor * share
        return int(expected) + (self.rng.random() < expected - int(expected))

    def _quarter(self, quarter: dt.date, following: dt.date, begin: float, end: float) -> None:
        rng, writer = self.rng, self.writer
        if end <= begin:
            return
        share = (end - begin) / (self._midnight(following) - self._midnight(quarter))
        number = (quarter.month - 1) // 3 + 1
        made = utc(max(begin, self._midnight(quarter) - rng.uniform(1, 5) * DAY) - DAY)
        batch = writer.ids(GovernanceList, block=100)()
        writer.table(GovernanceList).add(
            id=batch,
            community_id=self.community.pk,
            scope=self.community.path,
            title=f"{self.community.name}{quarter.year}年第{'一二三四'[number - 1]}季度治理清单",
            period_start=quarter,
            period_end=following - dt.timedelta(days=1),
            created_by_id=rng.choice(self.staff),
            created_at=made,
            updated_at=made,
        )
        self.outcome.counts["governance lists"] += 1
        current = end >= self.now - 2 * 3600
        for n in range(max(self._count(TASKS_PER_QUARTER, share), 1 if current else 0)):
            title, level, points = rng.choice(TASKS)
            place = self._place(level)
            fresh = current and n == 0  # the current list always has a task just put on it, waiting for a claim
            self._item(
                ItemKind.TASK,
                title.format(e=place.estate_name, b=place.building_number),
                place,
                max(begin, self.now - rng.uniform(1, 10) * DAY) if fresh else rng.uniform(begin, end),
                points=points,
                batch=batch,
                status=ItemStatus.OPEN if fresh else None,
            )
        for _ in range(self._count(WISHES_PER_QUARTER, share)):
            if not self.elders:
                break
            person, scope = rng.choice(self.elders)
            grid = self.grids.get(scope)
            place = _Place(grid, None, None, scope, "", "") if grid else self._place("community")
            self._item(ItemKind.WISH, rng.choice(WISHES), place, rng.uniform(begin, end), beneficiary=person)

    def _place(self, level: str) -> _Place:
        rng = self.rng
        building = rng.choice(self.buildings)
        if level == "building":
            return building
        if level == "grid":
            grid_path = next(path for path, pk in self.grids.items() if pk == building.area_id)
            return _Place(building.area_id, building.estate_id, None, grid_path, building.estate_name, "")
        return _Place(self.community.pk, None, None, self.community.path, building.estate_name, "")

    def _status(self, age_days: float) -> str:
        """Older items are finished (done, or cancelled with a reason); the last two months' are
        still being worked on."""
        roll = self.rng.random()
        if age_days > 60:
            table = [(ItemStatus.DONE, 0.93), (ItemStatus.CANCELLED, 0.07)]
        elif age_days > 14:
            table = [(ItemStatus.DONE, 0.55), (ItemStatus.CLAIMED, 0.2), (ItemStatus.SUBMITTED, 0.1)]
            table += [(ItemStatus.OPEN, 0.08), (ItemStatus.CANCELLED, 0.07)]
        else:
            table = [(ItemStatus.OPEN, 0.5), (ItemStatus.CLAIMED, 0.35), (ItemStatus.SUBMITTED, 0.05)]
            table += [(ItemStatus.DONE, 0.1)]
        for status, weight in table:
            if roll < weight:
                return status
            roll -= weight
        return table[0][0]

    def _deadline(
        self, created: float, status: str, updates: list[tuple[float, str, str, int | None, int | None]]
    ) -> dt.date:
        """The item's deadline: two weeks to two months after it was created. An unfinished item
        past it has had its deadline moved (an edit on its timeline, a few days before it ran
        out), except ``OVERDUE_PER_COMMUNITY`` of them, overdue by a few days with the reason on
        their timeline."""
        rng = self.rng
        local_created = dt.datetime.fromtimestamp(created, tz=self.tz)
        due = (local_created + dt.timedelta(days=rng.randint(14, 60))).date()
        if status not in UNFINISHED or due >= self.today:
            return due
        if self.overdue_left and (self.today - due).days <= OVERDUE_DAYS:
            self.overdue_left -= 1
            at = min(self.now - 60, self._midnight(self.today) - rng.uniform(0.5, 2) * DAY + 12 * 3600)
            updates.append((max(at, updates[-1][0] + 60), UpdateKind.NOTE, rng.choice(OVERDUE_REASONS), None, None))
            return due
        moved = self.today + dt.timedelta(days=rng.randint(5, 30))
        at = min(self.now - 120, max(created + 3600, self._midnight(due) - rng.uniform(1, 5) * DAY + 10 * 3600))
        updates.append((at, UpdateKind.EDITED, "due_on", None, None))  # as services.items.edit_item writes it
        updates.sort(key=lambda update: update[0])
        return moved

    def _holder(self) -> tuple[int | None, int | None, str]:
        rng = self.rng
        if self.organizations and (not self.claimants or rng.random() < 0.25):
            pk, name = rng.choice(self.organizations)
            return None, pk, name
        pk, name = rng.choice(self.claimants)
        return pk, None, name

    def _item(
        self,
        kind: str,
        title: str,
        place: _Place,
        created: float,
        *,
        points: int = 0,
        batch: int | None = None,
        beneficiary: int | None = None,
        status: str | None = None,
    ) -> None:
        rng, writer, now, counts = self.rng, self.writer, self.now, self.outcome.counts
        self._active_claim, self._reason = None, ""
        status = status or self._status((now - created) / DAY)
        pk = writer.ids(GovernanceItem, block=500)()
        staff = rng.choice(self.staff)
        updates: list[tuple[float, str, str, int | None, int | None]] = []  # (at, kind, text, claim, points)
        claims = writer.table(Claim)
        source = ItemSource.STAFF if kind == ItemKind.WISH or rng.random() < 0.6 else ItemSource.PATROL
        updates.append((created, UpdateKind.CREATED, str(ItemSource(source).label), None, None))
        t = created
        if kind == ItemKind.WISH:
            t = min(t + rng.uniform(0.1, 3) * DAY, now - 600)
            updates.append((t, UpdateKind.LISTED, "", None, None))
        item_points = points if kind == ItemKind.TASK else rng.choice([0, 10])
        verified_at = None
        verified_by = None
        if status in (ItemStatus.CLAIMED, ItemStatus.SUBMITTED, ItemStatus.DONE) or (
            status == ItemStatus.CANCELLED and rng.random() < 0.5
        ):
            span = now - 60 - t  # everything below happens before now
            if rng.random() < 0.1 and span > 12 * DAY:  # someone claimed it first and let it go
                first = t + span * rng.uniform(0.02, 0.2)
                person, org, name = self._holder()
                lapsed = rng.random() < 0.6
                ended = first + LAPSE_DAYS * DAY if lapsed else first + rng.uniform(1, 5) * DAY
                claim = writer.ids(Claim, block=500)()
                claims.add(
                    id=claim,
                    item_id=pk,
                    person_id=person,
                    organization_id=org,
                    claimed_by_id=staff,
                    status=ClaimStatus.LAPSED if lapsed else ClaimStatus.RELEASED,
                    last_progress_at=utc(first),
                    lapses_at=utc(first + LAPSE_DAYS * DAY),
                    ended_at=utc(ended),
                    end_reason=gettext("No progress reported in time.")[:200] if lapsed else "",
                    created_at=utc(first),
                    updated_at=utc(first),
                )
                updates.append((first, UpdateKind.CLAIMED, name, claim, None))
                updates.append((ended, UpdateKind.LAPSED if lapsed else UpdateKind.RELEASED, name, claim, None))
                t = ended
                counts["claims"] += 1
            t = self._claim(pk, status, t, staff, item_points, updates, title)
            if status == ItemStatus.DONE:
                verified_at, verified_by = updates[-1][0], staff
        if status == ItemStatus.CANCELLED:  # with the claim withdrawn at the same moment, if one held it
            at = t if self._active_claim else min(now - 60, t + rng.uniform(1, 30) * DAY)
            updates.append((at, UpdateKind.CANCELLED, self._reason or rng.choice(CANCELLED), self._active_claim, None))
        due = self._deadline(created, status, updates)
        writer_updates, update_ids = writer.table(ItemUpdate), writer.ids(ItemUpdate, block=2000)
        for at, update_kind, text, claim_id, credited in updates:
            writer_updates.add(
                id=update_ids(),
                item_id=pk,
                claim_id=claim_id,
                kind=update_kind,
                text=text,
                points=credited,
                actor_id=None if update_kind == UpdateKind.LAPSED else staff,
                at=utc(at),
            )
        local_created = dt.datetime.fromtimestamp(created, tz=self.tz)
        writes = sum(1 for u in updates if u[1] not in (UpdateKind.CREATED, UpdateKind.NOTE))
        writer.table(GovernanceItem).add(
            id=pk,
            reference=f"ZL{local_created:%Y}-{pk:06d}",  # as services.items.reference_for
            kind=kind,
            governance_list_id=batch,
            title=title[:100],
            description="" if kind == ItemKind.TASK else "社区网格员走访时记录",
            source=source,
            beneficiary_id=beneficiary,
            priority=rng.choices(list(Priority), [15, 60, 20, 5])[0],
            due_on=due,
            points=item_points,
            status=status,
            created_by_id=staff,
            verified_by_id=verified_by,
            verified_at=utc(verified_at) if verified_at else None,
            area_id=place.area_id,
            estate_id=place.estate_id,
            building_id=place.building_id,
            scope=place.scope,
            created_at=utc(created),
            updated_at=utc(updates[-1][0]),
            version=1 + writes,
        )
        counts["governance items"] += 1
        counts["item updates"] += len(updates)

    def _claim(
        self,
        item: int,
        status: str,
        t: float,
        staff: int,
        item_points: int,
        updates: list[tuple[float, str, str, int | None, int | None]],
        title: str,
    ) -> float:
        """The claim that holds (claimed, submitted), did (done) or was withdrawn with (cancelled)
        the item, and its timeline; returns the time of its last step."""
        rng, writer, now = self.rng, self.writer, self.now
        person, org, name = self._holder()
        claimed = min(t + min(20.0, math.exp(rng.gauss(0.5, 0.8))) * DAY, now - 120)
        if status == ItemStatus.CLAIMED:
            claimed = max(t, min(claimed, now - rng.uniform(1, 20) * DAY))
        claim = writer.ids(Claim, block=500)()
        updates.append((claimed, UpdateKind.CLAIMED, name, claim, None))
        progress = claimed
        for _ in range(rng.choice([0, 1, 1, 2])):
            progress = min(now - 90, progress + rng.uniform(0.5, 4) * DAY)
            updates.append((progress, UpdateKind.PROGRESS, rng.choice(PROGRESS), claim, None))
        if status == ItemStatus.CLAIMED and progress < now - (LAPSE_DAYS - 1) * DAY:
            progress = now - rng.uniform(0.1, LAPSE_DAYS - 1) * DAY  # recent progress keeps the claim alive
            updates.append((progress, UpdateKind.PROGRESS, rng.choice(PROGRESS), claim, None))
        last = progress
        claim_status, ended, reason = ClaimStatus.ACTIVE, None, ""
        if status in (ItemStatus.SUBMITTED, ItemStatus.DONE):
            last = min(now - 60, last + rng.uniform(0.5, 10) * DAY)
            updates.append((last, UpdateKind.SUBMITTED, rng.choice(DONE), claim, None))
        if status == ItemStatus.DONE:
            last = min(now - 30, last + rng.uniform(0.2, 5) * DAY)
            updates.append((last, UpdateKind.VERIFIED, rng.choice(VERIFIED), claim, item_points))
            claim_status, ended = ClaimStatus.COMPLETED, last
            self.outcome.verified.append(VerifiedClaim(item, claim, person, org, item_points, last, title))
        if status == ItemStatus.CANCELLED:  # cancel_item withdraws the active claim
            claim_status, ended = ClaimStatus.WITHDRAWN, min(now - 30, last + rng.uniform(1, 20) * DAY)
            reason = self._reason = rng.choice(CANCELLED)
            self._active_claim = claim
            last = ended
        writer.table(Claim).add(
            id=claim,
            item_id=item,
            person_id=person,
            organization_id=org,
            claimed_by_id=staff,
            status=claim_status,
            last_progress_at=utc(progress if status != ItemStatus.SUBMITTED else last),
            lapses_at=utc(progress + LAPSE_DAYS * DAY),
            ended_at=utc(ended) if ended else None,
            end_reason=reason[:200],
            created_at=utc(claimed),
            updated_at=utc(claimed),
        )
        self.outcome.counts["claims"] += 1
        return last

    _active_claim: int | None = None  # the claim a cancellation withdraws, and why
    _reason = ""

"""Synthetic appeals for benchmarks (``shuren seed-scale --appeals N``).

``N`` appeals of the last two years are spread over the buildings and estates under an area (the
synthetic district of ``shuren.synthetic.district``), in the order they were submitted, as two years of use
would leave them:

* where: 85 % name a building (filed under its grid; a quarter also a dwelling), the rest only an
  estate (filed under the community); a tenth carry a point; some buildings are busier;
* what: the leaf categories of the seeded tree, the common ones (parking, noise, e-bikes, the
  property manager's service) more often, with descriptions in the words residents use;
* how: portal, the 12345 hotline, phone calls, grid patrols, building leaders, walk-ins, API and
  Open311; phone, hotline and walk-in appeals carry the caller's name and number, encrypted;
* when: at the hours residents write (``timing.RESIDENT_HOURS``: about 2 % between midnight and
  six); calls to the office, patrols, building leaders and walk-ins only from 08:00 to 18:00; the
  desk accepts, dispatches, rejects and closes, and the handlers take up and resolve, in the
  working hours of working days (an appeal of the night is accepted the next working morning);
  residents rate in the daytime;
* who acts: the estate's property manager (one per estate, created), the community's residents'
  committee (created) or a district department (four, created), by category, as the dispatch
  rules created with them say;
* state: ``OPEN_SHARE`` (5 %) open: nearly everything of the last hours, most of the last days,
  and a backlog of older, stuck appeals. Two years hold a hundred times more appeals than the last
  week, so most open appeals are necessarily overdue; a fifth of those are under supervision. The
  rest are resolved and awaiting the rating, closed with or without a rating, rejected, or merged
  into an earlier open appeal of the same building. Deadlines, handling times and the "in time"
  flags follow the categories' working-hour deadlines on the working-day calendar.

Synthetic appeals have no reporter account (there are no users at that scale). Their words
(``terms``) are computed once per description template.

Timeline events: ``timeline="submit"`` (the default) writes each appeal's submission event, so
that every appeal has a timeline and the event table is as large as the appeal table; ``"full"``
writes every step (five or six rows for a closed appeal: what two years of use really leave, at
about twice the cost); ``"none"`` writes none.

Writing (through ``synthetic.bulk_rows``): the rows are produced in database form, with their ids
reserved from the table's sequence (so references are the real ``20261123-000042`` form), in
chunks of ``CHUNK`` appeals, each from a random stream of its own; on PostgreSQL forked worker
processes (one per core) turn chunks into COPY text while the main process writes them with COPY,
in order, on its connection (SQLite: ``executemany``). Through ``core.bulk.bulk_load`` each row
would first become a model instance and then pass through every field's
``pre_save``/``get_db_prep_save``: 0.6 ms a row here, an hour for five million. A large load on
PostgreSQL (at least ``DEFER_INDEXES_FROM`` rows and more than the table holds) also defers the
two tables' secondary indexes, unique constraints and foreign-key checks to the end, as
``pg_restore`` does, all in one transaction (``synthetic.bulk_rows.indexes_deferred``): keeping 23
indexes current row by row costs four times the insert itself. The tables are locked for the
duration, so run it on a database nobody else uses at the time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import multiprocessing
import os
import random
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from shuren.appeals.duplicates import terms_of
from shuren.appeals.models import Appeal, AppealEvent, Category, Channel, DispatchRule, EventKind, Level, Status
from shuren.core.redaction import redact_text
from shuren.core.workdays import WorkingCalendar, working_windows
from shuren.orgs.models import Organization, OrganizationKind
from shuren.places.models import Area, Building, Dwelling, Estate
from shuren.synthetic import timing
from shuren.synthetic.bulk_rows import (
    IdAllocator,
    RowTable,
    copy_text,
    estimated_rows,
    generated_in_order,
    indexes_deferred,
)

APPEALS_PER_COMMUNITY = 40_000  # two years of a community of about 8,000 residents (2.5 a resident a year)
HISTORY_DAYS = 730
OPEN_SHARE = 0.05
CHUNK = 10_000
PARALLEL_FROM = 100_000
DEFER_INDEXES_FROM = 200_000
TIMELINES = ("none", "submit", "full")
FEEDBACK_DAYS = 7
CALLERS = 2_000

DEPARTMENTS = {
    "urban": "区城市管理和综合执法局",
    "housing": "区住房和城乡建设局",
    "market": "区市场监督管理局",
    "ecology": "区生态环境分局",
}

# A category: its code, its weight among appeals and who answers (manager: the estate's property
# manager, committee: the residents' committee, urban/housing/market/ecology: a district department,
# with shares); then what residents write ({e} estate, {b} building, {u} stairwell unit, {r} room)
# and, after ">", the handler's reply.
TEXTS = """
ebike-charging 10 manager
  {b}{u}楼道有人把电动车推进电梯上楼充电，还从窗口拉飞线，非常危险，请尽快处理。
  {b}{u}一楼大堂停满电动车，晚上还接着插线板充电，堵住了消防通道。
  > 已清理楼道电动车并劝导住户到充电棚充电，物业每日巡查，请居民共同监督。
illegal-parking 12 urban
  {e}门口路边每天都有车乱停，早上出门的车开不出去。
  {b}楼下人行道上停满了私家车，老人推轮椅都过不去。
  > 城管中队已到场劝离违停车辆，并在路口增设禁停标志。
noise 12 committee:0.6 ecology:0.4
  {b}楼下的商铺晚上十一点后还在装修，噪音很大影响休息。
  {b}{u}{r}室每天晚上很晚还在唱卡拉OK，影响邻居休息。
  > 已上门劝导，对方承诺晚上十点后不再产生噪音，社区加强夜间巡查。
property-service 10 manager:0.8 housing:0.2
  {e}物业服务差，{b}的公共区域很久没有打扫了。
  物业费上涨没有公示，业主有意见，希望物业说明情况。
  > 物业已召开业主座谈会说明收费情况，并加强公共区域保洁。
litter 8 manager
  {e}{b}楼下的垃圾桶已经满了两天没人清运，味道很大，招来很多苍蝇。
  {b}{u}门口堆了装修垃圾，占了半个通道，请安排清运。
  > 已安排保洁人员清运垃圾并消杀，清运改为每日两次。
water-supply 8 manager
  {b}{u}{r}室楼上漏水，天花板一直在滴水。
  {b}{u}下水道堵塞，污水从一楼地漏冒出来。
  > 已疏通排水管道，维修漏水点并清理现场。
lift 6 manager:0.85 market:0.15
  {b}{u}电梯这两天经常停在八楼不动，老人上下楼很不方便。
  {b}{u}电梯运行时有很大的异响，还突然下坠过一次，大家都不敢坐。
  > 维保单位已更换电梯门机部件并检测合格，电梯恢复正常运行。
parking-space 6 manager
  {e}地下车库的月租车位经常被外来车辆占用，业主没地方停车。
  小区车位太少，希望把{b}旁边的空地改成临时停车位。
  > 已对占用车位的外来车辆登记劝离，车位管理办法已在公告栏公示。
dogs 5 committee
  中心花园有人遛狗不牵绳，小孩被吓哭了，希望加强管理。
  {b}{u}有住户的狗每天在楼道里大小便，没有人清理。
  > 已上门提醒养犬住户文明养犬，并在小区张贴文明养犬告示。
lighting 5 manager
  {b}{u}楼道灯坏了一个星期，晚上上下楼很黑。
  {e}北门到{b}的路灯不亮，晚上走路很不安全。
  > 已更换损坏的灯具，照明恢复正常。
high-rise-littering 4 manager
  {b}北面经常有人从高层往下扔果皮和烟头，楼下晾的衣服都被弄脏了。
  {b}{u}有住户从窗口往下扔垃圾袋，差点砸到楼下的小孩，太危险了。
  > 已张贴高空抛物警示，调取监控并上门提醒相关住户，后续加强巡查。
road 4 manager:0.7 urban:0.3
  {b}门前的路面塌陷了一个坑，下雨积水，电动车容易摔倒。
  {e}人行道地砖松动翘起，已经有老人被绊倒了。
  > 已修补路面坑洼并更换松动地砖。
greenery 3 manager
  {b}旁边的树枝太长挡住了窗户，影响采光，请修剪。
  {e}中心花园的草地被车压坏了，黄土裸露，下雨全是泥。
  > 已安排绿化人员修剪树枝并补种草皮。
fire-passage 3 manager
  {e}东门消防通道口长期有私家车停放，救护车进不来。
  {b}{u}楼梯间堆满杂物和纸箱，消防通道被堵。
  > 已清理消防通道杂物，施划禁停标线并安装提示牌。
dispute 2 committee
  {b}{u}{r}室在公共走廊堆放杂物，邻居之间多次争吵。
  楼上{r}室装修把我家墙面震裂了，协商不成，请社区调解。
  > 社区调解员已组织双方协商，达成调解协议。
pool-hygiene 1 manager
  {e}泳池水质浑浊，池边有垃圾，开放前需要清理消毒。
  泳池更衣室地面湿滑有积水，卫生很差。
  > 已更换过滤砂缸并消毒，水质检测合格后重新开放。
other 1 committee
  {e}的快递柜经常满，快递员把快递堆在{b}门口。
  希望在{e}增设给老人休息的座椅。
  > 已与相关单位沟通落实，并电话回复居民。
"""
CHANNELS = [
    (Channel.PORTAL, 45),
    (Channel.HOTLINE, 20),
    (Channel.PHONE, 12),
    (Channel.PATROL, 10),
    (Channel.BUILDING_LEADER, 8),
    (Channel.VISIT, 3),
    (Channel.API, 1),
    (Channel.OPEN311, 1),
]
CALLER_CHANNELS = {Channel.HOTLINE, Channel.PHONE, Channel.VISIT}
HOUR_WEIGHTS = timing.RESIDENT_HOURS
# Channels where a person of the community takes the appeal down (a phone call to the office, a
# patrol, a building leader, a visit to the service hall): only in the daytime.
OFFICE_CHANNELS = {Channel.PHONE, Channel.PATROL, Channel.BUILDING_LEADER, Channel.VISIT}
OFFICE_HOURS = range(8, 18)
REJECT_REASON = "经核实不属于本平台受理范围，已告知居民向相关部门反映。"
COMMENTS = ["处理很及时，谢谢！", "问题已经解决，满意。", "师傅态度很好。", "希望以后多巡查。"]
COMPLAINTS = ["处理速度太慢了。", "问题没有根本解决。", "只是敷衍了事。"]
OPEN = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS})


@dataclass
class AppealScaleReport:
    appeals: int = 0
    open: int = 0
    overdue: int = 0
    events: int = 0
    organizations: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, counts: _Counts) -> None:
        self.appeals += counts.appeals
        self.open += counts.open
        self.overdue += counts.overdue
        self.events += counts.events
        for status, n in counts.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + n


def communities_needed(appeals: int) -> int:
    """Communities a district needs for ``appeals`` to be two years of appeals."""
    return max(1, math.ceil(appeals / APPEALS_PER_COMMUNITY))


class WorkingClock:
    """``WorkingCalendar``'s arithmetic over a fixed span, precomputed for millions of rows: each
    working window as (start, end) in epoch seconds with the working seconds before it, so that
    adding working hours is two binary searches instead of a walk over the days."""

    def __init__(self, first: dt.date, last: dt.date, calendar: WorkingCalendar | None = None) -> None:
        calendar = calendar or WorkingCalendar()
        tz = timezone.get_current_timezone()
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.before: list[float] = []
        self.after: list[float] = []
        total = 0.0
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                for start, end in working_windows():
                    begin = dt.datetime.combine(day, start, tzinfo=tz).timestamp()
                    finish = dt.datetime.combine(day, end, tzinfo=tz).timestamp()
                    self.starts.append(begin)
                    self.ends.append(finish)
                    self.before.append(total)
                    total += finish - begin
                    self.after.append(total)
            day += dt.timedelta(days=1)

    def worked(self, moment: float) -> float:
        """Working seconds from the start of the span to ``moment``."""
        i = bisect.bisect_right(self.starts, moment) - 1
        if i < 0:
            return 0.0
        return self.before[i] + min(moment, self.ends[i]) - self.starts[i]

    def add(self, moment: float, hours: float) -> float:
        """The moment ``hours`` (> 0) working hours after ``moment``, as ``add_working_hours``."""
        target = self.worked(moment) + hours * 3600
        j = bisect.bisect_left(self.after, target)
        if j >= len(self.after):
            raise ValueError("beyond the working clock's span")
        return self.starts[j] + (target - self.before[j])

    def hours_between(self, start: float, end: float) -> float:
        if end <= start:
            return 0.0
        return (self.worked(end) - self.worked(start)) / 3600


@dataclass
class _Kind:
    category_id: int
    response_hours: int
    resolution_hours: int
    is_published: bool
    routes: list[tuple[str, float]]
    templates: list[str]
    replies: list[str]


@dataclass
class _Place:
    building_id: int | None
    estate_id: int
    area_id: int
    scope: str
    number: str
    estate_name: str
    dwellings: list[tuple[int, str, str]]  # (pk, stairwell unit, room)
    answerers: dict[str, int]  # route -> organisation id


@dataclass
class _Last:
    """The latest appeal of a building: what a later duplicate is merged into."""

    pk: int
    kind: _Kind
    submitted: float
    resolved: float | None
    closed: float | None
    resolution: str
    mergeable: bool


def seed_appeals(
    count: int,
    *,
    area: Area,
    seed: int = 2026,
    timeline: str = "submit",
    now: dt.datetime | None = None,
    workers: int | None = None,
    history_days: int = HISTORY_DAYS,
    open_share: float = OPEN_SHARE,
    estates: Sequence[int] | None = None,
    progress: Callable[[str], None] = print,
) -> AppealScaleReport:
    """Add ``count`` appeals of the two years before ``now`` to the buildings and estates under
    ``area``, with the organisations and dispatch rules they need (created once). The same seed
    gives the same appeals, whatever ``workers`` (processes generating rows on PostgreSQL; by
    default one per core for large loads, none otherwise). ``history_days`` (two years by default)
    is how far back they go, ``open_share`` the share still open; ``estates`` (ids) keeps them to
    those estates of ``area``."""
    if timeline not in TIMELINES:
        raise ValueError(f"timeline must be one of {TIMELINES}")
    report = AppealScaleReport()
    connection = connections[DEFAULT_DB_ALIAS]
    places = _places(area, report, estates)
    if not places:
        raise ValueError(f"{area} has no estates: lay out places first")
    now_ts = (now or timezone.now()).timestamp()
    today = timezone.localdate(dt.datetime.fromtimestamp(now_ts, tz=dt.UTC))
    clock = WorkingClock(today - dt.timedelta(days=history_days + 1), today + dt.timedelta(days=400))
    appeals, events = RowTable(Appeal, connection), RowTable(AppealEvent, connection, with_pk=False)
    state = _State(seed, now_ts, clock, _kinds(), places, timeline, appeals, events, history_days, open_share)
    chunks = _plan(count, seed, now_ts, history_days)
    postgres = connection.vendor == "postgresql"
    if workers is None:
        workers = (os.cpu_count() or 1) if postgres and count >= PARALLEL_FROM else 0
    if not postgres or "fork" not in multiprocessing.get_all_start_methods():
        workers = 0
    defer = postgres and count >= max(DEFER_INDEXES_FROM, estimated_rows(Appeal))
    done = 0
    tables = [Appeal, AppealEvent]
    with (
        transaction.atomic() if defer else nullcontext(),
        indexes_deferred(tables, defer, progress, written=lambda: tables),
    ):
        for appeal_rows, event_rows, counts in _produced(state, chunks, workers):
            with nullcontext() if defer else transaction.atomic():
                for table, rows in ((appeals, appeal_rows), (events, event_rows)):
                    if rows:
                        table.write_copy(rows) if postgres else table.write_many(rows)
            report.add(counts)
            done += counts.appeals
            if done % 50_000 < CHUNK or done == count:
                progress(f"{done:>10,d} / {count:,d} appeals")
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {appeals.table}, {events.table}")
    return report


@dataclass
class _Chunk:
    """Consecutive appeals generated together: (local midnight, how many that day) pairs."""

    index: int
    days: list[tuple[float, int]]

    @property
    def size(self) -> int:
        return sum(n for _midnight, n in self.days)


def _plan(count: int, seed: int, now: float, history_days: int = HISTORY_DAYS) -> list[_Chunk]:
    """How many appeals each of the last ``history_days`` days received (weekdays busier than
    weekends, some days busier than others), cut into chunks of ``CHUNK``."""
    rng = random.Random(f"{seed}/days")  # noqa: S311 - synthetic data
    tz = timezone.get_current_timezone()
    today = dt.datetime.fromtimestamp(now, tz=tz).date()
    days = [today - dt.timedelta(days=history_days - 1 - i) for i in range(history_days)]
    weights = [(0.75 if d.weekday() >= 5 else 1.0) * rng.uniform(0.85, 1.15) for d in days]
    quotas = [count * w / sum(weights) for w in weights]
    counts = [int(q) for q in quotas]
    for i in sorted(range(len(days)), key=lambda i: counts[i] - quotas[i])[: count - sum(counts)]:
        counts[i] += 1
    chunks: list[_Chunk] = []
    current: list[tuple[float, int]] = []
    filled = 0
    for day, n in zip(days, counts, strict=True):
        midnight = dt.datetime.combine(day, dt.time.min, tzinfo=tz).timestamp()
        while n:
            take = min(n, CHUNK - filled)
            current.append((midnight, take))
            filled, n = filled + take, n - take
            if filled == CHUNK:
                chunks.append(_Chunk(len(chunks), current))
                current, filled = [], 0
    if current:
        chunks.append(_Chunk(len(chunks), current))
    return chunks


@dataclass
class _Counts:
    appeals: int = 0
    open: int = 0
    overdue: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


_FORKED: _State | None = None  # what forked workers inherit


def _produced(state: _State, chunks: list[_Chunk], workers: int) -> Iterator[tuple[Any, Any, _Counts]]:
    """Each chunk's appeal and event rows (COPY text on PostgreSQL), in order. With ``workers``,
    forked processes generate them while this one writes; they never touch its connection."""
    global _FORKED  # noqa: PLW0603 - handed to the forked workers
    postgres = state.appeals.connection.vendor == "postgresql"
    allocate = IdAllocator(Appeal, state.appeals.connection, block=CHUNK)

    def ids(chunk: _Chunk) -> list[int]:
        return [allocate() for _ in range(chunk.size)]

    if not workers:
        for chunk in chunks:
            yield _generate(state, chunk, ids(chunk), as_text=postgres)
        return
    _FORKED = state
    try:
        yield from generated_in_order(_generate_forked, ((chunk, ids(chunk)) for chunk in chunks), workers)
    finally:
        _FORKED = None


def _generate_forked(chunk: _Chunk, ids: list[int]) -> tuple[bytes, bytes, _Counts]:
    assert _FORKED is not None
    return _generate(_FORKED, chunk, ids, as_text=True)


def _generate(state: _State, chunk: _Chunk, ids: list[int], *, as_text: bool) -> tuple[Any, Any, _Counts]:
    appeals, events, counts = _Generator(state, chunk).rows(ids)
    if as_text:
        return copy_text(appeals), copy_text(events), counts
    return appeals, events, counts


def _parse_texts() -> dict[str, tuple[float, list[tuple[str, float]], list[str], list[str]]]:
    texts: dict[str, tuple[float, list[tuple[str, float]], list[str], list[str]]] = {}
    templates: list[str] = []
    replies: list[str] = []
    for line in TEXTS.strip().splitlines():
        if not line.startswith(" "):
            code, weight, *routes = line.split()
            shares = [(r.split(":")[0], float(r.split(":")[1]) if ":" in r else 1.0) for r in routes]
            templates, replies = [], []
            texts[code] = (float(weight), shares, templates, replies)
        elif line.strip().startswith(">"):
            replies.append(line.strip()[1:].strip())
        else:
            templates.append(line.strip())
    return texts


def _kinds() -> list[tuple[_Kind, float]]:
    found = {c.code: c for c in Category.objects.filter(is_active=True, children__isnull=True)}
    kinds = []
    for code, (weight, routes, templates, replies) in _parse_texts().items():
        category = found.get(code)
        if category is not None:
            kind = _Kind(
                category.pk,
                category.response_hours,
                category.resolution_hours,
                category.is_published,
                routes,
                templates,
                replies,
            )
            kinds.append((kind, weight))
    if not kinds:
        raise ValueError("no appeal categories: run the migrations first")
    return kinds


def _places(area: Area, report: AppealScaleReport, only: Sequence[int] | None = None) -> list[tuple[_Place, float]]:
    """Every building (and every estate, for appeals about the estate as a whole) under ``area``
    (of the estates ``only``, when given), weighted, with the organisations that answer there
    (created where missing)."""
    prefix = area.path + "."
    chosen = Estate.objects.filter(scope__startswith=prefix)
    if only is not None:
        chosen = chosen.filter(pk__in=only)
    estates = list(chosen.select_related("community"))
    if not estates:
        return []
    departments = {
        key: Organization.objects.get_or_create(
            area=area, name=name, defaults={"kind": OrganizationKind.DEPARTMENT, "scope": area.path}
        )[0].pk
        for key, name in DEPARTMENTS.items()
    }

    def existing() -> tuple[dict[int, int], dict[int, int]]:
        orgs = Organization.objects.filter(scope__startswith=prefix)
        committees = {o.area_id: o.pk for o in orgs.filter(kind=OrganizationKind.RESIDENTS_COMMITTEE)}
        managers = {
            o.estate_id: o.pk
            for o in orgs.filter(kind=OrganizationKind.PROPERTY_MANAGER, estate__isnull=False)
            if o.estate_id is not None
        }
        return committees, managers

    committees, managers = existing()
    new: list[Organization] = []
    for estate in estates:
        community = estate.community
        if community.pk not in committees:
            committees[community.pk] = 0
            kind = OrganizationKind.RESIDENTS_COMMITTEE
            new.append(Organization(kind=kind, name=f"{community.name}居委会", area=community, scope=community.path))
        if estate.pk not in managers:
            managers[estate.pk] = 0
            kind = OrganizationKind.PROPERTY_MANAGER
            name = f"{estate.name}物业服务中心"
            new.append(Organization(kind=kind, name=name, area=community, estate=estate, scope=community.path))
    if new:
        Organization.objects.bulk_create(new, batch_size=2000)
        report.organizations = len(new)
        committees, managers = existing()
        _add_rules(area, estates, committees, managers, departments)

    def answerers(estate: Estate) -> dict[str, int]:
        return {"manager": managers[estate.pk], "committee": committees[estate.community_id]} | departments

    dwellings: dict[int, list[tuple[int, str, str]]] = {}
    in_estates = {"unit__building__estate__in": estates} if only is not None else {}
    for pk, building_id, unit, room in Dwelling.objects.filter(scope__startswith=prefix, **in_estates).values_list(
        "pk", "unit__building_id", "unit__number", "room"
    ):
        dwellings.setdefault(building_id, []).append((pk, unit, room))
    buildings = list(
        Building.objects.filter(scope__startswith=prefix, estate__in=estates).only(
            "estate_id", "grid_id", "scope", "number"
        )
    )
    by_estate = {e.pk: e for e in estates}
    per_estate = max(1, len(buildings)) / len(estates)
    places: list[tuple[_Place, float]] = []
    for estate in estates:  # appeals about the estate as a whole (its garden, gates, car park): 15 %
        place = _Place(None, estate.pk, estate.community_id, estate.scope, "", estate.name, [], answerers(estate))
        places.append((place, 0.15 / 0.85 * per_estate))
    weights = random.Random(len(buildings))  # noqa: S311 - synthetic data
    for building in buildings:
        estate = by_estate[building.estate_id]
        place = _Place(
            building.pk,
            estate.pk,
            building.grid_id,
            building.scope,
            building.number,
            estate.name,
            dwellings.get(building.pk, []),
            answerers(estate),
        )
        places.append((place, weights.uniform(0.4, 1.6)))  # some buildings (and so grids) are busier
    return places


def _add_rules(
    area: Area, estates: list[Estate], committees: dict[int, int], managers: dict[int, int], departments: dict[str, int]
) -> None:
    """Dispatch rules that suggest what the generator chooses: the property manager for the
    estate's facilities, the residents' committee for the rest, the city-management department for
    illegal parking."""
    categories = dict(Category.objects.values_list("code", "pk"))
    rules: list[DispatchRule] = []
    # A community with a catch-all rule of its own (the demo's story) keeps it.
    communities: set[int] = set(
        DispatchRule.objects.filter(
            area__in={estate.community_id for estate in estates}, category__isnull=True, estate__isnull=True
        ).values_list("area_id", flat=True)
    )
    for estate in estates:
        for code in ("safety", "facilities", "environment", "property-service", "parking-space"):
            if code in categories:
                rules.append(
                    DispatchRule(
                        area_id=estate.community_id,
                        category_id=categories[code],
                        estate_id=estate.pk,
                        organization_id=managers[estate.pk],
                        scope=estate.scope,
                    )
                )
        if estate.community_id not in communities:
            communities.add(estate.community_id)
            rules.append(
                DispatchRule(
                    area_id=estate.community_id,
                    organization_id=committees[estate.community_id],
                    priority=900,
                    scope=estate.scope,
                )
            )
    if "illegal-parking" in categories and not DispatchRule.objects.filter(area=area).exists():
        rules.append(
            DispatchRule(
                area=area,
                category_id=categories["illegal-parking"],
                organization_id=departments["urban"],
                priority=50,
                scope=area.path,
            )
        )
    DispatchRule.objects.bulk_create(rules, batch_size=2000)


@lru_cache(maxsize=200_000)
def _summary(description: str) -> str:
    return redact_text(description)


@lru_cache(maxsize=256)
def _terms(template: str) -> str:
    return " ".join(terms_of(template.format(e="", b="", u="", r="")))


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def _dt(moment: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(moment, tz=dt.UTC)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


class _State:
    """What every chunk's generation reads: the places, the categories, the calendar, the callers."""

    def __init__(
        self,
        seed: int,
        now: float,
        clock: WorkingClock,
        kinds: list[tuple[_Kind, float]],
        places: list[tuple[_Place, float]],
        timeline: str,
        appeals: RowTable,
        events: RowTable,
        history_days: int = HISTORY_DAYS,
        open_share: float = OPEN_SHARE,
    ) -> None:
        self.seed, self.now, self.clock, self.timeline = seed, now, clock, timeline
        self.history_days, self.open_share = history_days, open_share
        self.appeals, self.events = appeals, events
        self.kinds = [k for k, _w in kinds]
        self.kind_weights = _cumulative([w for _k, w in kinds])
        self.places = [p for p, _w in places]
        self.place_weights = _cumulative([w for _p, w in places])
        self.channels = [c for c, _w in CHANNELS]
        self.channel_weights = _cumulative([w for _c, w in CHANNELS])
        self.night_channels = [c for c, _w in CHANNELS if c not in OFFICE_CHANNELS]
        self.night_channel_weights = _cumulative([w for c, w in CHANNELS if c not in OFFICE_CHANNELS])
        self.hour_weights = _cumulative(HOUR_WEIGHTS)
        self.channel_detail = {c: json.dumps({"channel": str(c)}) for c in self.channels}
        self.tz = timezone.get_current_timezone()
        self.backlog = self._backlog_share()
        self.callers = self._callers(random.Random(f"{seed}/callers"))  # noqa: S311 - synthetic data

    @staticmethod
    def _callers(rng: random.Random) -> list[tuple[str, str]]:
        """Names and numbers of people who call, encrypted once (many call more than once)."""
        name_field, phone_field = Appeal._meta.get_field("reporter_name"), Appeal._meta.get_field("reporter_phone")
        callers = []
        for _ in range(CALLERS):
            name = rng.choice("王李张刘陈杨黄赵吴周") + rng.choice(["先生", "女士", "阿姨", "伯"])
            phone = f"+86138{rng.randrange(10**8):08d}"
            callers.append((name_field.get_prep_value(name), phone_field.get_prep_value(phone)))
        return callers

    @staticmethod
    def recent_open(age_days: float) -> float:
        return 0.95 * math.exp(-age_days / 4)

    def _backlog_share(self) -> float:
        """The size of the stuck backlog that brings the open share to ``OPEN_SHARE``."""
        recent = sum(min(0.97, self.recent_open(d + 0.5)) for d in range(self.history_days))
        tail = sum(math.exp(-(d + 0.5) / 60) for d in range(self.history_days))
        return max(0.0, (self.open_share * self.history_days - recent) / tail)

    def open_probability(self, age_days: float) -> float:
        return min(0.97, self.recent_open(age_days) + self.backlog * math.exp(-age_days / 60))


class _Generator:
    """One chunk's appeals, from a random stream of its own (so chunks can be made in any order,
    in any process, and still come out the same). Duplicates are merged into an earlier appeal
    of the same building within the chunk."""

    def __init__(self, state: _State, chunk: _Chunk) -> None:
        self.state, self.chunk = state, chunk
        self.rng = random.Random(f"{state.seed}/{chunk.index}")  # noqa: S311 - synthetic data
        self.clock, self.now = state.clock, state.now
        self.last: dict[int, _Last] = {}
        self.days: dict[int, str] = {}  # hour since the epoch -> local date, for references

    def _pick(self, items: list[Any], cumulative: list[float]) -> Any:
        return items[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def _local_day(self, t: float) -> str:
        hour = int(t // 3600)
        day = self.days.get(hour)
        if day is None:
            day = self.days[hour] = f"{dt.datetime.fromtimestamp(t, tz=self.state.tz):%Y%m%d}"
        return day

    def _submissions(self) -> Iterator[tuple[float, bool]]:
        """The chunk's submission times, in order (days busier than nights), each with whether the
        community's office is open then (``OFFICE_HOURS``)."""
        rng, hours = self.rng, list(range(24))
        for midnight, n in self.chunk.days:
            chosen = rng.choices(hours, cum_weights=self.state.hour_weights, k=n)
            for moment in sorted(midnight + h * 3600 + rng.random() * 3600 for h in chosen):
                if moment >= self.now:
                    moment = self.now - rng.random() * 600
                yield moment, int((moment - midnight) // 3600) in OFFICE_HOURS

    def rows(self, ids: list[int]) -> tuple[list[list[Any]], list[list[Any]], _Counts]:
        """The chunk's appeal rows (with ``ids``) and timeline rows, in database form."""
        state, counts = self.state, _Counts()
        rows, timelines = [], []
        for pk, (t, office) in zip(ids, self._submissions(), strict=True):
            place = self._pick(state.places, state.place_weights)
            kind = self._pick(state.kinds, state.kind_weights)
            if office:
                channel = self._pick(state.channels, state.channel_weights)
            else:
                channel = self._pick(state.night_channels, state.night_channel_weights)
            values = self._appeal(pk, t, place, kind, channel)
            rows.append(state.appeals.row(**values))
            status = values["status"]
            counts.by_status[status] = counts.by_status.get(status, 0) + 1
            if status in OPEN:
                counts.open += 1
                due = values.get("response_due_at") if status == Status.DISPATCHED else None
                if values["resolution_due_at"].timestamp() < self.now or (due and due.timestamp() < self.now):
                    counts.overdue += 1
            if state.timeline != "none":
                timelines += self._timeline(values)
        counts.appeals, counts.events = len(rows), len(timelines)
        return rows, timelines, counts

    def _appeal(self, pk: int, t: float, place: _Place, kind: _Kind, channel: str) -> dict[str, Any]:
        rng, clock = self.rng, self.clock
        target = self.last.get(place.building_id) if place.building_id else None
        duplicate = (
            target is not None
            and target.mergeable
            and (target.resolved is None or target.resolved > t)
            and rng.random() < 0.02
        )
        if duplicate:
            kind = target.kind  # type: ignore[union-attr]
        template = rng.choice(kind.templates)
        dwelling, unit, room = None, f"{rng.randint(1, 2)}单元", ""
        if place.dwellings and ("{r}" in template or rng.random() < 0.25):
            dwelling, unit, room = rng.choice(place.dwellings)
        elif "{r}" in template:
            room = f"{rng.randint(2, 18)}0{rng.randint(1, 4)}"
        submitted = _dt(t)
        values: dict[str, Any] = {
            "id": pk,
            "reference": f"{self._local_day(t)}-{pk:06d}",  # as services.reference_for
            "token": secrets.token_urlsafe(18),
            "category_id": kind.category_id,
            "description": template.format(e=place.estate_name, b=place.number, u=unit, r=room),
            "channel": channel,
            "area_id": place.area_id,
            "estate_id": place.estate_id,
            "building_id": place.building_id,
            "dwelling_id": dwelling,
            "scope": place.scope,
            "submitted_at": submitted,
            "created_at": submitted,
            "resolution_due_at": _dt(clock.add(t, kind.resolution_hours)),
            "terms": _terms(template),
            "status": Status.SUBMITTED,
        }
        if channel in CALLER_CHANNELS:
            values["reporter_name"], values["reporter_phone"] = rng.choice(self.state.callers)
        elif channel == Channel.PORTAL and rng.random() < 0.05:
            values["is_anonymous"] = True
        if rng.random() < 0.1:
            values["latitude"] = Decimal(f"{23.0 + (place.estate_id % 997) / 5000 + rng.random() / 2000:.6f}")
            values["longitude"] = Decimal(f"{113.1 + (place.estate_id % 991) / 5000 + rng.random() / 2000:.6f}")
        if duplicate:
            self._as_duplicate(values, target)  # type: ignore[arg-type]
        elif rng.random() < self.state.open_probability((self.now - t) / 86400):
            self._as_open(values, t, place, kind)
        elif rng.random() < 0.03:
            rejected = self.clock.add(t, rng.uniform(0.2, 4))  # the desk, in working hours
            if rejected < self.now:
                values |= {"status": Status.REJECTED, "closed_at": _dt(rejected), "resolution": REJECT_REASON}
            else:
                self._as_open(values, t, place, kind)
        else:
            self._as_finished(values, t, place, kind)
        if rng.random() < 0.03:
            values["level"] = Level.COMMUNITY if rng.random() < 0.8 else Level.SUBDISTRICT
        steps = [
            k for k in ("accepted_at", "dispatched_at", "responded_at", "resolved_at", "closed_at") if values.get(k)
        ]
        values["version"] = 1 + len(steps)
        values["updated_at"] = values[steps[-1]] if steps else submitted
        if place.building_id:
            resolved, closed = values.get("resolved_at"), values.get("closed_at")
            self.last[place.building_id] = _Last(
                pk,
                kind,
                t,
                resolved.timestamp() if resolved else None,
                closed.timestamp() if closed else None,
                values.get("resolution", ""),
                values["status"] not in (Status.REJECTED, Status.MERGED),
            )
        return values

    def _accepted(self, t: float) -> float:
        """When the desk accepts an appeal submitted at ``t``: half an hour of its working time,
        typically (the next morning for one written at night)."""
        return self.clock.add(t, _lognormal(self.rng, 0.5, 1.0))

    def _dispatch(self, values: dict[str, Any], accepted: float, place: _Place, kind: _Kind, until: float) -> float:
        """Dispatch (before ``until``) to whom the category goes, once accepted; the moment of dispatch."""
        rng = self.rng
        accepted = min(until, accepted)
        dispatched = min(until, self.clock.add(accepted, rng.uniform(0.01, 0.33)))
        route = kind.routes[0][0]
        if len(kind.routes) > 1:
            route = rng.choices([r for r, _w in kind.routes], [w for _r, w in kind.routes])[0]
        values |= {
            "accepted_at": _dt(accepted),
            "dispatched_at": _dt(dispatched),
            "organization_id": place.answerers[route],
            "response_due_at": _dt(self.clock.add(dispatched, kind.response_hours)),
        }
        return dispatched

    def _as_open(self, values: dict[str, Any], t: float, place: _Place, kind: _Kind) -> None:
        rng, now = self.rng, self.now
        roll = rng.random()
        accepted = self._accepted(t)
        if roll < 0.05 or (now - t < 2 * 3600 and roll < 0.7) or accepted >= now:
            return  # submitted, waiting for the desk
        if roll < 0.15 or self.clock.add(accepted, 0.33) >= now:
            values |= {"status": Status.ACCEPTED, "accepted_at": _dt(accepted)}
            return
        dispatched = self._dispatch(values, accepted, place, kind, now)
        responded = self.clock.add(dispatched, _lognormal(rng, kind.response_hours * 0.4, 0.8))
        if roll < 0.5 or responded >= now:
            values["status"] = Status.DISPATCHED
        else:
            values |= {
                "status": Status.IN_PROGRESS,
                "responded_at": _dt(responded),
                "responded_on_time": responded <= values["response_due_at"].timestamp(),
            }
        if values["resolution_due_at"].timestamp() < now and rng.random() < 0.2:
            values["is_supervised"] = True

    def _as_finished(self, values: dict[str, Any], t: float, place: _Place, kind: _Kind) -> None:
        rng, clock, now = self.rng, self.clock, self.now
        hours = min(400.0, max(0.3, _lognormal(rng, kind.resolution_hours * 0.4, 0.8)))
        resolved = clock.add(t, hours)
        if resolved >= now:  # a recent appeal already dealt with, within the working time since
            available = clock.hours_between(t, now)
            if available < 0.5:
                self._as_open(values, t, place, kind)
                return
            hours = available * rng.uniform(0.3, 0.95)
            resolved = clock.add(t, hours)
        dispatched = self._dispatch(values, self._accepted(t), place, kind, resolved)
        responded = min(resolved, clock.add(dispatched, _lognormal(rng, kind.response_hours * 0.4, 0.8)))
        values |= {
            "status": Status.RESOLVED,
            "responded_at": _dt(responded),
            "responded_on_time": responded <= values["response_due_at"].timestamp(),
            "resolved_at": _dt(resolved),
            "handling_hours": round(hours, 2),
            "resolved_on_time": resolved <= values["resolution_due_at"].timestamp(),
            "resolution": (reply := rng.choice(kind.replies)),
            # The synthetic district's desk has reviewed what it published.
            "is_published": kind.is_published,
            "publication": "published" if kind.is_published else "",
            "public_summary": _summary(values["description"]) if kind.is_published else "",
            "public_reply": _summary(reply) if kind.is_published else "",
        }
        if now - resolved < FEEDBACK_DAYS * 86400 and rng.random() < 0.6:
            return  # waiting for the reporter's rating
        if rng.random() < 0.75:
            rated = resolved + min(FEEDBACK_DAYS * 86400 - 60, _lognormal(rng, 86400, 1.0))
            daytime = timing.awake(rated, rng)  # the reporter rates it in the daytime
            if daytime < resolved + FEEDBACK_DAYS * 86400:
                rated = daytime
            if rated >= now:
                return
            solved = rng.random() < 0.92
            satisfaction = rng.choices([5, 4, 3, 2, 1], [72, 16, 6, 3, 3] if solved else [5, 10, 25, 30, 30])[0]
            values |= {
                "status": Status.CLOSED,
                "is_solved": solved,
                "satisfaction": satisfaction,
                "feedback_at": _dt(rated),
                "closed_at": _dt(rated),
            }
            if rng.random() < 0.3:
                values["feedback_comment"] = rng.choice(COMMENTS if satisfaction >= 4 else COMPLAINTS)
            if satisfaction <= 2 and rng.random() < 0.3:
                values["reopen_count"] = 1
        else:  # no rating: the desk closes it when the feedback window ends
            closed = clock.add(resolved + FEEDBACK_DAYS * 86400, rng.uniform(0.05, 3))
            if closed < now:
                values |= {"status": Status.CLOSED, "closed_at": _dt(closed)}

    def _as_duplicate(self, values: dict[str, Any], target: _Last) -> None:
        values["duplicate_of_id"] = target.pk
        if target.resolved is None:
            values["status"] = Status.MERGED
            return
        values |= {
            "status": Status.RESOLVED if target.closed is None else Status.CLOSED,
            "resolved_at": _dt(target.resolved),
            "resolution": target.resolution,
        }
        if target.closed:
            values["closed_at"] = _dt(target.closed)

    # --- the timeline ----------------------------------------------------------------------------

    def _timeline(self, a: dict[str, Any]) -> list[list[Any]]:
        rows: list[list[Any]] = []

        def event(kind: str, at: dt.datetime, before: str, after: str, detail: str = "{}", **values: Any) -> None:
            values |= {"appeal_id": a["id"], "kind": kind, "at": at, "from_status": before, "to_status": after}
            rows.append(self.state.events.row(**values, detail=detail))

        event(EventKind.SUBMIT, a["submitted_at"], "", Status.SUBMITTED, self.state.channel_detail[a["channel"]])
        if self.state.timeline != "full":
            return rows
        org = a.get("organization_id")
        if a.get("duplicate_of_id"):
            at = a["submitted_at"] + dt.timedelta(minutes=30)
            event(EventKind.MERGE, at, Status.SUBMITTED, Status.MERGED, json.dumps({"into": a["duplicate_of_id"]}))
            if a.get("resolved_at"):
                event(EventKind.RESOLVE, a["resolved_at"], Status.MERGED, Status.RESOLVED, note=a["resolution"])
            if a.get("closed_at"):
                event(EventKind.CLOSE, a["closed_at"], Status.RESOLVED, Status.CLOSED)
            return rows
        if a["status"] == Status.REJECTED:
            event(EventKind.REJECT, a["closed_at"], Status.SUBMITTED, Status.REJECTED, note=a["resolution"])
            return rows
        status = Status.SUBMITTED
        if a.get("dispatched_at"):
            event(EventKind.DISPATCH, a["dispatched_at"], status, Status.DISPATCHED, organization_id=org)
            status = Status.DISPATCHED
        elif a.get("accepted_at"):
            event(EventKind.ACCEPT, a["accepted_at"], status, Status.ACCEPTED)
        if a.get("responded_at"):
            event(EventKind.TAKE_UP, a["responded_at"], status, Status.IN_PROGRESS, organization_id=org)
            status = Status.IN_PROGRESS
        if a.get("resolved_at"):
            event(
                EventKind.RESOLVE, a["resolved_at"], status, Status.RESOLVED, organization_id=org, note=a["resolution"]
            )
            status = Status.RESOLVED
        if a.get("feedback_at"):
            rating = json.dumps({"is_solved": a["is_solved"], "satisfaction": a["satisfaction"]})
            note = a.get("feedback_comment", "")
            event(EventKind.FEEDBACK, a["feedback_at"], status, Status.CLOSED, rating, note=note)
        elif a.get("closed_at"):
            event(EventKind.CLOSE, a["closed_at"], status, Status.CLOSED)
        return rows

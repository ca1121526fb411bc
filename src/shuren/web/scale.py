"""A synthetic district for benchmarks (``shuren seed-scale --residents N``).

Communities of realistic size (about 8,000 residents each, four grids, estates of 20 buildings)
are laid out until ``N`` residents have a home; every resident gets a valid ID number, a mobile,
a Chinese name, a residence and, for some, a tag. Rows go in with COPY on PostgreSQL
(``bulk_create`` elsewhere, see ``core.bulk``) in batches inside one transaction per community,
so a million residents load in minutes on PostgreSQL.
The district is a separate tree (code ``SCALE``) and never mixes with the demo district.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from shuren.core.bulk import bulk_load
from shuren.core.validators import parse_id_number
from shuren.people.imports import write_planned
from shuren.people.models import (
    Person,
    PersonTag,
    PersonTagging,
    Residence,
    ResidenceRelation,
    ResidenceStatus,
)
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate, Unit
from shuren.places.services import lay_out_dwellings

SCALE_CODE = "SCALE"
RESIDENTS_PER_COMMUNITY = 8_000
COMMUNITIES_PER_SUBDISTRICT = 12
GRIDS_PER_COMMUNITY = 4
BUILDINGS_PER_ESTATE = 20
UNITS, FLOORS, PER_FLOOR = 2, 18, 4  # 144 dwellings per building
RESIDENTS_PER_DWELLING = 2.8
BATCH = 5_000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程苏魏吕丁任沈姚卢欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文嘉浩宇欣怡子轩梓涵婉仪淑芬伯荣晓婷"
ESTATE_WORDS = ["花园", "新城", "雅苑", "豪庭", "名苑", "家园", "新村", "华庭"]
AREA_CODES = ["110105", "310104", "440106", "440103", "440605", "510107"]  # valid region codes


def id_number(serial: int) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit); distinct serials give distinct
    numbers (region, birth date and sequence are all taken from the serial)."""
    from stdnum.cn import ric

    region = AREA_CODES[serial % len(AREA_CODES)]
    sequence = (serial // len(AREA_CODES)) % 1000
    born = dt.date(1940, 1, 1) + dt.timedelta(days=(serial // (len(AREA_CODES) * 1000) * 7919) % (80 * 365))
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


@dataclass
class ScaleReport:
    communities: int = 0
    buildings: int = 0
    dwellings: int = 0
    residents: int = 0


def scale_district() -> Area:
    """The synthetic district (created on first use)."""
    district, _created = Area.objects.get_or_create(
        parent=None, code=SCALE_CODE, defaults={"kind": AreaKind.DISTRICT, "name": "基准测试区"}
    )
    return district


def scale_communities(district: Area) -> int:
    """How many communities the synthetic district holds."""
    return _existing_communities(district)


def seed_scale(residents: int, *, seed: int = 2026, progress: Callable[[str], None] = print) -> ScaleReport:
    """Build (or extend) the synthetic district until it holds ``residents`` more residents."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    report = ScaleReport()
    district = scale_district()
    tags = list(PersonTag.objects.all()[:8])
    serial = Person.objects.filter(scope__startswith=district.path + ".").count()
    left = residents
    while left > 0:
        count = min(left, RESIDENTS_PER_COMMUNITY)
        with transaction.atomic():
            community = _next_community(district, _existing_communities(district))
            dwellings = _lay_out_community(community, count, rng, report)
            _add_residents(community, dwellings, count, serial, rng, tags)
        serial += count
        left -= count
        report.communities += 1
        report.residents += count
        progress(f"{report.residents:>9,d} / {residents:,d} residents")
    return report


def seed_places(communities: int, *, seed: int = 2026, progress: Callable[[str], None] = print) -> ScaleReport:
    """Add ``communities`` communities laid out as for ``RESIDENTS_PER_COMMUNITY`` residents (grids,
    an estate, buildings, units, dwellings) but without residents: the places other generators
    (appeals) need, at a fraction of the cost of people."""
    rng = random.Random(seed + 1)  # noqa: S311 - synthetic data, reproducible on purpose
    report = ScaleReport()
    district = scale_district()
    for _ in range(communities):
        with transaction.atomic():
            community = _next_community(district, _existing_communities(district))
            _lay_out_community(community, RESIDENTS_PER_COMMUNITY, rng, report)
        report.communities += 1
        progress(f"{report.communities:>9,d} / {communities:,d} communities")
    return report


def _existing_communities(district: Area) -> int:
    return Area.objects.filter(kind=AreaKind.COMMUNITY, path__startswith=district.path + ".").count()


def _next_community(district: Area, index: int) -> Area:
    """The next free community slot: twelve communities to a subdistrict."""
    while True:
        sub_code = f"{index // COMMUNITIES_PER_SUBDISTRICT + 1:02d}"
        sub, _created = Area.objects.get_or_create(
            parent=district, code=sub_code, defaults={"kind": AreaKind.SUBDISTRICT, "name": f"第{sub_code}街道"}
        )
        code = f"{index % COMMUNITIES_PER_SUBDISTRICT + 1:03d}"
        if not Area.objects.filter(parent=sub, code=code).exists():
            break
        index += 1
    community = Area.objects.create(parent=sub, code=code, kind=AreaKind.COMMUNITY, name=f"{sub.name}第{code}社区")
    for n in range(1, GRIDS_PER_COMMUNITY + 1):
        Area.objects.create(parent=community, code=f"{n:02d}", kind=AreaKind.GRID, name=f"{community.name}第{n}网格")
    return community


def _lay_out_community(community: Area, residents: int, rng: random.Random, report: ScaleReport) -> list[Dwelling]:
    grids = list(community.children.order_by("code"))
    per_building = UNITS * FLOORS * PER_FLOOR
    buildings_needed = max(1, round(residents / RESIDENTS_PER_DWELLING / per_building + 0.5))
    dwellings: list[Dwelling] = []
    estate = None
    for b in range(buildings_needed):
        if b % BUILDINGS_PER_ESTATE == 0:
            name = f"{rng.choice(GIVEN)}{rng.choice(GIVEN)}{rng.choice(ESTATE_WORDS)}"
            estate = Estate.objects.create(community=community, name=f"{name}{b // BUILDINGS_PER_ESTATE + 1}期")
        building = Building.objects.create(
            estate=estate, grid=grids[b % len(grids)], number=f"{b % BUILDINGS_PER_ESTATE + 1}座", floors=FLOORS
        )
        units = Unit.objects.bulk_create(
            [Unit(building=building, number=f"{u}单元", scope=building.scope) for u in range(1, UNITS + 1)]
        )
        for unit in units:
            dwellings += lay_out_dwellings(
                unit, floors=FLOORS, per_floor=PER_FLOOR, area=lambda f, r: Decimal(60 + (f * 7 + r * 13) % 70)
            )
        report.buildings += 1
    bulk_load(Dwelling, dwellings)
    report.dwellings += len(dwellings)
    return dwellings


def _people(
    community: Area, dwellings: list[Dwelling], count: int, serial: int, rng: random.Random
) -> Iterator[tuple[Person, Residence]]:
    for i in range(count):
        dwelling = dwellings[int(i / RESIDENTS_PER_DWELLING) % len(dwellings)]
        number = serial + i
        name = rng.choice(SURNAMES[:-2]) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        person = Person(
            community=community,
            name=name,
            id_number=id_number(number) if rng.random() < 0.9 else "",
            phone=f"+86139{number:08d}" if rng.random() < 0.8 else "",
            gender="",
            scope=dwelling.scope,
        )
        relation = ResidenceRelation.OWNER if i % 3 == 0 else rng.choice(list(ResidenceRelation))
        yield person, Residence(dwelling=dwelling, relation=relation, status=rng.choice(list(ResidenceStatus)))


def _add_residents(
    community: Area, dwellings: list[Dwelling], count: int, serial: int, rng: random.Random, tags: list[PersonTag]
) -> None:
    batch: list[tuple[Person, Residence]] = []
    for pair in _people(community, dwellings, count, serial, rng):
        batch.append(pair)
        if len(batch) == BATCH:
            _flush(batch, rng, tags)
            batch = []
    if batch:
        _flush(batch, rng, tags)


def _flush(batch: list[tuple[Person, Residence]], rng: random.Random, tags: list[PersonTag]) -> None:
    for person, _residence in batch:
        if person.id_number:
            parsed = parse_id_number(person.id_number)
            person.birth_date, person.gender = parsed.birth_date, parsed.sex
    write_planned(batch)
    if tags:
        bulk_load(
            PersonTagging, [PersonTagging(person=p, tag=rng.choice(tags)) for p, _r in batch if rng.random() < 0.15]
        )

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
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuren.core import crypto
from shuren.core.bulk import bulk_load
from shuren.people.models import (
    PHONE_INDEX_PURPOSE,
    Person,
    PersonTag,
    PersonTagging,
    Residence,
    ResidenceRelation,
    ResidenceStatus,
    id_index_of,
    pinyin_of,
)
from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate, Unit
from shuren.places.services import lay_out_dwellings
from shuren.synthetic.bulk_rows import BulkWriter

SCALE_CODE = "SCALE"
RESIDENTS_PER_COMMUNITY = 8_000
COMMUNITIES_PER_SUBDISTRICT = 12
GRIDS_PER_COMMUNITY = 4
BUILDINGS_PER_ESTATE = 20
UNITS, FLOORS, PER_FLOOR = 2, 18, 4  # 144 dwellings per building
RESIDENTS_PER_DWELLING = 2.8
BATCH = 5_000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程苏魏吕丁任沈姚卢欧阳"
# Given-name characters, as men's and women's names use them: a resident's name matches the sex
# their ID number encodes.
GIVEN_MALE = "伟强磊军洋勇杰涛明超平刚华鹏辉建国志文嘉浩宇子轩伯荣"
GIVEN_FEMALE = "芳娜敏静丽艳娟秀霞桂英玉兰萍红欣怡梓涵婉仪淑芬晓婷"
GIVEN = GIVEN_MALE + GIVEN_FEMALE
ESTATE_WORDS = ["花园", "新城", "雅苑", "豪庭", "名苑", "家园", "新村", "华庭"]
AREA_CODES = ["110105", "310104", "440106", "440103", "440605", "510107"]  # valid region codes


def _id_parts(serial: int) -> tuple[str, dt.date, int]:
    """Region code, birth date and sequence of the serial's ID number."""
    region = AREA_CODES[serial % len(AREA_CODES)]
    sequence = (serial // len(AREA_CODES)) % 1000
    # Birth dates spread over 80 years from the first serial on (not one date per 6,000 serials):
    # for a given region and sequence (serial % 6,000) the day still differs for every block of
    # 6,000 serials (7,919 is prime to 29,200), so numbers stay distinct up to 175 million serials.
    block, within = divmod(serial, len(AREA_CODES) * 1000)
    born = dt.date(1940, 1, 1) + dt.timedelta(days=(block * 7919 + within * 4877) % (80 * 365))
    return region, born, sequence


def is_male(serial: int) -> bool:
    """The sex the serial's ID number encodes (its 17th digit, the sequence's last, odd for men)."""
    return _id_parts(serial)[2] % 2 == 1


def _with_check_digit(body: str) -> str:
    from stdnum.cn import ric

    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def id_number(serial: int) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit); distinct serials give distinct
    numbers (region, birth date and sequence are all taken from the serial)."""
    region, born, sequence = _id_parts(serial)
    return _with_check_digit(f"{region}{born:%Y%m%d}{sequence:03d}")


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
    writer, pinyin = BulkWriter(), _pinyin_of_characters()
    left = residents
    while left > 0:
        count = min(left, RESIDENTS_PER_COMMUNITY)
        with transaction.atomic():
            community = _next_community(district, _existing_communities(district))
            dwellings = _lay_out_community(community, count, rng, report)
            _add_residents(community, dwellings, count, serial, rng, tags, writer, pinyin)
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
        assert estate is not None  # the first building (b == 0) opens the first estate
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


# The pinyin of every character of the generator's names: a name's pinyin is its characters' in a
# row (pinyin_of agrees for every name the alphabet can make, checked by the tests), at a fraction
# of pypinyin's cost per name.
def _pinyin_of_characters() -> dict[str, tuple[str, str]]:
    return {c: pinyin_of(c) for c in SURNAMES[:-2] + GIVEN}


def _add_residents(
    community: Area,
    dwellings: list[Dwelling],
    count: int,
    serial: int,
    rng: random.Random,
    tags: list[PersonTag],
    writer: BulkWriter,
    pinyin: dict[str, tuple[str, str]],
) -> None:
    """Each resident as ``Person.save`` would store them: the ID number and mobile encrypted by
    their fields, the blind indexes, phone tail and pinyin that ``Person.derive_fields`` computes
    (with the same functions), the birth date and sex the ID number encodes; a residence in a
    dwelling of the community and, for some, a tag."""
    people, residences, taggings = writer.table(Person), writer.table(Residence), writer.table(PersonTagging)
    person_ids = writer.ids(Person, block=BATCH)
    residence_ids, tagging_ids = writer.ids(Residence, block=BATCH), writer.ids(PersonTagging, block=BATCH)
    now = timezone.now()
    relations, statuses = list(ResidenceRelation), list(ResidenceStatus)
    surnames = SURNAMES[:-2]
    for i in range(count):
        dwelling = dwellings[int(i / RESIDENTS_PER_DWELLING) % len(dwellings)]
        number = serial + i
        given = GIVEN_MALE if is_male(number) else GIVEN_FEMALE
        name = rng.choice(surnames) + rng.choice(given) + (rng.choice(given) if rng.random() < 0.7 else "")
        values: dict[str, Any] = {}
        if rng.random() < 0.9:
            region, born, sequence = _id_parts(number)
            id_text = _with_check_digit(f"{region}{born:%Y%m%d}{sequence:03d}")
            values = {
                "id_number": people.prep("id_number", id_text),
                "id_index": id_index_of(id_text),
                "birth_date": born,
                "gender": "M" if is_male(number) else "F",  # the 17th digit, as parse_id_number reads it
            }
        if rng.random() < 0.8:
            phone = f"+86139{number:08d}"
            values |= {
                "phone": people.prep("phone", phone),
                "phone_index": crypto.blind_index(phone, purpose=PHONE_INDEX_PURPOSE),
                "phone_tail": phone[-4:],
            }
        spelled = [pinyin[c] for c in name]
        pk = person_ids()
        people.add(
            id=pk,
            community_id=community.pk,
            name=name,
            name_pinyin="".join(full for full, _initial in spelled),
            name_initials="".join(initial for _full, initial in spelled),
            scope=dwelling.scope,
            created_at=now,
            updated_at=now,
            **values,
        )
        relation = ResidenceRelation.OWNER if i % 3 == 0 else rng.choice(relations)
        residences.add(
            id=residence_ids(),
            person_id=pk,
            dwelling_id=dwelling.pk,
            relation=relation,
            status=rng.choice(statuses),
            scope=dwelling.scope,
            created_at=now,
            updated_at=now,
        )
        if tags and rng.random() < 0.15:
            taggings.add(id=tagging_ids(), person_id=pk, tag_id=rng.choice(tags).pk)
        if len(people.rows) == BATCH:
            writer.flush()
    writer.flush()

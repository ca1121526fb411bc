"""Importing residents from a 100,000-row spreadsheet, against a plain bulk insert of the same rows.

    .venv/bin/python bench/import_residents.py [--rows 100000]

The community, its estate and dwellings are created first (not timed). Then, each inside a
transaction that is rolled back afterwards so the runs do not disturb each other:

* import      - ``people.services.imports.import_residents`` on the xlsx file: read, validate every row,
                check duplicates, encrypt ID numbers and mobiles, blind indexes, pinyin, write people
                and residences, audit (what staff get from the import page and the command line);
* check only  - the same with ``dry_run=True`` (read and validate, no write);
* floor       - the same rows already parsed, written with multi-row INSERTs (1,000 rows each) in
                plain SQL into the two tables, with no validation, encryption or derived columns.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Figure, database_name, machine, report, setup_django, stopwatch  # noqa: E402


def build_place(rows: int):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from shuren.places.models import Area, AreaKind, Building, Dwelling, Estate, Unit
    from shuren.places.services import lay_out_dwellings

    district, _ = Area.objects.get_or_create(
        parent=None, code="BENCH", defaults={"kind": AreaKind.DISTRICT, "name": "导入基准区"}
    )
    sub, _ = Area.objects.get_or_create(
        parent=district, code="01", defaults={"kind": AreaKind.SUBDISTRICT, "name": "基准街道"}
    )
    community, created = Area.objects.get_or_create(
        parent=sub, code="001", defaults={"kind": AreaKind.COMMUNITY, "name": "基准社区"}
    )
    grid, _ = Area.objects.get_or_create(
        parent=community, code="01", defaults={"kind": AreaKind.GRID, "name": "基准网格"}
    )
    estate, _ = Estate.objects.get_or_create(community=community, name="基准花园")
    buildings = max(1, rows // 2800 + 1)  # about 2.8 residents per dwelling, 144 dwellings per building
    if created or not Dwelling.objects.filter(unit__building__estate=estate).exists():
        dwellings = []
        for b in range(1, buildings + 1):
            building = Building.objects.create(estate=estate, grid=grid, number=f"{b}座", floors=18)
            for u in (1, 2):
                unit = Unit.objects.create(building=building, number=f"{u}单元")
                dwellings += lay_out_dwellings(unit, floors=18, per_floor=4, area=lambda f, r: Decimal("88.00"))
        Dwelling.objects.bulk_create(dwellings, batch_size=5000)
    keys = [
        (estate.name, d.unit.building.number, d.unit.number, d.room)
        for d in Dwelling.objects.filter(unit__building__estate=estate).select_related("unit__building")
    ]
    return community, keys


def build_rows(count: int, keys: list[tuple[str, str, str, str]]) -> list[list[str]]:
    import random

    from shuren.synthetic.district import GIVEN, SURNAMES, id_number

    rng = random.Random(7)  # noqa: S311 - synthetic data
    rows = []
    for i in range(count):
        estate, building, unit, room = keys[i % len(keys)]
        name = rng.choice(SURNAMES[:-2]) + rng.choice(GIVEN) + rng.choice(GIVEN)
        rows.append(
            [
                name,
                id_number(50_000_000 + i),
                f"137{i:08d}",
                estate,
                building,
                unit,
                room,
                ["业主", "租户", "家庭成员"][i % 3],
                ["户籍", "常住", "流动"][i % 3],
                "汉族",
            ]
        )
    return rows


def workbook(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    from shuren.people.services.imports import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("居民信息")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Rollback(Exception):
    pass


def timed_and_rolled_back(work) -> float:  # type: ignore[no-untyped-def]
    from django.db import transaction

    seconds = 0.0
    try:
        with transaction.atomic():
            with stopwatch() as elapsed:
                work()
            seconds = elapsed()
            raise Rollback
    except Rollback:
        pass
    return seconds


FLOOR_BATCH = 1000  # rows per multi-row INSERT (within SQLite's limit on bound parameters)


def plain_insert(community, rows, dwellings_by_key) -> None:  # type: ignore[no-untyped-def]
    """The floor: the same people and residences, parsed, written with multi-row INSERTs in plain SQL."""
    import datetime as dt

    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from shuren.people.models import Person, Residence

    now = timezone.now()
    first = (Person.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    first_residence = (Residence.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    people, residences = [], []
    for i, row in enumerate(rows):
        dwelling_id, scope = dwellings_by_key[tuple(row[3:7])]
        number = row[1]
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        people.append(
            (
                first + i,
                now,
                now,
                1,
                scope,
                community.pk,
                row[0],
                "M",
                birth,
                row[9],
                number,
                number,
                "+86" + row[2],
                "",
                row[2][-4:],
                "",
                "",
            )
        )
        residences.append((first_residence + i, now, now, scope, first + i, dwelling_id, "owner", "permanent"))
    person_sql = (
        "INSERT INTO people_person (id, created_at, updated_at, version, scope, community_id, name, gender, "
        "birth_date, ethnicity, id_number, id_index, phone, phone_index, phone_tail, name_pinyin, name_initials) "
        "VALUES "
    )
    residence_sql = (
        "INSERT INTO people_residence (id, created_at, updated_at, scope, person_id, dwelling_id, relation, status) "
        "VALUES "
    )
    with connection.cursor() as cursor:
        for sql, rows_ in ((person_sql, people), (residence_sql, residences)):
            placeholders = "(" + ", ".join(["%s"] * len(rows_[0])) + ")"
            for start in range(0, len(rows_), FLOOR_BATCH):
                batch = rows_[start : start + FLOOR_BATCH]
                cursor.execute(sql + ", ".join([placeholders] * len(batch)), [v for row in batch for v in row])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from shuren.people.models import Person
    from shuren.people.services.imports import import_residents
    from shuren.places.models import Dwelling

    print(f"# import benchmark: {args.rows:,d} rows · {database_name()} · {machine()}", flush=True)
    community, keys = build_place(args.rows)
    rows = build_rows(args.rows, keys)
    data = workbook(rows)
    dwellings_by_key = {
        (d.unit.building.estate.name, d.unit.building.number, d.unit.number, d.room): (d.pk, d.scope)
        for d in Dwelling.objects.filter(unit__building__estate__community=community).select_related(
            "unit__building__estate"
        )
    }
    before = Person.objects.count()
    outcome = {}

    def run_import(dry_run: bool) -> None:
        outcome["result"] = import_residents(actor=None, community=community, data=data, dry_run=dry_run)

    check_s = timed_and_rolled_back(lambda: run_import(True))
    assert outcome["result"].ok, outcome["result"].errors[:5]
    import_s = timed_and_rolled_back(lambda: run_import(False))
    assert outcome["result"].created == args.rows
    floor_s = timed_and_rolled_back(lambda: plain_insert(community, rows, dwellings_by_key))
    assert Person.objects.count() == before  # every run was rolled back
    n = args.rows
    report(
        [
            Figure(
                "import residents",
                f"import {n:,d} rows (rows/s)",
                n / import_s,
                "r/s",
                n / floor_s,
                "plain SQL multi-row INSERT",
            ),
            Figure(
                "import residents",
                f"check only {n:,d} rows (rows/s)",
                n / check_s,
                "r/s",
                n / floor_s,
                "plain SQL multi-row INSERT",
            ),
        ],
        "import_residents",
    )
    print(f"import {import_s:.1f} s · check only {check_s:.1f} s · floor {floor_s:.1f} s", flush=True)


if __name__ == "__main__":
    main()

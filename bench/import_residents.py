"""Importing residents from a 100,000-row spreadsheet, against plain bulk writes of the same rows.

    .venv/bin/python bench/import_residents.py [--rows 100000] [--repeat 1]

The community, its estate and dwellings are created first (not timed). Then, each inside a
transaction that is rolled back afterwards so the runs do not disturb each other (on PostgreSQL
the two tables are vacuumed between runs, untimed, so that no run inherits the dead rows and index
entries of the one before):

* import      - ``people.services.imports.import_residents`` on the xlsx file: read, validate every row,
                check duplicates, encrypt ID numbers and mobiles, blind indexes, pinyin, write people
                and residences, audit (what staff get from the import page and the command line);
* check only  - the same with ``dry_run=True`` (read and validate, no write);
* COPY floor  - the same people and residences rows the import writes, already parsed and
                prepared (ciphertexts, blind indexes, pinyin, scopes: the same bytes), written the
                plainest way: ids from the sequence and one COPY per table on PostgreSQL; on SQLite,
                which has no COPY, ids past the largest and one ``executemany`` per table (as fast
                there as multi-row INSERTs of these rows);
* INSERT floor - the earlier floor, kept for comparison with earlier figures: the rows with plain
                text in place of ciphertexts and no pinyin, written with multi-row INSERTs (1,000
                rows each).

``--repeat N`` runs each N times, alternating, and keeps each one's best time (a shared machine).
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


def prepared_rows(community, rows, dwellings_by_key):  # type: ignore[no-untyped-def]
    """The people and residences rows the import writes for ``rows``, in database form (not timed):
    person rows without their id, residence rows without the person's id."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from shuren.core import crypto
    from shuren.people.models import PHONE_INDEX_PURPOSE, Person, id_index_of
    from shuren.people.pinyin import pinyin_of

    relations = {"业主": "owner", "租户": "tenant", "家庭成员": "family"}
    statuses = {"户籍": "registered", "常住": "permanent", "流动": "floating"}
    id_field, phone_field = Person._meta.get_field("id_number"), Person._meta.get_field("phone")
    now = timezone.now()
    sqlite = connection.vendor != "postgresql"
    stamp = connection.ops.adapt_datetimefield_value(now) if sqlite else now
    people, homes = [], []
    for row in rows:
        dwelling_id, scope = dwellings_by_key[tuple(row[3:7])]
        number, phone = row[1], "+86" + row[2]
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        full, initials = pinyin_of(row[0])
        people.append(
            (
                stamp,
                stamp,
                1,
                scope,
                community.pk,
                row[0],
                "M" if int(number[16]) % 2 else "F",
                birth.isoformat() if sqlite else birth,
                row[9],
                id_field.get_prep_value(number),
                id_index_of(number),
                phone_field.get_prep_value(phone),
                crypto.blind_index(phone, purpose=PHONE_INDEX_PURPOSE),
                phone[-4:],
                full,
                initials,
                None,
            )
        )
        homes.append((stamp, stamp, scope, dwelling_id, relations[row[7]], statuses[row[8]]))
    return people, homes


PERSON_SQL_COLUMNS = (
    "id, created_at, updated_at, version, scope, community_id, name, gender, birth_date, ethnicity, id_number, "
    "id_index, phone, phone_index, phone_tail, name_pinyin, name_initials, user_id"
)
RESIDENCE_SQL_COLUMNS = "created_at, updated_at, scope, person_id, dwelling_id, relation, status"


def copy_floor(people, homes) -> None:  # type: ignore[no-untyped-def]
    """The COPY floor: ids, then the prepared rows of both tables in one COPY each (on SQLite, which
    has no COPY, one ``executemany`` each)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('people_person', 'id')) FROM generate_series(1, %s)",
                [len(people)],
            )
            ids = [value for (value,) in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY people_person ({PERSON_SQL_COLUMNS}) FROM STDIN") as copy:
                for pk, row in zip(ids, people, strict=True):
                    copy.write_row((pk, *row))
            with cursor.cursor.copy(f"COPY people_residence ({RESIDENCE_SQL_COLUMNS}) FROM STDIN") as copy:
                for pk, row in zip(ids, homes, strict=True):
                    copy.write_row((*row[:3], pk, *row[3:]))
            return
        cursor.execute(
            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'people_person'), 0), "
            "COALESCE((SELECT MAX(id) FROM people_person), 0))"
        )
        first = cursor.fetchone()[0] + 1
        ids = range(first, first + len(people))
        cursor.executemany(
            f"INSERT INTO people_person ({PERSON_SQL_COLUMNS}) VALUES ({', '.join(['%s'] * 18)})",  # noqa: S608
            [(pk, *row) for pk, row in zip(ids, people, strict=True)],
        )
        cursor.executemany(
            f"INSERT INTO people_residence ({RESIDENCE_SQL_COLUMNS}) VALUES ({', '.join(['%s'] * 7)})",  # noqa: S608
            [(*row[:3], pk, *row[3:]) for pk, row in zip(ids, homes, strict=True)],
        )


def settle() -> None:
    """Between runs (not timed): on PostgreSQL, vacuum away the rolled-back rows and their index entries."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM people_person, people_residence")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="run each N times, keep the best")
    args = parser.parse_args()
    setup_django()
    from shuren.people.models import Person
    from shuren.people.pinyin import character_pinyin, pinyin_of
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
        assert outcome["result"].ok, outcome["result"].errors[:5]

    prepared: list = []  # the floor's rows, made after the first import so that they warm none of its caches
    runs = {
        "check only": lambda: run_import(True),
        "import": lambda: run_import(False),
        "COPY floor": lambda: copy_floor(*prepared),
        "INSERT floor": lambda: plain_insert(community, rows, dwellings_by_key),
    }
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, work in runs.items():
            settle()
            if name == "COPY floor" and not prepared:
                prepared.extend(prepared_rows(community, rows, dwellings_by_key))
            if name == "import":  # each import spells its names afresh (pypinyin stays loaded after the first)
                pinyin_of.cache_clear()
                character_pinyin.cache_clear()
            seconds = timed_and_rolled_back(work)
            best[name] = min(best.get(name, seconds), seconds)
            if name == "import":
                assert outcome["result"].created == args.rows
    assert Person.objects.count() == before  # every run was rolled back
    n = args.rows
    copy_name = "same rows, COPY" if database_name().startswith("postgresql") else "same rows, executemany"
    report(
        [
            Figure(
                "import residents",
                f"import {n:,d} rows (rows/s)",
                n / best["import"],
                "r/s",
                n / best["COPY floor"],
                copy_name,
            ),
            Figure(
                "import residents",
                f"import {n:,d} rows vs INSERT (rows/s)",
                n / best["import"],
                "r/s",
                n / best["INSERT floor"],
                "plain SQL multi-row INSERT",
            ),
            Figure(
                "import residents",
                f"check only {n:,d} rows (rows/s)",
                n / best["check only"],
                "r/s",
                n / best["COPY floor"],
                copy_name,
            ),
        ],
        "import_residents",
    )
    print(" · ".join(f"{name} {seconds:.1f} s" for name, seconds in best.items()), flush=True)


if __name__ == "__main__":
    main()

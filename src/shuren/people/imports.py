"""Importing residents from the spreadsheet community staff already keep (居民信息登记表).

Everything is validated first; every bad row is reported with its row number, column and reason in
the user's language; only a file without errors is written, in one transaction (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.audit.services import record_event
from shuren.core.bulk import bulk_load
from shuren.core.scoping import require
from shuren.core.spreadsheets import MAX_ROWS, ImportResult, RowError, SheetRejected, open_rows, template, too_many_rows
from shuren.core.validators import normalize_phone, parse_id_number
from shuren.places.models import Area, Dwelling

from .models import Person, Residence, ResidenceRelation, ResidenceStatus, id_index_of

# Column headings exactly as in the template (the first sheet, first row).
COLUMNS = ["姓名", "身份证号", "手机号", "小区", "楼栋", "单元", "房号", "与房屋关系", "居住类型", "民族"]
REQUIRED = {"姓名", "小区", "楼栋", "单元", "房号", "与房屋关系", "居住类型"}
RELATIONS = {"业主": ResidenceRelation.OWNER, "租户": ResidenceRelation.TENANT, "家庭成员": ResidenceRelation.FAMILY}
STATUSES = {"户籍": ResidenceStatus.REGISTERED, "常住": ResidenceStatus.PERMANENT, "流动": ResidenceStatus.FLOATING}


EXAMPLE = ["林小梅", "440602199001011237", "13800138001", "富丰新城", "1座", "1单元", "101", "业主", "常住", "汉族"]


def blank_template() -> bytes:
    """The downloadable template: the headings, one example row and a sheet explaining the columns."""
    return template(
        title="居民信息",
        columns=COLUMNS,
        example=[
            "林小梅",
            "440602199001011237",
            "13800138001",
            "富丰新城",
            "1座",
            "1单元",
            "101",
            "业主",
            "常住",
            "汉族",
        ],
        notes=[
            ("姓名", "必填"),
            ("身份证号", "选填；18 位，末位可为 X；同一号码全平台只登记一次"),
            ("手机号", "选填；11 位手机号"),
            ("小区 / 楼栋 / 单元 / 房号", "必填；须与系统中已登记的房屋一致"),
            ("与房屋关系", "业主、租户、家庭成员"),
            ("居住类型", "户籍、常住、流动"),
        ],
    )


def _check_already_registered(seen_ids: dict[str, int], result: ImportResult) -> None:
    """One query per thousand rows, not one per row: which of the file's ID numbers exist already."""
    by_index = {id_index_of(number): row for number, row in seen_ids.items()}
    indexes = list(by_index)
    for start in range(0, len(indexes), 1000):
        for index in Person.objects.filter(id_index__in=indexes[start : start + 1000]).values_list(
            "id_index", flat=True
        ):
            result.errors.append(
                RowError(by_index[index], "身份证号", _("Already registered; update that person instead."))
            )
    result.errors.sort(key=lambda error: error.row)


BATCH = 2000


def write_planned(planned: list[tuple[Person, Residence]]) -> None:
    """Insert validated people and their residences in batches (inside the caller's transaction):
    COPY on PostgreSQL, ``bulk_create`` elsewhere (``core.bulk``). Neither calls ``save``, so the
    derived columns are computed here first."""
    for start in range(0, len(planned), BATCH):
        batch = planned[start : start + BATCH]
        for person, _residence in batch:
            person.derive_fields()
        bulk_load(Person, [person for person, _residence in batch])  # sets the primary keys
        for person, residence in batch:
            residence.person = person
            residence.scope = residence.dwelling.scope
        bulk_load(Residence, [residence for _person, residence in batch])


Progress = Callable[[str, int, int | None], None]  # (phase, rows checked, rows in the file)
PROGRESS_EVERY = 1000


def import_residents(
    *,
    actor: Any,
    community: Area,
    data: bytes,
    dry_run: bool = False,
    progress: Progress | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Validate every row of ``data`` (an xlsx file) and, if none is wrong and not ``dry_run``,
    register the people and their residences in ``community`` in one transaction. ``actor=None`` is
    the operator at the server's command line. ``progress`` hears ("checking", n, total) every
    thousand rows and ("writing", n, total) before the write, outside the write's transaction.
    ``before_commit`` is called inside that transaction once everything is written (a worker
    records its job as done there, so rows and outcome commit together or not at all)."""
    if actor is not None:
        require(actor, "people.change_person", community)
    result = ImportResult(dry_run=dry_run)
    try:
        rows, total = open_rows(data, columns=COLUMNS, required=REQUIRED)
    except SheetRejected as exc:
        result.errors.append(exc.error)
        return result
    dwellings = {
        (d.unit.building.estate.name, d.unit.building.number, d.unit.number, d.room): d
        for d in Dwelling.objects.filter(unit__building__estate__community=community).select_related(
            "unit__building__estate"
        )
    }
    seen_ids: dict[str, int] = {}
    planned: list[tuple[Person, Residence]] = []
    for number, row in rows:
        result.rows += 1
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress("checking", result.rows, total)
        if result.rows > MAX_ROWS:
            result.errors.append(too_many_rows(number))
            break
        errors_before = len(result.errors)

        def fail(column: str, reason: str, number: int = number) -> None:
            result.errors.append(RowError(number, column, reason))

        for column in REQUIRED:
            if not row.get(column):
                fail(column, _("Required."))
        id_number = birth_date = gender = None
        if row.get("身份证号"):
            try:
                parsed = parse_id_number(row["身份证号"])
            except ValidationError as exc:
                fail("身份证号", " ".join(exc.messages))
            else:
                id_number, birth_date, gender = parsed.number, parsed.birth_date, parsed.sex
                if id_number in seen_ids:
                    fail("身份证号", _("The same ID number is on row %(row)d.") % {"row": seen_ids[id_number]})
                seen_ids.setdefault(id_number, number)
        phone = ""
        if row.get("手机号"):
            try:
                phone = normalize_phone(row["手机号"])
            except ValidationError as exc:
                fail("手机号", " ".join(exc.messages))
        relation = RELATIONS.get(row.get("与房屋关系", ""))
        if row.get("与房屋关系") and relation is None:
            fail("与房屋关系", _("Use one of: %(values)s.") % {"values": "、".join(RELATIONS)})
        status = STATUSES.get(row.get("居住类型", ""))
        if row.get("居住类型") and status is None:
            fail("居住类型", _("Use one of: %(values)s.") % {"values": "、".join(STATUSES)})
        key = (row.get("小区", ""), row.get("楼栋", ""), row.get("单元", ""), row.get("房号", ""))
        dwelling = dwellings.get(key)
        if all(key) and dwelling is None:
            fail("房号", _("No such dwelling in this community: %(address)s.") % {"address": "".join(key)})
        if len(result.errors) == errors_before:
            person = Person(
                community=community,
                name=row["姓名"][:50],
                id_number=id_number or "",
                phone=phone,
                birth_date=birth_date,
                gender=gender or "",
                ethnicity=row.get("民族") or "汉族",
                scope=dwelling.scope,
            )
            planned.append((person, Residence(dwelling=dwelling, relation=relation, status=status)))
    _check_already_registered(seen_ids, result)
    if result.errors or dry_run:
        return result
    if progress is not None:
        progress("writing", result.rows, total)
    with transaction.atomic():
        write_planned(planned)
        result.created = len(planned)
        record_event(
            "people.import",
            actor=actor,
            obj=community,
            detail={"rows": result.rows, "created": result.created, "via": "web" if actor else "command line"},
        )
        if before_commit is not None:
            before_commit(result)
    return result

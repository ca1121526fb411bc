"""Importing residents from the spreadsheet community staff already keep (居民信息登记表).

Everything is validated first; every bad row is reported with its row number, column and reason in
the user's language; only a file without errors is written, in one transaction (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import DateField, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core import crypto
from shuren.core.scoping import require
from shuren.core.spreadsheets import ImportResult, RowError, SheetRejected, open_rows, template
from shuren.core.validators import PROVINCE_CODES, clean_text, normalize_phone, parse_id_number
from shuren.places.models import Area, Dwelling

from ..models import PHONE_INDEX_PURPOSE, Person, Residence, ResidenceRelation, ResidenceStatus, id_index_of
from ..pinyin import pinyin_of

# Column headings exactly as in the template (the first sheet, first row).
COLUMNS = ["姓名", "身份证号", "手机号", "小区", "楼栋", "单元", "房号", "与房屋关系", "居住类型", "民族"]
REQUIRED = {"姓名", "小区", "楼栋", "单元", "房号", "与房屋关系", "居住类型"}
RELATIONS = {"业主": ResidenceRelation.OWNER, "租户": ResidenceRelation.TENANT, "家庭成员": ResidenceRelation.FAMILY}
STATUSES = {"户籍": ResidenceStatus.REGISTERED, "常住": ResidenceStatus.PERMANENT, "流动": ResidenceStatus.FLOATING}


EXAMPLE = ["林小梅", "440602199001011245", "13800138001", "富丰新城", "1座", "1单元", "101", "业主", "常住", "汉族"]


def blank_template() -> bytes:
    """The downloadable template: the headings, one example row and a sheet explaining the columns."""
    return template(
        title="居民信息",
        columns=COLUMNS,
        text_columns=["身份证号", "手机号"],
        example=[
            "林小梅",
            "440602199001011245",
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
            (
                "身份证号",
                "选填；18 位，末位可为 X；同一号码全平台只登记一次。须以文本格式填写（将该列设为“文本”，"
                "或在号码前加英文单引号 '）：按数字填写时 Excel 只保留 15 位，这样的行会被拒绝",
            ),
            ("手机号", "选填；11 位手机号；建议以文本格式填写"),
            ("小区 / 楼栋 / 单元 / 房号", "必填；须与系统中已登记的房屋一致"),
            ("与房屋关系", "业主、租户、家庭成员"),
            ("居住类型", "户籍、常住、流动"),
            ("全角字符", "全角数字和字母、号码中的空格和短横线均可，导入时自动转换；零宽字符等不可见字符会被去掉"),
            (
                "重复导入",
                "没有身份证号的行，若同一房屋已登记了姓名和手机号都相同的居民，不会重复添加，导入结果会逐行列出",
            ),
        ],
    )


def _check_already_registered(seen_ids: dict[str, tuple[int, str]], result: ImportResult) -> None:
    """One query per thousand rows, not one per row: which of the file's ID numbers exist already.
    ``seen_ids`` maps each ID number to its row and its blind index."""
    by_index: dict[str | None, int] = {index: row for row, index in seen_ids.values()}
    for index in _registered_id_indexes(list(by_index)):
        result.errors.append(
            RowError(by_index[index], "身份证号", _("Already registered; update that person instead."))
        )
    result.errors.sort(key=lambda error: error.row)


def _registered_id_indexes(indexes: list[str | None]) -> list[str | None]:
    """Which of ``indexes`` (hexadecimal digests) people already have: on PostgreSQL in one query,
    the indexes sent as one comma-separated text (as an array, psycopg would look at each for
    characters to quote); elsewhere a thousand at a time."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('id_index')} FROM {quote(Person._meta.db_table)} "  # noqa: S608
                f"WHERE {quote('id_index')} = ANY(string_to_array(%s, ','))",
                [",".join(index for index in indexes if index)],
            )
            return [index for (index,) in cursor.fetchall()]
    found: list[str | None] = []
    for start in range(0, len(indexes), 1000):
        found += Person.objects.filter(id_index__in=indexes[start : start + 1000]).values_list("id_index", flat=True)
    return found


@dataclass
class ResidentImportResult(ImportResult):
    """An import's outcome, with the rows left out because the resident is already registered."""

    duplicates: list[RowError] = field(default_factory=list)


def _phone_index(phone: str) -> str:
    return crypto.blind_index(phone, purpose=PHONE_INDEX_PURPOSE) if phone else ""


def _same_resident_key(dwelling: Dwelling, name: str, phone_index: str) -> tuple[int, str, str]:
    """Who a row without an ID number is: the same name and mobile number (or the same lack of
    one) in the same dwelling."""
    return (dwelling.pk, clean_text(name), phone_index)


def _registered_residents(dwellings: list[Dwelling]) -> dict[tuple[int, str, str], Person]:
    """The current residents of ``dwellings`` by ``_same_resident_key`` (one query per thousand)."""
    found: dict[tuple[int, str, str], Person] = {}
    ids = sorted({d.pk for d in dwellings})
    for start in range(0, len(ids), 1000):
        for residence in Residence.objects.filter(
            dwelling_id__in=ids[start : start + 1000], to_on__isnull=True
        ).select_related("person"):
            person = residence.person
            found.setdefault((residence.dwelling_id, clean_text(person.name), person.phone_index or ""), person)
    return found


def _id_cell_problem(row: dict[str, str]) -> str | None:
    """Why the ID number cell cannot be trusted: stored as a number, Excel has kept 15 digits."""
    if "身份证号" in getattr(row, "numbers", {}):
        return _(
            "The ID number must be typed as text (format the column as Text, or start the number with an "
            "apostrophe '): as a number Excel keeps only 15 digits, so this one may be wrong."
        )
    return None


def _phone_cell(row: dict[str, str]) -> tuple[str, str | None]:
    """The phone cell's text, or why it cannot be trusted: a number cell is fine only when it is an
    exact 11-digit whole number (a mobile number typed as a number loses nothing)."""
    value = getattr(row, "numbers", {}).get("手机号")
    if value is None:
        return row.get("手机号", ""), None
    if float(value).is_integer() and 10**10 <= value < 10**11:
        return str(int(value)), None
    return "", _(
        "The mobile number must be typed as text (format the column as Text): this number cell has lost digits."
    )


def plain_id_number(text: str, *, today: dt.date) -> tuple[str, dt.date, str] | None:
    """``parse_id_number``'s number, birth date and sex for a plain, valid ID number: 17 ASCII digits
    and a digit or X, a known province, a real birth date from 1900 to ``today``, the right check
    character. None for anything else, which ``parse_id_number`` then answers, its message included.
    (It cleans every character first and python-stdnum cleans it again: 20 µs a number.)"""
    if len(text) != 18 or not text.isascii() or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return None
    if text[:2] not in PROVINCE_CODES:
        return None
    try:
        birth = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    if birth > today or birth.year < 1900 or ric.calc_check_digit(text) != text[17]:
        return None
    return text, birth, "M" if int(text[16]) % 2 else "F"


# Whether the mobile numbers of a block (号段: the first seven digits, 1 + network + area code) are
# valid mobile numbers for phonenumbers: its patterns for mainland numbers look at no more than the
# first five digits of an 11-digit number.
_MOBILE_BLOCKS: dict[str, bool] = {}
_MOBILE_SECOND_DIGITS = frozenset("3456789")


def mobile_number(text: str) -> str:
    """``normalize_phone(text)``: the number in E.164 or ValidationError. A plain 11-digit mainland
    mobile number (1[3-9] and nine digits) takes phonenumbers' answer for its block, asked once;
    anything else goes to phonenumbers."""
    if len(text) == 11 and text.isascii() and text.isdigit() and text[0] == "1" and text[1] in _MOBILE_SECOND_DIGITS:
        block = text[:7]
        valid = _MOBILE_BLOCKS.get(block)
        if valid is None:
            try:
                valid = normalize_phone(text) == "+86" + text
            except ValidationError:
                valid = False
            _MOBILE_BLOCKS[block] = valid
        if valid:
            return "+86" + text
    return normalize_phone(text)


@dataclass(slots=True)
class PlannedResident:
    """A checked row, to be written: the person's values as typed and normalised, their home."""

    name: str
    id_number: str
    id_index: str | None
    phone: str
    phone_index: str | None  # None: not computed yet
    birth_date: dt.date | None
    gender: str
    ethnicity: str
    dwelling: Dwelling
    relation: str
    status: str


class Columns:
    """A model's table in database form: rows are tuples of the ``given`` columns' values (by
    attribute name, in that order), completed with every other column's default as its field
    prepares it, and put in the table's order. A column that has no fixed default (the primary key,
    automatic timestamps, a default computed per row) must be given."""

    def __init__(self, model: type[Model], given: Sequence[str], *, connection: Any, with_pk: bool = True) -> None:
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        others = [f for f in fields if f.attname not in given]
        for f in others:
            timestamp = isinstance(f, DateField) and (f.auto_now or f.auto_now_add)
            if f.primary_key or timestamp or (f.has_default() and callable(f.default)):
                raise ValueError(f"{model.__name__}.{f.attname} has no fixed default: give its value")
        unknown = set(given) - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.model = model
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        source = [*given, *(f.attname for f in others)]
        self.order = operator.itemgetter(*[source.index(f.attname) for f in fields])
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(str(f.column)) for f in fields)
        self.width = len(fields)

    def row(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        return self.order(values + self.defaults)


def write_rows(columns: Columns, rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (in ``columns``' form) in the caller's transaction: COPY on PostgreSQL,
    ``executemany`` elsewhere."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The raw psycopg cursor: its errors are turned into Django's (IntegrityError ...) here.
            with connection.wrap_database_errors:
                with cursor.cursor.copy(f"COPY {columns.table} ({columns.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * columns.width)
            # No COPY to stream into: SQLite works in this process, so nothing would overlap anyway.
            cursor.executemany(f"INSERT INTO {columns.table} ({columns.columns}) VALUES ({placeholders})", list(rows))  # noqa: S608


def _reserve_ids(model: type[Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows: drawn from the table's sequence on PostgreSQL; on
    SQLite, past the largest id ever given (the one writer holds the database until it commits)."""
    connection = connections[DEFAULT_DB_ALIAS]
    table, pk = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [value for (value,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT MAX({quote(pk)}) FROM {quote(table)}), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


PERSON_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "scope",
    "community_id",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_number",
    "id_index",
    "phone",
    "phone_index",
    "phone_tail",
    "name_pinyin",
    "name_initials",
)
RESIDENCE_COLUMNS = ("created_at", "updated_at", "scope", "person_id", "dwelling_id", "relation", "status")


def write_planned(community: Area, planned: list[PlannedResident]) -> None:
    """Insert the checked people and their residences (inside the caller's transaction) as table
    rows, stored exactly as ``Person.save`` and ``Residence.save`` store them: ID number and mobile
    encrypted by their fields, the blind indexes, phone tail and pinyin ``Person.derive_fields``
    computes, the scope of the dwelling, both timestamps. No model instance is made: with COPY,
    making one and passing it through every field cost more than the rest of the write. Each
    person's row is made as COPY takes it, so PostgreSQL stores one while the next is prepared."""
    connection = connections[DEFAULT_DB_ALIAS]
    postgresql = connection.vendor == "postgresql"
    people = Columns(Person, PERSON_COLUMNS, connection=connection)
    homes = Columns(Residence, RESIDENCE_COLUMNS, connection=connection, with_pk=False)
    # The fields' own preparation (encryption); get_db_prep_save adds nothing to it for a text column.
    encrypt_id, encrypt_phone = (
        Person._meta.get_field("id_number").get_prep_value,
        Person._meta.get_field("phone").get_prep_value,
    )
    now = timezone.now()
    stamp = now if postgresql else connection.ops.adapt_datetimefield_value(now)
    as_date = connection.ops.adapt_datefield_value
    home_rows: list[tuple[Any, ...]] = []
    ids = _reserve_ids(Person, len(planned))  # before the COPY, which holds the connection

    def person_rows() -> Iterator[tuple[Any, ...]]:
        for pk, resident in zip(ids, planned, strict=True):
            scope = resident.dwelling.scope
            full, initials = pinyin_of(resident.name)
            yield people.row(
                (
                    pk,
                    stamp,
                    stamp,
                    scope,
                    community.pk,
                    resident.name,
                    resident.gender,
                    resident.birth_date if postgresql else as_date(resident.birth_date),
                    resident.ethnicity,
                    encrypt_id(resident.id_number),
                    resident.id_index,
                    encrypt_phone(resident.phone),
                    _phone_index(resident.phone) if resident.phone_index is None else resident.phone_index,
                    resident.phone[-4:],
                    full,
                    initials,
                )
            )
            home_rows.append(
                homes.row((stamp, stamp, scope, pk, resident.dwelling.pk, resident.relation, resident.status))
            )

    write_rows(people, person_rows())
    write_rows(homes, home_rows)


Progress = Callable[[str, int, int | None], None]  # (phase, rows checked, rows in the file)
PROGRESS_EVERY = 1000


def import_residents(
    *,
    actor: User | None,
    community: Area,
    data: bytes,
    dry_run: bool = False,
    progress: Progress | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ResidentImportResult:
    """Validate every row of ``data`` (an xlsx file) and, if none is wrong and not ``dry_run``,
    register the people and their residences in ``community`` in one transaction. ``actor=None`` is
    the operator at the server's command line. ``progress`` hears ("checking", n, total) every
    thousand rows and ("writing", n, total) before the write, outside the write's transaction.
    ``before_commit`` is called inside that transaction once everything is written (a worker
    records its job as done there, so rows and outcome commit together or not at all).

    A row without an ID number whose name and mobile number (or lack of one) match a current
    resident of the same dwelling, or an earlier such row of the file, is not added again: it is
    listed in ``duplicates`` (importing the same file twice adds nobody the second time)."""
    if actor is not None:
        require(actor, "people.change_person", community)
    result = ResidentImportResult(dry_run=dry_run)
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
    registered = _registered_residents(list(dwellings.values()))
    today = dt.date.today()
    seen_ids: dict[str, tuple[int, str]] = {}
    seen_without_id: dict[tuple[int, str, str], int] = {}
    planned: list[PlannedResident] = []
    errors = result.errors
    for number, row in rows:
        result.rows += 1
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress("checking", result.rows, total)
        errors_before = len(errors)
        if not all(map(row.get, REQUIRED)):
            errors.extend(RowError(number, column, _("Required.")) for column in REQUIRED if not row.get(column))
        id_text, numbers = row.get("身份证号", ""), getattr(row, "numbers", None)
        id_number = id_index = birth_date = gender = None
        id_problem = _id_cell_problem(row) if numbers else None
        if id_problem:
            errors.append(RowError(number, "身份证号", id_problem))
        elif id_text:
            try:
                plain = plain_id_number(id_text, today=today)
                if plain is None:
                    parsed = parse_id_number(id_text)
                    plain = parsed.number, parsed.birth_date, parsed.sex
            except ValidationError as exc:
                errors.append(RowError(number, "身份证号", " ".join(exc.messages)))
            else:
                id_number, birth_date, gender = plain
                if id_number in seen_ids:
                    first = seen_ids[id_number][0]
                    errors.append(
                        RowError(number, "身份证号", _("The same ID number is on row %(row)d.") % {"row": first})
                    )
                    id_index = seen_ids[id_number][1]
                else:
                    id_index = id_index_of(id_number)
                    seen_ids[id_number] = (number, id_index)
        phone = ""
        phone_text, phone_problem = _phone_cell(row) if numbers else (row.get("手机号", ""), None)
        if phone_problem:
            errors.append(RowError(number, "手机号", phone_problem))
        elif phone_text:
            try:
                phone = mobile_number(phone_text)
            except ValidationError as exc:
                errors.append(RowError(number, "手机号", " ".join(exc.messages)))
        relation_text, status_text = row.get("与房屋关系", ""), row.get("居住类型", "")
        relation, status = RELATIONS.get(relation_text), STATUSES.get(status_text)
        if relation_text and relation is None:
            errors.append(
                RowError(number, "与房屋关系", _("Use one of: %(values)s.") % {"values": "、".join(RELATIONS)})
            )
        if status_text and status is None:
            errors.append(RowError(number, "居住类型", _("Use one of: %(values)s.") % {"values": "、".join(STATUSES)}))
        key = (row.get("小区", ""), row.get("楼栋", ""), row.get("单元", ""), row.get("房号", ""))
        dwelling = dwellings.get(key)
        if dwelling is None and all(key):
            address = "".join(key)
            errors.append(
                RowError(number, "房号", _("No such dwelling in this community: %(address)s.") % {"address": address})
            )
        if len(errors) != errors_before:
            continue
        assert dwelling is not None and relation is not None and status is not None  # else failed above
        phone_index = None  # computed by the write, unless the check needs it
        if not id_number:
            phone_index = _phone_index(phone)
            same = _same_resident_key(dwelling, row["姓名"], phone_index)
            if same in registered:
                result.duplicates.append(
                    RowError(
                        number,
                        "姓名",
                        _(
                            "Same name and mobile number as %(name)s, already registered at %(address)s; "
                            "not added again."
                        )
                        % {"name": registered[same].name, "address": dwelling.address},
                    )
                )
                continue
            if same in seen_without_id:
                result.duplicates.append(
                    RowError(
                        number,
                        "姓名",
                        _("Same person as on row %(row)d (name, dwelling and mobile number); not added again.")
                        % {"row": seen_without_id[same]},
                    )
                )
                continue
            seen_without_id[same] = number
        planned.append(
            PlannedResident(
                name=row["姓名"][:50],
                id_number=id_number or "",
                id_index=id_index,
                phone=phone,
                phone_index=phone_index,
                birth_date=birth_date,
                gender=gender or "",
                ethnicity=row.get("民族") or "汉族",
                dwelling=dwelling,
                relation=relation.value,
                status=status.value,
            )
        )
    _check_already_registered(seen_ids, result)
    if result.errors or dry_run:
        return result
    if progress is not None:
        progress("writing", result.rows, total)
    with transaction.atomic():
        write_planned(community, planned)
        result.created = len(planned)
        record_event(
            "people.import",
            actor=actor,
            obj=community,
            detail={
                "rows": result.rows,
                "created": result.created,
                "already_registered": len(result.duplicates),
                "via": "web" if actor else "command line",
            },
        )
        if before_commit is not None:
            before_commit(result)
    return result

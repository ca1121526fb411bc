"""Importing dwellings from the spreadsheet property managers and community staff keep (房屋信息表).

Rows name the estate, building, unit and room, with the floor and the exclusive floor area that
owners' votes are weighed by. Estates must exist; a new building needs its grid; units are added
as needed; an existing dwelling has its floor and area updated. Everything is checked first and
written in one transaction, or nothing is (the same rules as the residents' import).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.scoping import require
from shuren.core.spreadsheets import ImportResult, RowError, SheetRejected, open_rows, template

from ..models import Area, AreaKind, Building, Dwelling, Estate, Unit

COLUMNS = ["小区", "楼栋", "单元", "房号", "楼层", "套内面积", "网格"]
REQUIRED = {"小区", "楼栋", "单元", "房号", "楼层"}


@dataclass
class DwellingImportResult(ImportResult):
    updated: int = 0


def blank_template() -> bytes:
    return template(
        title="房屋信息",
        columns=COLUMNS,
        example=["富丰新城", "1座", "1单元", "101", 1, 88.5, "01"],
        notes=[
            ("小区", "必填；须是系统中已登记的小区"),
            ("楼栋 / 单元 / 房号", "必填；新楼栋、新单元会自动添加"),
            ("楼层", "必填；整数，地下层用负数"),
            ("套内面积", "选填；平方米，最多两位小数；业主表决按此计算面积"),
            ("网格", "新楼栋必填：网格编号（如 01）或名称；已有楼栋可留空"),
        ],
    )


def _area(value: str) -> Decimal | None:
    number = Decimal(value)
    if not number.is_finite() or number <= 0 or number >= Decimal("1000000"):
        raise InvalidOperation
    return number.quantize(Decimal("0.01"))


def import_dwellings(
    *, actor: User | None, community: Area, data: bytes, dry_run: bool = False
) -> DwellingImportResult:
    """Check every row of ``data`` and, if none is wrong and not ``dry_run``, add or update the
    dwellings of ``community`` in one transaction. ``actor=None`` is the server's operator."""
    if actor is not None:
        require(actor, "places.change_place", community)
    result = DwellingImportResult(dry_run=dry_run)
    try:
        rows, _total = open_rows(data, columns=COLUMNS, required=REQUIRED)
    except SheetRejected as exc:
        result.errors.append(exc.error)
        return result
    estates = {e.name: e for e in Estate.objects.filter(community=community)}
    grids = {}
    for grid in Area.objects.filter(parent=community, kind=AreaKind.GRID):
        grids[grid.code] = grids[grid.name] = grid
    buildings = {
        (b.estate.name, b.number): b
        for b in Building.objects.filter(estate__community=community).select_related("estate")
    }
    units = {
        (u.building.estate.name, u.building.number, u.number): u
        for u in Unit.objects.filter(building__estate__community=community).select_related("building__estate")
    }
    existing = {
        (d.unit.building.estate.name, d.unit.building.number, d.unit.number, d.room): d
        for d in Dwelling.objects.filter(unit__building__estate__community=community).select_related(
            "unit__building__estate"
        )
    }
    new_buildings: dict[tuple[str, str], Area] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    planned: list[tuple[tuple[str, str, str, str], int, Decimal | None]] = []
    for number, row in rows:
        result.rows += 1
        before = len(result.errors)

        def fail(column: str, reason: str, number: int = number) -> None:
            result.errors.append(RowError(number, column, reason))

        for column in sorted(REQUIRED):
            if not row.get(column):
                fail(column, _("Required."))
        key = (row.get("小区", ""), row.get("楼栋", ""), row.get("单元", ""), row.get("房号", ""))
        if key[0] and key[0] not in estates:
            fail("小区", _("No such estate in this community: %(name)s.") % {"name": key[0]})
        floor = None
        if row.get("楼层"):
            try:
                floor = int(row["楼层"])
            except ValueError:
                fail("楼层", _("Enter a whole number."))
            else:
                if not -10 <= floor <= 200:
                    fail("楼层", _("A floor between -10 and 200."))
        area = None
        if row.get("套内面积"):
            try:
                area = _area(row["套内面积"])
            except (InvalidOperation, ValueError):
                fail("套内面积", _("Enter the area in square metres, e.g. 88.5."))
        if all(key):
            if key in seen:
                fail("房号", _("The same dwelling is on row %(row)d.") % {"row": seen[key]})
            seen.setdefault(key, number)
            is_new = (key[0], key[1]) not in buildings and (key[0], key[1]) not in new_buildings
            if key[0] in estates and is_new:
                chosen = grids.get(row.get("网格", ""))
                if chosen is None:
                    fail("网格", _("A new building needs its grid (code or name of a grid of this community)."))
                else:
                    new_buildings[(key[0], key[1])] = chosen
        if len(result.errors) == before:
            planned.append((key, floor, area))  # type: ignore[arg-type]
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for (estate_name, building_number), grid in new_buildings.items():
            buildings[(estate_name, building_number)] = Building.objects.create(
                estate=estates[estate_name], grid=grid, number=building_number
            )
        to_create = []
        for key, floor, area in planned:
            unit_key = key[:3]
            if unit_key not in units:
                units[unit_key] = Unit.objects.create(building=buildings[key[:2]], number=key[2])
            dwelling = existing.get(key)
            if dwelling is None:
                unit = units[unit_key]
                to_create.append(Dwelling(unit=unit, room=key[3], floor=floor, exclusive_area=area, scope=unit.scope))
            elif (dwelling.floor, dwelling.exclusive_area) != (floor, area):
                Dwelling.objects.filter(pk=dwelling.pk).update(
                    floor=floor, exclusive_area=area, version=dwelling.version + 1
                )
                result.updated += 1
        Dwelling.objects.bulk_create(to_create, batch_size=2000)
        result.created = len(to_create)
        record_event(
            "places.dwelling_import",
            actor=actor,
            obj=community,
            detail={"rows": result.rows, "created": result.created, "updated": result.updated},
        )
    return result

"""The registry's spreadsheet exports (no personal data: areas and estates only)."""

from __future__ import annotations

from typing import Any

from shuren.core.exports import Column, Exporter


class AreaExporter(Exporter):
    name = "places.area_export"
    filename = "areas"
    title = "区域 Areas"
    columns = (
        Column("类型 Kind", lambda a: a.get_kind_display()),
        Column("编码 Code", lambda a: a.code),
        Column("名称 Name", lambda a: a.name),
        Column("路径 Path", lambda a: a.path),
        Column("上级 Parent", lambda a: a.parent.name if a.parent_id else ""),
        Column("常住人口 Population", lambda a: a.population),
        Column("户数 Households", lambda a: a.households),
    )


class EstateExporter(Exporter):
    name = "places.estate_export"
    filename = "estates"
    title = "小区 Estates"
    columns = (
        Column("小区 Estate", lambda e: e.name),
        Column("社区 Community", lambda e: e.community.name),
        Column("楼栋 Buildings", lambda e: e.building_count),
        Column("房屋 Dwellings", lambda e: e.dwelling_count),
        Column("地址 Address", lambda e: e.address),
        Column("建成年份 Built", lambda e: e.built_year or ""),
    )


def filters_text(filters: dict[str, Any]) -> dict[str, str]:
    """The filters of an export as the audit record keeps them (set ones only, shortened)."""
    return {key: str(value)[:80] for key, value in filters.items() if value}

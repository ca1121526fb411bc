"""The notices' spreadsheets: how far each notice reached, and one notice's reach per building."""

from __future__ import annotations

from shuren.core.exports import Column, Exporter

from .selectors import Figures


def _percent(f: Figures) -> str:
    return f"{f.percent}%"


class NoticeFiguresExport(Exporter):
    name = "notices.export_figures"
    filename, title = "notices-figures", "通知送达 Notices reached"
    columns = [
        Column("通知 Notice", lambda f: f.label),
        Column("目标户数 Households", lambda f: f.households),
        Column("已读 Read", lambda f: f.read),
        Column("已告知 Told", lambda f: f.told),
        Column("已送达 Reached", lambda f: f.reached),
        Column("送达率 Reached %", _percent),
    ]


class PlaceFiguresExport(NoticeFiguresExport):
    name = "notices.export_place_figures"
    filename, title = "notices-by-place", "通知送达（按地点） Notices reached by place"
    columns = [Column("地点 Place", lambda f: f.label), *NoticeFiguresExport.columns[1:]]

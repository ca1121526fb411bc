"""The appeals' spreadsheets: the filtered list (``AppealExporter``) and the KPIs (``KpiExporter``).

Nobody's name or phone is in the list; numbers and door numbers in the descriptions are replaced by
placeholders, as on the public board, and the place is masked (no room, the address masked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from shuren.core.exports import Column, Exporter
from shuren.core.redaction import redact_text

from .kpis import AppealKpis
from .privacy import place_label
from .selectors import KpiTable


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


class AppealExporter(Exporter):
    """The console's filtered list."""

    name = "appeals.export"
    filename = "appeals"
    title = "诉求 Appeals"
    columns = (
        Column("编号 Reference", lambda a: a.reference),
        Column("提交时间 Submitted", lambda a: _local(a.submitted_at)),
        Column("渠道 Channel", lambda a: a.get_channel_display()),
        Column("类别 Category", lambda a: a.category.name),
        Column("地点 Place", lambda a: place_label(a, room=False)),
        Column("诉求内容 Description", lambda a: redact_text(a.description)),
        Column("状态 Status", lambda a: a.get_status_display()),
        Column("层级 Level", lambda a: a.get_level_display()),
        Column("承办单位 Handling organisation", lambda a: a.organization.name if a.organization_id else ""),
        Column("督办 Supervised", lambda a: _yes_no(a.is_supervised)),
        Column("签收时限 Response due", lambda a: _local(a.response_due_at)),
        Column("办结时限 Resolution due", lambda a: _local(a.resolution_due_at)),
        Column("签收时间 Taken up", lambda a: _local(a.responded_at)),
        Column("办结时间 Resolved", lambda a: _local(a.resolved_at)),
        Column("按期办结 Resolved on time", lambda a: _yes_no(a.resolved_on_time)),
        Column("是否解决 Solved", lambda a: _yes_no(a.is_solved)),
        Column("满意度 Satisfaction", lambda a: a.satisfaction or ""),
    )


@dataclass(frozen=True)
class KpiLine:
    """One line of the KPI sheet: the whole scope, or one group of one breakdown."""

    grouping: str
    name: str
    kpis: AppealKpis


def _percent(rate: float | None) -> Any:
    return "—" if rate is None else round(rate * 100, 1)


@dataclass(frozen=True)
class KpiReport:
    start: dt.date
    end: dt.date
    total: AppealKpis
    tables: list[KpiTable]


class KpiExporter(Exporter):
    """The KPIs of the user's scope for a period, then per organisation, grid, estate and category."""

    name = "appeals.kpi_export"
    filename = "appeal-kpis"
    title = "诉求指标 Appeal KPIs"
    columns = (
        Column("分组 Grouping", lambda line: line.grouping),
        Column("名称 Name", lambda line: line.name),
        Column("诉求数 Appeals counted", lambda line: line.kpis.counted),
        Column("响应率 Response rate", lambda line: _percent(line.kpis.response_rate)),
        Column("按时签收 Taken up in time", lambda line: line.kpis.responded_on_time),
        Column("应签收 Response due", lambda line: line.kpis.response_due),
        Column("解决率 Resolution rate", lambda line: _percent(line.kpis.resolution_rate)),
        Column("已解决 Solved", lambda line: line.kpis.solved),
        Column("已评价 Rated", lambda line: line.kpis.rated),
        Column("满意率 Satisfaction rate", lambda line: _percent(line.kpis.satisfaction_rate)),
        Column("满意 Satisfied", lambda line: line.kpis.satisfied),
        Column("按期办结率 On-time resolution", lambda line: _percent(line.kpis.on_time_resolution_rate)),
        Column("按期办结 Resolved in time", lambda line: line.kpis.resolved_on_time),
        Column("已办结 Resolved", lambda line: line.kpis.resolved),
        Column(
            "平均办理时长(工作小时) Average handling (working hours)",
            lambda line: "—" if line.kpis.average_handling_hours is None else line.kpis.average_handling_hours,
        ),
        Column("超期 Overdue", lambda line: line.kpis.overdue),
        Column("重复诉求 Repeat appeals", lambda line: line.kpis.repeats),
    )

    def prepare(self, objects: Iterable[KpiReport]) -> Iterable[KpiLine]:
        for report in objects:
            yield KpiLine("全部 Whole scope", f"{report.start:%Y-%m-%d} – {report.end:%Y-%m-%d}", report.total)
            for table in report.tables:
                for row in table.rows:
                    yield KpiLine(str(table.title), row.name, row.kpis)

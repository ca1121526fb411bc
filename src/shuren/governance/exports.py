"""The spreadsheet exports of governance: the console's (filtered) item list. Holders appear as the
model masks them for the public (``Claim.public_holder_label``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.core.exports import Column, Exporter

from . import selectors
from .models import GovernanceItem


def _holder(item: Any) -> str:
    return item.export_holder.public_holder_label if item.export_holder is not None else ""


class ItemExporter(Exporter):
    """治理清单: one row per item, newest first."""

    name = "governance.export"
    filename = "governance"
    title = "治理清单 Governance list"
    columns = (
        Column("编号 Reference", lambda i: i.reference),
        Column("类型 Kind", lambda i: i.get_kind_display()),
        Column("事项 Title", lambda i: i.title),
        Column("来源 Source", lambda i: i.get_source_display()),
        Column("清单 List", lambda i: i.governance_list.title if i.governance_list_id else ""),
        Column("地点 Place", lambda i: i.place_label),
        Column("优先级 Priority", lambda i: i.get_priority_display()),
        Column("期限 Deadline", lambda i: i.due_on.isoformat() if i.due_on else ""),
        Column("积分 Points", lambda i: i.points),
        Column("状态 Status", lambda i: i.get_status_display()),
        Column("认领方 Held by", _holder),
        Column("逾期 Overdue", lambda i: _("Yes") if i.export_overdue else ""),
        Column(
            "核实时间 Verified at",
            lambda i: timezone.localtime(i.verified_at).strftime("%Y-%m-%d %H:%M") if i.verified_at else "",
        ),
    )

    def prepare(self, objects: Iterable[Any]) -> Iterator[GovernanceItem]:
        """The items (a queryset, ordered) with their active claims, loaded in one query."""
        assert isinstance(objects, QuerySet)
        holders = selectors.active_claims_of(objects)
        today = timezone.localdate()
        for item in objects.iterator(chunk_size=2000):
            item.export_holder = holders.get(item.pk)
            item.export_overdue = selectors.is_overdue(item, today)
            yield item

"""Scoping-matrix objects for the insights routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.scoped_objects import Factory, World, _community, area


def report(world: World, side: str) -> tuple[dict[str, Any], str]:
    """A ready monthly report of the side's community."""
    from shuren.insights.models import MonthlyReport, ReportStatus

    community = _community(world, side)
    obj, _created = MonthlyReport.objects.get_or_create(
        area=community,
        month=dt.date(2026, 10, 1),
        defaults={"status": ReportStatus.READY, "xlsx": b"xlsx", "pdf": b"%PDF-1.7"},
    )
    return {"pk": obj.pk, "fmt": "pdf"}, community.path


def indicator(world: World, side: str) -> tuple[dict[str, Any], str]:
    """Indicators are configuration, not tied to a place."""
    from shuren.insights.models import Indicator

    obj = Indicator.objects.order_by("pk").first()
    return {"pk": obj.pk}, ""


ROUTES: dict[str, Factory] = {
    "insights:dashboard": area,
    "insights:reports": area,
    "insights:report_download": report,
    "insights:evaluation_history": area,
    "insights:indicator_edit": indicator,
}
ROUTES["api:insights-area-kpis"] = area

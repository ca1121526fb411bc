from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from shuren.core.scoping import visible

from .models import Area


def visible_areas(
    user: Any, action: str = "places.view_area", *, filters: dict[str, Any] | None = None
) -> QuerySet[Area]:
    areas = visible(Area.objects.select_related("parent"), user, action)
    filters = filters or {}
    if filters.get("q"):
        areas = areas.filter(Q(name__icontains=filters["q"]) | Q(code=filters["q"]))
    if filters.get("kind"):
        areas = areas.filter(kind=filters["kind"])
    return areas.annotate(child_count=Count("children")).order_by("path")

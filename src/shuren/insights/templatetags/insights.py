"""Showing a KPI: its label and its value, formatted by kind (a rate, a count, hours)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from shuren.insights.figures import KPI_NAMES

register = template.Library()


@register.filter
def kpi_value(value: float | None, name: str) -> str:
    """``93.5%``, ``1,234`` or ``—`` when there is nothing to count."""
    if value is None:
        return "—"
    kpi = KPI_NAMES[name]
    if kpi.is_rate:
        return f"{value:g}%"
    if isinstance(value, float) and not value.is_integer():
        return intcomma(f"{value:.1f}")
    return intcomma(int(value))


@register.inclusion_tag("insights/_kpi.html", takes_context=True)
def kpi(context: dict[str, Any], name: str) -> dict[str, Any]:
    item = KPI_NAMES[name]
    return {
        "name": name,
        "label": item.label,
        "unit": "" if item.is_rate else item.unit,
        "value": kpi_value(context["values"][name], name),
    }

"""The public board (件件有回音): resolved appeals without personal data."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from .models import Appeal, Status

_PATTERNS = [
    (re.compile(r"\d{17}[\dXx]|\d{15}"), "[身份证号]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[电话]"),
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话]"),
    (re.compile(r"\d{1,3}\s*(?:座|栋|幢|号楼)?\s*\d{3,4}\s*(?:室|房|号房)"), "[房号]"),
    (re.compile(r"(?<![\d.])\d{3,4}\s*(?:室|房)"), "[房号]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[邮箱]"),
]


def scrub(text: str) -> str:
    """Replace phone numbers, ID numbers, room numbers and e-mail addresses with placeholders."""
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text


def published_appeals() -> QuerySet[Appeal]:
    """What the public board shows: published, resolved or closed appeals, newest first."""
    return (
        Appeal.objects.filter(
            is_published=True, status__in=(Status.RESOLVED, Status.CLOSED), category__is_published=True
        )
        .select_related("category", "estate", "area")
        .only(
            "pk",
            "reference",
            "public_summary",
            "resolution",
            "submitted_at",
            "resolved_at",
            "status",
            "satisfaction",
            "category__name",
            "category__name_en",
            "category__code",
            "estate__name",
            "area__name",
        )
        .order_by("-resolved_at", "-pk")
    )

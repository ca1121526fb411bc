"""The demo's figures: the roll-ups computed from everything the other demos loaded, and the
evaluation index of last month and this month, so the dashboards and the ranking have content."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .forms import last_month
from .models import PeriodKind
from .rollups import rebuild
from .services import evaluate_period


def load(context: Any) -> None:
    rebuild()
    for month in (last_month(), timezone.localdate().replace(day=1)):
        evaluate_period(PeriodKind.MONTH, month)

"""The notices' panel on the building leader's page (我的楼栋): households of their buildings that a
current notice has not reached yet, each with its "told at the door" button."""

from __future__ import annotations

from typing import Any

from shuren.core.masking import display_name

from . import selectors


def unreached_panel(user: Any, buildings: list[Any]) -> tuple[str, dict[str, Any]] | None:
    if not buildings or selectors.reach(user, selectors.TELL).empty:
        return None
    rows = selectors.unreached_for(user, buildings)
    for row in rows:
        row.shown_names = [  # type: ignore[attr-defined]
            display_name(r.person.name, full=False) for r in row.dwelling.residences.all() if r.to_on is None
        ]
    return "notices/panels/unreached.html", {"unreached": rows}

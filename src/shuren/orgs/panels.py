"""Panels that apps above orgs add to the building leader's page (我的楼栋) without orgs importing
them: each registers, in its ``AppConfig.ready``, a function ``(user, buildings)`` answering a
template and its context, or None to show nothing. The page renders them under its own cards, in the
order registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BuildingPanel = Callable[[Any, list[Any]], tuple[str, dict[str, Any]] | None]

_PANELS: list[BuildingPanel] = []


def register_building_panel(panel: BuildingPanel) -> None:
    """Add ``panel`` once (registering the same function again changes nothing)."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def building_panels(user: Any, buildings: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """What the registered panels show ``user`` for ``buildings`` (those answering None left out)."""
    shown = []
    for panel in _PANELS:
        answer = panel(user, buildings)
        if answer is not None:
            shown.append(answer)
    return shown

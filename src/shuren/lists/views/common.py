"""What the lists' pages share."""

from __future__ import annotations

from typing import Any

from shuren.core.scoping import has_action

PORTAL_LAYOUT = "lists/portal/layout_portal.html"
CONSOLE_LAYOUT = "lists/portal/layout_console.html"


def layout_for(user: Any) -> str:
    """Residents and a unit's contacts see the portal's frame; staff the console's."""
    return CONSOLE_LAYOUT if has_action(user, "web.view_dashboard") else PORTAL_LAYOUT


def resource_fields(cleaned: dict[str, Any]) -> dict[str, Any]:
    """The resource form's input as the services take it."""
    return dict(cleaned)

"""Template helpers of the points pages."""

from __future__ import annotations

from typing import Any

from django import template

from shuren.core.scoping import has_action

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    """``{% if request.user|may:"points.manage" %}``: the user holds the action somewhere."""
    return has_action(user, action)


@register.filter
def signed(value: int) -> str:
    """``+10`` / ``−5`` for a statement's amount column."""
    return f"+{value}" if value > 0 else f"−{abs(value)}"

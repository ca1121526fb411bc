"""What the shell draws from the registry the apps fill (shuren.core.navigation): the navigation of
the request (``{% shell_navigation as nav %}``: its groups and tabs), the count beside a navigation
entry and the apps' cards on a home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from shuren.core.navigation import panels

from ..navigation import Shell, shell_for

register = template.Library()


@register.simple_tag(takes_context=True)
def shell_navigation(context: dict[str, Any]) -> Shell | None:
    """The navigation of the request being drawn (groups, tabs), computed once per request."""
    request = context.get("request")
    return shell_for(request) if request is not None else None


@register.simple_tag
def count_badge(count: int, label: Any, testid: str, css: str = "") -> SafeString | str:
    """How many things wait, as a pill (up to 99, then "99+"), with what they are for screen readers
    ("3 unread"); nothing when none wait."""
    if not count:
        return ""
    return format_html(
        '<span class="badge rounded-pill nav-count{}" data-testid="{}">{}'
        '<span class="visually-hidden"> {}</span></span>',
        f" {css}" if css else "",
        testid,
        count if count < 100 else "99+",
        label,
    )


@register.simple_tag(takes_context=True)
def home_panels(context: dict[str, Any], page: str) -> SafeString:
    """The cards the apps put on the home page ``page``, in their order."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    return format_html_join("", "{}", ((panel.render(request),) for panel in panels(page)))

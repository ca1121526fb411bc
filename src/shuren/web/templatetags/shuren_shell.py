"""What the shell draws from the registry the apps fill (shuren.core.navigation): the badge beside
a navigation entry and the apps' cards on a home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString

from shuren.core.navigation import MenuEntry, panels

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_badge(context: dict[str, Any], entry: MenuEntry) -> SafeString | str:
    """The entry's badge (e.g. unread notifications), computed only where the console draws it."""
    request = context.get("request")
    if entry.badge is None or request is None:
        return ""
    return conditional_escape(entry.badge(request))


@register.simple_tag(takes_context=True)
def home_panels(context: dict[str, Any], page: str) -> SafeString:
    """The cards the apps put on the home page ``page``, in their order."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    return format_html_join("", "{}", ((panel.render(request),) for panel in panels(page)))

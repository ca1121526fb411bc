"""The shell's own pages in the navigation and among the home pages, and the navigation a user sees.

The entries of the apps are theirs: each app declares them in its ``navigation.py`` (see
``shuren.core.navigation``); the shell only shows those whose action the user holds.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import CONSOLE, PORTAL, MenuEntry, menu_for, register, register_home

register(
    MenuEntry(_("My community"), "web:portal", ("portal.use",), PORTAL, 10, "house"),
    MenuEntry(_("Dashboard"), "web:dashboard", ("web.view_dashboard",), CONSOLE, 10, "speedometer"),
)
register_home("web.view_dashboard", "web:dashboard", order=60)
register_home("portal.use", "web:portal", order=70)


def navigation_for(user: Any) -> list[MenuEntry]:
    """The entries of the navigation ``user`` may follow, in order."""
    return menu_for(user)

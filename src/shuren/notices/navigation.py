"""The notices' pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import CONFIGURATION, CONSOLE, PORTAL, MenuEntry, register

register(
    MenuEntry(_("Notices"), "notices_portal:list", ("portal.use",), PORTAL, 15, "megaphone"),
    MenuEntry(_("Stairwell notices"), "notices:list", ("notices.view", "notices.write"), CONSOLE, 60, "megaphone"),
    MenuEntry(_("Notices reached"), "notices:figures", ("notices.view",), CONSOLE, 61, "bar-chart"),
    MenuEntry(_("Stairwell group robots"), "notices:groups", ("notices.manage_groups",), CONFIGURATION, 60, "robot"),
)

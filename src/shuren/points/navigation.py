"""The points' pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import CONFIGURATION, CONSOLE, PORTAL, MenuEntry, register

register(
    MenuEntry(_("My points"), "points_portal:home", ("points.redeem",), PORTAL, 100, "coin"),
    MenuEntry(_("Points"), "points:overview", ("points.view",), CONSOLE, 240, "coin"),
    MenuEntry(_("Rewards and redemptions"), "points:redemption_list", ("points.view",), CONSOLE, 250, "gift"),
    MenuEntry(_("Points leaderboard"), "points:leaderboard", ("points.view",), CONSOLE, 260, "trophy"),
    MenuEntry(_("Points rules"), "points:rule_list", ("points.configure",), CONFIGURATION, 70, "sliders"),
)

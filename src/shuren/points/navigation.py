"""The points' pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import MY_COMMUNITY, SETTINGS, VOLUNTEERING, MenuEntry, register

register(
    MenuEntry(_("My points"), "points_portal:home", ("points.redeem",), MY_COMMUNITY, 100, "coin"),
    MenuEntry(_("Points"), "points:overview", ("points.view",), VOLUNTEERING, 40, "coin"),
    MenuEntry(_("Rewards and redemptions"), "points:redemption_list", ("points.view",), VOLUNTEERING, 50, "gift"),
    MenuEntry(_("Points leaderboard"), "points:leaderboard", ("points.view",), VOLUNTEERING, 60, "trophy"),
    MenuEntry(_("Points rules"), "points:rule_list", ("points.configure",), SETTINGS, 80, "sliders"),
)

"""The volunteering pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import CONFIGURATION, CONSOLE, PORTAL, MenuEntry, register

register(
    MenuEntry(
        _("Volunteer activities"), "volunteering_portal:home", ("volunteering.volunteer",), PORTAL, 90, "heart-pulse"
    ),
    MenuEntry(
        _("Volunteer activities"), "volunteering:activity_list", ("volunteering.view",), CONSOLE, 210, "heart-pulse"
    ),
    MenuEntry(_("Volunteers"), "volunteering:volunteer_list", ("volunteering.view",), CONSOLE, 220, "person-heart"),
    MenuEntry(
        _("Party members' service hours"),
        "volunteering:progress",
        ("volunteering.view",),
        CONSOLE,
        230,
        "hourglass-split",
    ),
    MenuEntry(
        _("Volunteering policy"), "volunteering:policy_list", ("volunteering.configure",), CONFIGURATION, 60, "sliders"
    ),
)

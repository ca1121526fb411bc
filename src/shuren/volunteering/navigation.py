"""The volunteering pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import MY_COMMUNITY, SETTINGS, VOLUNTEERING, MenuEntry, register

register(
    MenuEntry(
        _("Volunteer activities"),
        "volunteering_portal:home",
        ("volunteering.volunteer",),
        MY_COMMUNITY,
        90,
        "heart-pulse",
    ),
    MenuEntry(
        _("Volunteer activities"), "volunteering:activity_list", ("volunteering.view",), VOLUNTEERING, 10, "heart-pulse"
    ),
    MenuEntry(_("Volunteers"), "volunteering:volunteer_list", ("volunteering.view",), VOLUNTEERING, 20, "person-heart"),
    MenuEntry(
        _("Party members' service hours"),
        "volunteering:progress",
        ("volunteering.view",),
        VOLUNTEERING,
        30,
        "hourglass-split",
    ),
    MenuEntry(
        _("Volunteering policy"), "volunteering:policy_list", ("volunteering.configure",), SETTINGS, 70, "sliders"
    ),
)

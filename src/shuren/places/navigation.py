"""The registers of areas and places in the navigation; the system administrator's home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import CONSOLE, MenuEntry, register, register_home

register(
    MenuEntry(_("Areas"), "places:area_list", ("places.view_area",), CONSOLE, 30, "diagram"),
    MenuEntry(_("Estates and buildings"), "places:estate_list", ("places.view_place",), CONSOLE, 40, "buildings"),
)
register_home("system.configure", "places:area_list", order=30)

"""The registers of areas and places in the navigation; the system administrator's home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import REGISTRY, MenuEntry, register, register_home

register(
    MenuEntry(_("Areas"), "places:area_list", ("places.view_area",), REGISTRY, 10, "diagram-2"),
    MenuEntry(_("Estates and buildings"), "places:estate_list", ("places.view_place",), REGISTRY, 20, "buildings"),
)
register_home("system.configure", "places:area_list", order=30)

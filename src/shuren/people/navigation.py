"""The residents' register in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import REGISTRY, MenuEntry, register

register(
    MenuEntry(_("Residents"), "people:person_list", ("people.view_person",), REGISTRY, 30, "person"),
    MenuEntry(_("Household visits"), "people:visit_list", ("people.view_person",), REGISTRY, 40, "door-open"),
    MenuEntry(_("Import residents"), "people:import", ("people.change_person",), REGISTRY, 60, "upload"),
)

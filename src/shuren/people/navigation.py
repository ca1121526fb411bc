"""The residents' register in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import CONSOLE, DATA, MenuEntry, register

register(
    MenuEntry(_("Residents"), "people:person_list", ("people.view_person",), CONSOLE, 50, "person"),
    MenuEntry(_("Household visits"), "people:visit_list", ("people.view_person",), CONSOLE, 60, "door"),
    MenuEntry(_("Import residents"), "people:import", ("people.change_person",), DATA, 10, "upload"),
)

"""The proposals' pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, MenuEntry, register

register(
    MenuEntry(_("Proposals"), "proposals_portal:index", ("proposals.propose",), MY_COMMUNITY, 60, "lightbulb"),
    MenuEntry(_("Resident proposals"), "proposals:list", ("proposals.view",), COGOVERNANCE, 60, "lightbulb"),
)

"""The owners' ballots' pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, SETTINGS, MenuEntry, register

register(
    MenuEntry(_("Owners' votes"), "ballots_portal:my_ballots", ("ballots.vote",), MY_COMMUNITY, 80, "check2-square"),
    MenuEntry(_("Owners' ballots"), "ballots:ballot_list", ("ballots.view",), COGOVERNANCE, 80, "check2-square"),
    MenuEntry(_("Ballot rules"), "ballots:rule_list", ("ballots.configure",), SETTINGS, 50, "sliders"),
)

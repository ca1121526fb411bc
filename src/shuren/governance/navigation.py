"""The governance list's pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import CONSOLE, PORTAL, MenuEntry, register

register(
    MenuEntry(
        _("Tasks and wishes to claim"), "governance_portal:home", ("governance.claim",), PORTAL, 40, "hand-thumbs-up"
    ),
    MenuEntry(_("Governance list"), "governance:item_list", ("governance.view",), CONSOLE, 130, "list-check"),
    MenuEntry(_("Wishes to review"), "governance:wish_review", ("governance.manage",), CONSOLE, 140, "heart"),
    MenuEntry(_("Governance-list figures"), "governance:figures", ("governance.view",), CONSOLE, 150, "bar-chart"),
)

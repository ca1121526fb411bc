"""The governance list's pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, MenuEntry, register

register(
    MenuEntry(
        _("Tasks and wishes to claim"),
        "governance_portal:home",
        ("governance.claim",),
        MY_COMMUNITY,
        40,
        "hand-thumbs-up",
    ),
    MenuEntry(_("Governance list"), "governance:item_list", ("governance.view",), COGOVERNANCE, 10, "list-check"),
    MenuEntry(_("Wishes to review"), "governance:wish_review", ("governance.manage",), COGOVERNANCE, 20, "heart"),
    MenuEntry(_("Governance-list figures"), "governance:figures", ("governance.view",), COGOVERNANCE, 30, "bar-chart"),
)

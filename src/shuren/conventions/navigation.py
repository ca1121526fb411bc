"""The conventions' pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, MenuEntry, register

register(
    MenuEntry(
        _("Residents' conventions"),
        "conventions_portal:index",
        ("conventions.comment",),
        MY_COMMUNITY,
        70,
        "journal-text",
    ),
    MenuEntry(_("Conventions"), "conventions:list", ("conventions.view",), COGOVERNANCE, 70, "journal-text"),
)

"""The conventions' pages in the navigation, and their tile on the resident's home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, MenuEntry, register, register_panel, service_tiles
from shuren.core.scoping import has_action

from .selectors import resident_convention_counts

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


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_services(request: HttpRequest) -> str:
    """The residents' conventions: how many are in force, or open for comments, in the resident's
    places."""
    if not has_action(request.user, "conventions.comment"):
        return ""
    counts = resident_convention_counts(request.user)
    if counts["in_discussion"]:
        n = counts["in_discussion"]
        hint = ngettext("%(count)d open for comments", "%(count)d open for comments", n) % {"count": n}
    elif counts["in_force"]:
        n = counts["in_force"]
        hint = ngettext("%(count)d in force", "%(count)d in force", n) % {"count": n}
    else:
        hint = ""
    tiles = [
        {
            "key": "conventions",
            "url": reverse("conventions_portal:index"),
            "label": _("Residents' conventions"),
            "hint": hint,
        }
    ]
    return service_tiles(request, tiles)


register_panel("portal.services", home_services, order=60)

"""The proposals' pages in the navigation, and their tile on the resident's home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, MenuEntry, register, register_panel, service_tiles
from shuren.core.scoping import has_action

from .selectors import collecting_signatures_count

register(
    MenuEntry(_("Proposals"), "proposals_portal:index", ("proposals.propose",), MY_COMMUNITY, 60, "lightbulb"),
    MenuEntry(_("Resident proposals"), "proposals:list", ("proposals.view",), COGOVERNANCE, 60, "lightbulb"),
)


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_services(request: HttpRequest) -> str:
    """Proposals, with how many of the resident's places are collecting co-signatures."""
    if not has_action(request.user, "proposals.propose"):
        return ""
    count = collecting_signatures_count(request.user)
    hint = ngettext("%(count)d collecting co-signatures", "%(count)d collecting co-signatures", count) % {
        "count": count
    }
    tiles = [
        {
            "key": "proposals",
            "url": reverse("proposals_portal:index"),
            "label": _("Proposals"),
            "hint": hint if count else "",
        }
    ]
    return service_tiles(request, tiles)


register_panel("portal.services", home_services, order=50)

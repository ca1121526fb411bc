"""The notices' pages in the navigation, and on the residents' home page the notices they have not
read yet and the way to all of them."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from shuren.core.navigation import (
    MY_COMMUNITY,
    SETTINGS,
    WORKBENCH,
    MenuEntry,
    register,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

register(
    MenuEntry(_("Notices"), "notices_portal:list", ("portal.use",), MY_COMMUNITY, 15, "megaphone"),
    MenuEntry(_("Stairwell notices"), "notices:list", ("notices.view", "notices.write"), WORKBENCH, 30, "megaphone"),
    MenuEntry(_("Notices reached"), "notices:figures", ("notices.view",), WORKBENCH, 31, "bar-chart"),
    MenuEntry(_("Stairwell group robots"), "notices:groups", ("notices.manage_groups",), SETTINGS, 60, "robot"),
)


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_waiting(request: HttpRequest) -> str:
    """The current notices meant for the resident's home that they have not opened, the most urgent
    first: one card, straight to the notice when there is one."""
    from .selectors import my_unread_notices

    user = request.user
    if not user.is_authenticated:
        return ""
    notices = list(my_unread_notices(user))
    if not notices:
        return ""
    first = notices[0]
    return waiting_card(
        request,
        testid="waiting-notices",
        count=len(notices),
        title=ngettext("%(count)d notice not read yet", "%(count)d notices not read yet", len(notices))
        % {"count": len(notices)},
        detail=first.title,
        action=pgettext("home page action", "Read"),
        url=reverse("notices_portal:detail", args=[first.pk]),
        list_url=reverse("notices_portal:list"),
        urgent=first.urgent,
    )


def home_services(request: HttpRequest) -> str:
    if not has_action(request.user, "portal.use"):
        return ""
    tiles = [{"key": "notices", "url": reverse("notices_portal:list"), "label": _("Notices")}]
    return service_tiles(request, tiles)


register_panel("portal", home_waiting, order=60)
register_panel("portal.services", home_services, order=20)

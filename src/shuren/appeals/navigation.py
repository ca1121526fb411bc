"""The appeals' pages in the navigation, the handlers' home page, and on the residents' home page
the appeals waiting for their rating and the ways to report and follow a problem."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from shuren.core.navigation import (
    APPEALS,
    MY_COMMUNITY,
    SETTINGS,
    MenuEntry,
    register,
    register_home,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

from .models import OPEN_STATUSES
from .selectors import appeals_awaiting_my_rating, my_appeals

register(
    MenuEntry(_("Report a problem"), "appeals_portal:report", ("portal.use",), MY_COMMUNITY, 20, "megaphone"),
    MenuEntry(_("My appeals"), "appeals_portal:list", ("portal.use",), MY_COMMUNITY, 30, "chat"),
    MenuEntry(_("Collect an appeal"), "appeals_portal:collect", ("appeals.record",), APPEALS, 10, "clipboard"),
    MenuEntry(_("Appeals"), "appeals:appeal_list", ("appeals.view",), APPEALS, 20, "megaphone"),
    MenuEntry(_("Appeals dispatched to us"), "appeals:handler_list", ("appeals.handle",), APPEALS, 30, "inbox"),
    MenuEntry(_("Appeal KPIs"), "appeals:kpis", ("appeals.view_kpi",), APPEALS, 40, "graph-up"),
    MenuEntry(_("Dispatch rules"), "appeals:rule_list", ("appeals.configure_rules",), SETTINGS, 10, "signpost-split"),
    MenuEntry(_("Appeal categories"), "appeals:category_list", ("appeals.configure",), SETTINGS, 20, "tags"),
    MenuEntry(_("Working days"), "appeals:workday_list", ("appeals.configure",), SETTINGS, 30, "calendar"),
)
register_home("appeals.handle", "appeals:handler_list", order=50)


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_waiting(request: HttpRequest) -> str:
    """The appeals the resident reported that were resolved and wait for their word: solved or not,
    and how satisfied they are. Straight to the rating form when there is one."""
    appeals = list(appeals_awaiting_my_rating(request.user))
    if not appeals:
        return ""
    first = appeals[0]
    return waiting_card(
        request,
        testid="waiting-appeals",
        count=len(appeals),
        title=ngettext(
            "%(count)d resolved appeal waits for your rating",
            "%(count)d resolved appeals wait for your rating",
            len(appeals),
        )
        % {"count": len(appeals)},
        detail=Truncator(first.description).chars(40),
        action=pgettext("home page action", "Rate"),
        url=reverse("appeals_portal:detail", args=[first.pk]) + "#feedback",
        list_url=reverse("appeals_portal:list"),
    )


def home_services(request: HttpRequest) -> str:
    """Report a problem (for whoever may), my appeals with how many are being handled, and the
    public board of the answers."""
    user = request.user
    tiles = []
    if has_action(user, "appeals.report"):
        tiles.append({"key": "report", "url": reverse("appeals_portal:report"), "label": _("Report a problem")})
    if has_action(user, "portal.use"):
        handling = my_appeals(user).filter(status__in=OPEN_STATUSES).count()
        tiles.append(
            {
                "key": "my-appeals",
                "url": reverse("appeals_portal:list"),
                "label": _("My appeals"),
                "hint": ngettext("%(count)d being handled", "%(count)d being handled", handling) % {"count": handling}
                if handling
                else "",
            }
        )
        tiles.append({"key": "board", "url": reverse("appeals_board:list"), "label": _("Public board")})
    if not tiles:
        return ""
    return service_tiles(request, tiles)


register_panel("portal", home_waiting, order=20)
register_panel("portal.services", home_services, order=10)

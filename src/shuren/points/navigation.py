"""The points' pages in the navigation, and the resident's balance on their home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import (
    MY_COMMUNITY,
    SETTINGS,
    VOLUNTEERING,
    MenuEntry,
    register,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

from .selectors import my_points

register(
    MenuEntry(_("My points"), "points_portal:home", ("points.redeem",), MY_COMMUNITY, 100, "coin"),
    MenuEntry(_("Points"), "points:overview", ("points.view",), VOLUNTEERING, 40, "coin"),
    MenuEntry(_("Rewards and redemptions"), "points:redemption_list", ("points.view",), VOLUNTEERING, 50, "gift"),
    MenuEntry(_("Points leaderboard"), "points:leaderboard", ("points.view",), VOLUNTEERING, 60, "trophy"),
    MenuEntry(_("Points rules"), "points:rule_list", ("points.configure",), SETTINGS, 80, "sliders"),
)


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_waiting(request: HttpRequest) -> str:
    """The resident's points, once they have any, and the rewards they redeemed and have not
    collected yet (their collection codes wait on the points page)."""
    if not has_action(request.user, "points.redeem"):
        return ""
    account = my_points(request.user)
    pending = int(getattr(account, "pending", 0) or 0)
    if account is None or (account.balance <= 0 and not pending):
        return ""
    detail = (
        ngettext(
            "%(count)d reward to collect",
            "%(count)d rewards to collect",
            pending,
        )
        % {"count": pending}
        if pending
        else gettext("Exchange them for rewards of your community")
    )
    return waiting_card(
        request,
        testid="waiting-points",
        count=account.balance,
        title=ngettext("You have %(count)d point", "You have %(count)d points", account.balance)
        % {"count": account.balance},
        detail=detail,
        action=pgettext("home page action", "Use"),
        url=reverse("points_portal:home"),
    )


def home_services(request: HttpRequest) -> str:
    if not has_action(request.user, "points.redeem"):
        return ""
    tiles = [{"key": "points", "url": reverse("points_portal:home"), "label": _("My points")}]
    return service_tiles(request, tiles)


register_panel("portal", home_waiting, order=80)
register_panel("portal.services", home_services, order=80)

"""The owners' ballots' pages in the navigation, and their cards on the resident's home page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import (
    COGOVERNANCE,
    MY_COMMUNITY,
    SETTINGS,
    MenuEntry,
    register,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

from .selectors import ballots_awaiting_my_vote

register(
    MenuEntry(_("Owners' votes"), "ballots_portal:my_ballots", ("ballots.vote",), MY_COMMUNITY, 80, "check2-square"),
    MenuEntry(_("Owners' ballots"), "ballots:ballot_list", ("ballots.view",), COGOVERNANCE, 80, "check2-square"),
    MenuEntry(_("Ballot rules"), "ballots:rule_list", ("ballots.configure",), SETTINGS, 50, "sliders"),
)


# --- the resident's home (web:portal) -------------------------------------------------------------

URGENT = dt.timedelta(days=2)  # a vote closing within two days is marked urgent


def home_waiting(request: HttpRequest) -> str:
    """Ballots where voting is on and the resident, an owner on the roll, has not voted on every
    matter: one card, straight to the ballot when there is one."""
    ballots = list(ballots_awaiting_my_vote(request.user))
    if not ballots:
        return ""
    first = ballots[0]
    closes = date_format(timezone.localtime(first.closes_at), "DATETIME_FORMAT")
    return waiting_card(
        request,
        testid="waiting-ballots",
        count=len(ballots),
        title=ngettext("%(count)d owners' vote waits for you", "%(count)d owners' votes wait for you", len(ballots))
        % {"count": len(ballots)},
        detail=gettext("%(title)s · closes %(when)s") % {"title": first.title, "when": closes},
        action=pgettext("home page action", "Vote"),
        url=reverse("ballots_portal:ballot", args=[first.pk]),
        list_url=reverse("ballots_portal:my_ballots"),
        urgent=first.closes_at - timezone.now() <= URGENT,
    )


def home_services(request: HttpRequest) -> str:
    if not has_action(request.user, "ballots.vote"):
        return ""
    tiles = [{"key": "ballots", "url": reverse("ballots_portal:my_ballots"), "label": _("Owners' votes")}]
    return service_tiles(request, tiles)


register_panel("portal", home_waiting, order=10)
register_panel("portal.services", home_services, order=70)

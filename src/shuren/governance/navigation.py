"""The governance list's pages in the navigation, and their cards on the resident's home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import (
    COGOVERNANCE,
    MY_COMMUNITY,
    MenuEntry,
    register,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

from .selectors import claimable_items, my_lapsing_claims

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


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_waiting(request: HttpRequest) -> str:
    """The resident's claims (their own or their organisation's) that lapse within two days unless
    they report progress: one card, straight to the item when there is one."""
    if not has_action(request.user, "governance.claim"):
        return ""
    claims = list(my_lapsing_claims(request.user))
    if not claims:
        return ""
    first = claims[0]
    lapses = date_format(timezone.localtime(first.lapses_at), "DATETIME_FORMAT")
    return waiting_card(
        request,
        testid="waiting-claims",
        count=len(claims),
        title=ngettext(
            "%(count)d task you claimed needs a progress report",
            "%(count)d tasks you claimed need a progress report",
            len(claims),
        )
        % {"count": len(claims)},
        detail=gettext("%(title)s · lapses %(when)s") % {"title": first.item.title, "when": lapses},
        action=pgettext("home page action", "Report progress"),
        url=reverse("governance_portal:detail", args=[first.item_id]),
        list_url=reverse("governance_portal:my_claims"),
        urgent=True,
    )


def home_services(request: HttpRequest) -> str:
    if not has_action(request.user, "governance.claim"):
        return ""
    count = claimable_items(request.user).count()
    tiles = [
        {
            "key": "governance",
            "url": reverse("governance_portal:home"),
            "label": _("Tasks and wishes to claim"),
            "hint": ngettext("%(count)d open for claiming", "%(count)d open for claiming", count) % {"count": count}
            if count
            else "",
        }
    ]
    return service_tiles(request, tiles)


register_panel("portal", home_waiting, order=30)
register_panel("portal.services", home_services, order=40)

"""The meetings' pages in the navigation, and their cards on the resident's home page."""

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
    SETTINGS,
    MenuEntry,
    register,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

from .selectors import invitations_awaiting_my_reply

register(
    MenuEntry(_("My meetings"), "meetings_portal:list", ("portal.use",), MY_COMMUNITY, 50, "calendar-event"),
    MenuEntry(_("Meetings"), "meetings:meeting_list", ("meetings.view",), COGOVERNANCE, 40, "people"),
    MenuEntry(_("Meeting action items"), "meetings:action_list", ("meetings.view",), COGOVERNANCE, 50, "check2-all"),
    MenuEntry(_("Rules of procedure"), "meetings:rule_list", ("meetings.configure",), SETTINGS, 40, "sliders"),
)


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_waiting(request: HttpRequest) -> str:
    """Invitations to meetings that have not started and that the resident has not answered: one
    card, straight to the meeting (where they reply) when there is one."""
    if not has_action(request.user, "portal.use"):
        return ""
    invitations = list(invitations_awaiting_my_reply(request.user))
    if not invitations:
        return ""
    meeting = invitations[0].meeting
    starts = date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    return waiting_card(
        request,
        testid="waiting-meetings",
        count=len(invitations),
        title=ngettext(
            "%(count)d meeting invitation to answer", "%(count)d meeting invitations to answer", len(invitations)
        )
        % {"count": len(invitations)},
        detail=gettext("%(title)s · %(when)s") % {"title": meeting.title, "when": starts},
        action=pgettext("home page action", "Reply"),
        url=reverse("meetings_portal:detail", args=[meeting.pk]),
        list_url=reverse("meetings_portal:list"),
    )


def home_services(request: HttpRequest) -> str:
    if not has_action(request.user, "portal.use"):
        return ""
    tiles = [{"key": "meetings", "url": reverse("meetings_portal:list"), "label": _("My meetings")}]
    return service_tiles(request, tiles)


register_panel("portal", home_waiting, order=40)
register_panel("portal.services", home_services, order=65)

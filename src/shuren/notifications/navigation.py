"""The inbox in the navigation of both shells, with its unread count, the preferences page, and the
administrator's delivery page; the SMS spend of the communities in one's scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from shuren.core.navigation import ADMINISTRATION, CONSOLE, MenuEntry, register, register_panel
from shuren.core.scoping import has_action

from .selectors import unread_count
from .templatetags.notifications_inbox import unread_messages


def inbox_badge(request: HttpRequest) -> str:
    return unread_messages({"request": request})


register(
    # One entry for both shells: after the residents' pages in the portal, after the dashboard in the console.
    MenuEntry(
        _("Messages"),
        "notifications:inbox",
        ("portal.use", "web.view_dashboard"),
        CONSOLE,
        15,
        "bell",
        badge=inbox_badge,
    ),
    # Community staff and the offices above them: what their communities' SMS cost this month.
    MenuEntry(_("SMS spend"), "notifications:spend", ("insights.report",), CONSOLE, 17, "chat-dots"),
    MenuEntry(_("Message delivery"), "notifications:delivery", ("system.configure",), ADMINISTRATION, 60, "send"),
)


def home_waiting(request: HttpRequest) -> str:
    """On the resident's home: the messages of their inbox they have not read (one COUNT)."""
    if not has_action(request.user, "portal.use"):
        return ""
    count = unread_count(request.user)
    if not count:
        return ""
    context = {
        "testid": "waiting-messages",
        "count": count,
        "title": ngettext("%(count)d unread message", "%(count)d unread messages", count) % {"count": count},
        "detail": "",
        "action": pgettext("home page action", "Read"),
        "url": reverse("notifications:inbox"),
    }
    return render_to_string("web/home/_waiting_card.html", context, request=request)


register_panel("portal", home_waiting, order=70)

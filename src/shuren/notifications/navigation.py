"""The inbox in the navigation of both shells, with its unread count, the preferences page, and the
administrator's delivery page; the SMS spend of the communities in one's scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import ADMINISTRATION, CONSOLE, MenuEntry, register

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

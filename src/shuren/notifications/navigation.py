"""The inbox in the console's navigation, with its unread count (residents reach it from their tab
bar), the administrator's delivery page, and the SMS spend of the communities in one's scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from shuren.core.navigation import DATA, SETTINGS, WORKBENCH, MenuEntry, register, register_panel, waiting_card
from shuren.core.scoping import has_action

from .selectors import unread_count_of_request


def inbox_count(request: HttpRequest) -> int:
    return unread_count_of_request(request)


register(
    MenuEntry(
        _("Messages"),
        "notifications:inbox",
        ("web.view_dashboard",),
        WORKBENCH,
        15,
        "bell",
        count=inbox_count,
        count_label=_("unread"),
    ),
    # Community staff and the offices above them: what their communities' SMS cost this month.
    MenuEntry(_("SMS spend"), "notifications:spend", ("insights.report",), DATA, 20, "chat-dots"),
    MenuEntry(_("Message delivery"), "notifications:delivery", ("system.configure",), SETTINGS, 120, "send"),
)


def home_waiting(request: HttpRequest) -> str:
    """On the resident's home: the messages of their inbox they have not read (one COUNT)."""
    if not has_action(request.user, "portal.use"):
        return ""
    count = unread_count_of_request(request)
    if not count:
        return ""
    return waiting_card(
        request,
        testid="waiting-messages",
        count=count,
        title=ngettext("%(count)d unread message", "%(count)d unread messages", count) % {"count": count},
        detail="",
        action=pgettext("home page action", "Read"),
        url=reverse("notifications:inbox"),
    )


register_panel("portal", home_waiting, order=70)

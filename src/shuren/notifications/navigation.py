"""The inbox in the console's navigation, with its unread count (residents reach it from their tab
bar), the administrator's delivery page, and the SMS spend of the communities in one's scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import DATA, SETTINGS, WORKBENCH, MenuEntry, register

from .selectors import unread_count


def inbox_count(request: HttpRequest) -> int:
    return unread_count(getattr(request, "user", None))


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

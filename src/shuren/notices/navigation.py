"""The notices' pages in the navigation, and the notices card of the residents' home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import MY_COMMUNITY, SETTINGS, WORKBENCH, MenuEntry, register, register_panel


def portal_card(request: HttpRequest) -> str:
    """The current notices meant for the resident (the newest three), with how many are unread."""
    from . import selectors

    user = request.user
    if not user.is_authenticated:
        return ""
    notices = list(selectors.my_notices(user)[:3])
    if not notices:
        return ""
    reads = selectors.my_reads(user, notices)
    for notice in notices:
        reader = reads.get(notice.pk)
        notice.unread = reader is not None and reader.read_at is None  # type: ignore[attr-defined]
    context = {"notices": notices, "unread": selectors.unread_count(user)}
    return render_to_string("notices/portal/_portal_card.html", context, request=request)


register(
    MenuEntry(_("Notices"), "notices_portal:list", ("portal.use",), MY_COMMUNITY, 15, "megaphone"),
    MenuEntry(_("Stairwell notices"), "notices:list", ("notices.view", "notices.write"), WORKBENCH, 30, "megaphone"),
    MenuEntry(_("Notices reached"), "notices:figures", ("notices.view",), WORKBENCH, 31, "bar-chart"),
    MenuEntry(_("Stairwell group robots"), "notices:groups", ("notices.manage_groups",), SETTINGS, 60, "robot"),
)
register_panel("portal", portal_card, order=5)

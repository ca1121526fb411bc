"""The staff's queue of link requests in the console menu, with the number waiting as its badge."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.core.navigation import CONSOLE, MenuEntry, register


def waiting_badge(request: HttpRequest) -> str:
    """The requests waiting in the user's areas (one COUNT), or nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    from .selectors import waiting_count

    count = waiting_count(user)
    if not count:
        return ""
    return format_html(
        ' <span class="badge rounded-pill text-bg-warning" data-testid="link-requests-waiting">{}'
        '<span class="visually-hidden"> {}</span></span>',
        count if count < 100 else "99+",
        _("waiting"),
    )


register(
    MenuEntry(
        gettext_lazy("Account link requests"),
        "signup:queue",
        ("signup.review",),
        CONSOLE,
        55,
        "person-check",
        badge=waiting_badge,
    ),
)

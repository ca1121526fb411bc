"""The staff's queue of link requests in the console menu, with the number waiting as its count, and a
card on the staff dashboard while requests wait."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from shuren.core.navigation import REGISTRY, MenuEntry, register, register_panel


def waiting(request: HttpRequest) -> int:
    """The requests waiting in the user's areas (one COUNT)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    from .selectors import waiting_count

    return waiting_count(user)


def dashboard_card(request: HttpRequest) -> str:
    """On the dashboard of whoever reviews link requests: how many wait, and the way to the queue."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    from shuren.core.scoping import has_action

    from .selectors import waiting_count

    if not has_action(user, "signup.review"):
        return ""
    count = waiting_count(user)
    if not count:
        return ""
    return format_html(
        '<div class="alert alert-warning d-flex flex-wrap align-items-center gap-2" data-testid="link-requests-card">'
        "<span>{}</span>"
        '<a class="btn btn-sm btn-warning ms-auto" href="{}">{}</a></div>',
        ngettext(
            "%(count)d resident is waiting for their account to be linked to their home.",
            "%(count)d residents are waiting for their accounts to be linked to their homes.",
            count,
        )
        % {"count": count},
        reverse("signup:queue"),
        _("Review the requests"),
    )


register_panel("dashboard", dashboard_card, order=10)

register(
    MenuEntry(
        gettext_lazy("Account link requests"),
        "signup:queue",
        ("signup.review",),
        REGISTRY,
        50,
        "person-check",
        count=waiting,
        count_label=gettext_lazy("waiting"),
    ),
)

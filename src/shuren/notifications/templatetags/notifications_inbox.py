"""The unread count of the inbox, for the header of the console and the portal:
``{% load notifications_inbox %}{% inbox_bell %}`` (a link with a badge) or ``{% unread_messages %}``
(the badge alone, as the navigation draws it)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..selectors import unread_count_of_request

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def badge(count: int) -> SafeString | str:
    if not count:
        return ""
    return format_html(
        ' <span class="badge rounded-pill text-bg-danger" data-testid="inbox-unread">{}'
        '<span class="visually-hidden"> {}</span></span>',
        count if count < 100 else "99+",
        _("unread"),
    )


@register.simple_tag(takes_context=True)
def unread_messages(context: Any) -> SafeString | str:
    """A badge with the user's unread in-app messages (one COUNT on an indexed column)."""
    user = _user(context)
    return badge(unread_count_of_request(context.get("request"))) if user is not None else ""


@register.simple_tag(takes_context=True)
def inbox_bell(context: Any) -> SafeString | str:
    """The header's link to the inbox, with the unread count."""
    user = _user(context)
    if user is None:
        return ""
    count = unread_count_of_request(context.get("request"))
    label = _("Messages")
    title = _("%(count)d unread messages") % {"count": count} if count else label
    return format_html(
        '<a class="me-2 btn btn-outline-light btn-sm" href="{}" data-testid="inbox-bell" title="{}">{}{}</a>',
        reverse("notifications:inbox"),
        title,
        label,
        badge(count),
    )

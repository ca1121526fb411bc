"""The appeals card on the resident portal's home page (web/portal.html): report a problem, my
appeals, and the unread messages badge (the inbox's count). The portal home belongs to the web app, which knows
nothing of appeals; this component brings its own figures from the appeals selectors."""

from __future__ import annotations

from typing import Any

from django import template

from shuren.core.scoping import has_action
from shuren.notifications.selectors import unread_count

from ..models import OPEN_STATUSES, Status
from ..selectors import my_appeals

register = template.Library()


@register.inclusion_tag("appeals/portal/_portal_card.html", takes_context=True)
def appeals_portal_card(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    mine = my_appeals(user)
    return {
        "show": True,
        "can_report": has_action(user, "appeals.report"),
        "open_count": mine.filter(status__in=OPEN_STATUSES).count(),
        "to_rate": mine.filter(status=Status.RESOLVED, reporter=user).count(),
        "unread_count": unread_count(user),
    }

"""The volunteering pages in the navigation, and their cards on the resident's home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import (
    MY_COMMUNITY,
    SETTINGS,
    VOLUNTEERING,
    MenuEntry,
    register,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

from .models import SignUpStatus
from .selectors import my_upcoming_signups, open_for_signup_count

register(
    MenuEntry(
        _("Volunteer activities"),
        "volunteering_portal:home",
        ("volunteering.volunteer",),
        MY_COMMUNITY,
        90,
        "heart-pulse",
    ),
    MenuEntry(
        _("Volunteer activities"), "volunteering:activity_list", ("volunteering.view",), VOLUNTEERING, 10, "heart-pulse"
    ),
    MenuEntry(_("Volunteers"), "volunteering:volunteer_list", ("volunteering.view",), VOLUNTEERING, 20, "person-heart"),
    MenuEntry(
        _("Party members' service hours"),
        "volunteering:progress",
        ("volunteering.view",),
        VOLUNTEERING,
        30,
        "hourglass-split",
    ),
    MenuEntry(
        _("Volunteering policy"), "volunteering:policy_list", ("volunteering.configure",), SETTINGS, 70, "sliders"
    ),
)


# --- the resident's home (web:portal) -------------------------------------------------------------


def home_waiting(request: HttpRequest) -> str:
    """The activities the resident signed up for (a place, or a place in the queue) that have not
    ended: one card, straight to the activity when there is one."""
    if not has_action(request.user, "volunteering.volunteer"):
        return ""
    signups = list(my_upcoming_signups(request.user))
    if not signups:
        return ""
    first = signups[0]
    starts = date_format(timezone.localtime(first.activity.starts_at), "DATETIME_FORMAT")
    detail = gettext("%(title)s · %(when)s") % {"title": first.activity.title, "when": starts}
    if first.status == SignUpStatus.WAITLISTED:
        detail = gettext("%(activity)s (on the waiting list)") % {"activity": detail}
    return waiting_card(
        request,
        testid="waiting-activities",
        count=len(signups),
        title=ngettext("%(count)d activity you signed up for", "%(count)d activities you signed up for", len(signups))
        % {"count": len(signups)},
        detail=detail,
        action=pgettext("home page action", "View"),
        url=reverse("volunteering_portal:activity", args=[first.activity_id]),
        list_url=reverse("volunteering_portal:mine"),
    )


def home_services(request: HttpRequest) -> str:
    if not has_action(request.user, "volunteering.volunteer"):
        return ""
    count = open_for_signup_count(request.user)
    hint = ngettext("%(count)d open for sign-up", "%(count)d open for sign-up", count) % {"count": count}
    tiles = [
        {
            "key": "volunteering",
            "url": reverse("volunteering_portal:home"),
            "label": _("Volunteer activities"),
            "hint": hint if count else "",
        }
    ]
    return service_tiles(request, tiles)


register_panel("portal", home_waiting, order=50)
register_panel("portal.services", home_services, order=30)

"""The lists' pages in the navigation, and their cards on the home pages: the serviceable list
among the resident's services, the matches waiting for a member unit's answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import (
    COGOVERNANCE,
    MY_COMMUNITY,
    MenuEntry,
    register,
    register_panel,
    service_tiles,
    waiting_card,
)
from shuren.core.scoping import has_action

from .selectors import matches_to_me, person_of, provider_organization_ids

register(
    MenuEntry(
        _("My requests for services"), "lists_portal:my_requests", ("lists.request",), MY_COMMUNITY, 45, "basket"
    ),
    MenuEntry(_("Residents' needs"), "lists:need_list", ("lists.view",), COGOVERNANCE, 90, "clipboard-heart"),
    MenuEntry(_("Units' resources"), "lists:resource_list", ("lists.view",), COGOVERNANCE, 91, "box-seam"),
)


def provider_waiting(request: HttpRequest) -> str:
    """A member unit's contact: the matches waiting for their answer, one card."""
    if not provider_organization_ids(request.user):
        return ""
    waiting = list(matches_to_me(request.user).filter(status="proposed")[:20])
    if not waiting:
        return ""
    first = waiting[0]
    return waiting_card(
        request,
        testid="waiting-matches",
        count=len(waiting),
        title=ngettext(
            "%(count)d request for your resources waits for an answer",
            "%(count)d requests for your resources wait for an answer",
            len(waiting),
        )
        % {"count": len(waiting)},
        detail=gettext("%(need)s · %(resource)s") % {"need": first.need.title, "resource": first.resource.title},
        action=pgettext("home page action", "Answer"),
        url=reverse("lists:unit_requests"),
        list_url=reverse("lists:unit_requests"),
        urgent=True,
    )


def home_services(request: HttpRequest) -> str:
    """The resident's community's serviceable list, as a tile."""
    if not has_action(request.user, "lists.request"):
        return ""
    person = person_of(request.user)
    if person is None:
        return ""
    tiles = [
        {
            "key": "serviceable",
            "url": reverse("lists_public:serviceable", args=[person.community_id]),
            "label": _("Services in my community"),
            "hint": "",
        }
    ]
    return service_tiles(request, tiles)


def dashboard_card(request: HttpRequest) -> str:
    """On a staff dashboard (a unit's contact may also be a handler or staff): the same call."""
    if not provider_organization_ids(request.user):
        return ""
    count = matches_to_me(request.user).filter(status="proposed").count()
    if not count:
        return ""
    return format_html(
        '<div class="alert alert-warning d-flex flex-wrap align-items-center gap-2" data-testid="unit-requests-card">'
        "<span>{}</span>"
        '<a class="btn btn-sm btn-warning ms-auto" href="{}">{}</a></div>',
        ngettext(
            "%(count)d request for your unit's resources waits for an answer.",
            "%(count)d requests for your unit's resources wait for an answer.",
            count,
        )
        % {"count": count},
        reverse("lists:unit_requests"),
        gettext("Answer the requests"),
    )


register_panel("portal", provider_waiting, order=35)
register_panel("dashboard", dashboard_card, order=90)
register_panel("portal.services", home_services, order=45)

"""Home routing by role, the resident portal and the staff dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shuren.core import charts, navigation
from shuren.core.permissions import public, requires
from shuren.core.scoping import visible
from shuren.places.models import Area, AreaKind


@public
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the user's roles: the first route in the registry (shuren.core.navigation)
    whose action the user holds."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    url_name = navigation.home_for(request.user)
    if url_name is not None:
        return redirect(url_name)
    return render(request, "web/no_role.html")


# The pages of home panels the resident's home draws (shuren.core.navigation.register_panel): what
# waits for this person (a card each, with its number and the way to it), and what their community
# offers (large tiles).
WAITING = "portal"
SERVICES = "portal.services"


def rendered_panels(request: HttpRequest, page: str) -> list[str]:
    """The html of the panels of ``page`` that have something to show, in their order."""
    return [html for panel in navigation.panels(page) if (html := panel.render(request))]


@requires("portal.use")
def portal(request: HttpRequest) -> HttpResponse:
    """The resident's home, phone first: where they belong, what waits for them (待我处理), and what
    their community offers (社区服务). Each app draws its own cards from its selectors, and only for
    users holding its residents' action; the shell knows none of them."""
    areas = visible(Area.objects.all(), request.user, "portal.use").order_by("depth")
    # Residents see where they belong: their grid with the community and subdistrict above it.
    places = [(area, [a.name for a in area.ancestors() if a.depth > 0]) for area in areas]
    context = {
        "places": places,
        "waiting": rendered_panels(request, WAITING),
        "services": rendered_panels(request, SERVICES),
    }
    return render(request, "web/portal.html", context)


@requires("web.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard an app registered for the user's roles (insights: the figures of their own
    scope); a plain overview of the areas for roles that read no figures (handlers, building
    leaders)."""
    for board in navigation.dashboards_for(request.user):
        response = board.view(request)
        if response is not None:
            return response
    areas = visible(Area.objects.all(), request.user, "web.view_dashboard")
    counts = dict(areas.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    kinds = [kind for kind in AreaKind.values if counts.get(kind)]
    communities = list(areas.filter(kind=AreaKind.COMMUNITY).order_by("path").values_list("name", "population"))
    context: dict[str, Any] = {
        "scope_area": areas.order_by("depth").first(),
        "kind_counts": [(AreaKind(kind).label, counts.get(kind, 0)) for kind in kinds],
        "areas_chart": charts.chart(
            "bar", [AreaKind(kind).label for kind in kinds], [{"name": _("Areas"), "data": [counts[k] for k in kinds]}]
        ),
        "population_chart": charts.chart(
            "pie",
            [name for name, _population in communities],
            [{"name": _("Residents"), "data": [p or 0 for _name, p in communities]}],
            unit=pgettext("unit of count", "people"),
        ),
    }
    return render(request, "web/dashboard.html", context)

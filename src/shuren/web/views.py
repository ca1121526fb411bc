"""Home routing by role, the resident portal and the staff dashboard; error pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shuren.core.permissions import public, requires
from shuren.core.scoping import has_action, visible
from shuren.places.models import Area, AreaKind

# The first action in this list that the user holds decides their home page.
HOME_BY_ACTION = [
    ("audit.view_event", "audit:event_list"),
    ("accounts.view_user", "accounts_admin:user_list"),
    ("system.configure", "places:area_list"),
    ("orgs.view_own_posts", "orgs:my_posts"),
    ("appeals.handle", "appeals:handler_list"),
    ("web.view_dashboard", "web:dashboard"),
    ("portal.use", "web:portal"),
]


@public
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    for action, url_name in HOME_BY_ACTION:
        if has_action(request.user, action):
            return redirect(url_name)
    return render(request, "web/no_role.html")


@requires("portal.use")
def portal(request: HttpRequest) -> HttpResponse:
    areas = visible(Area.objects.all(), request.user, "portal.use").order_by("depth")
    # Residents see where they belong: their grid with the community and subdistrict above it.
    places = [(area, [a.name for a in area.ancestors() if a.depth > 0]) for area in areas]
    return render(request, "web/portal.html", {"places": places})


@requires("web.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of the user's own scope (insights); a plain overview of the areas for roles
    that do not read figures (handlers, building leaders)."""
    if has_action(request.user, "insights.view"):
        from shuren.insights.selectors import top_areas
        from shuren.insights.views import render_dashboard

        tops = top_areas(request.user)
        if len(tops) == 1:
            return render_dashboard(request, tops[0])
        if tops:
            return redirect("insights:home")
    areas = visible(Area.objects.all(), request.user, "web.view_dashboard")
    counts = dict(areas.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    kinds = [kind for kind in AreaKind.values if counts.get(kind)]
    communities = list(areas.filter(kind=AreaKind.COMMUNITY).order_by("path").values_list("name", "population"))
    context: dict[str, Any] = {
        "scope_area": areas.order_by("depth").first(),
        "kind_counts": [(AreaKind(kind).label, counts.get(kind, 0)) for kind in kinds],
        "chart_labels": [AreaKind(kind).label for kind in kinds],
        "chart_series": [{"name": _("Areas"), "data": [counts[kind] for kind in kinds]}],
        "population_labels": [name for name, _population in communities],
        "population_series": [{"name": _("Residents"), "data": [p or 0 for _name, p in communities]}],
    }
    return render(request, "web/dashboard.html", context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 400}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 403}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error.html", {"status": 500}, status=500)

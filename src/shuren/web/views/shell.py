"""The pages of the tab bar that belong to no app: every service the user may open (办事) and the
user's own page (我的), in the console's shell for staff and the portal's for residents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shuren.accounts.acting import acting_user
from shuren.accounts.models import RoleGrant
from shuren.core.permissions import authenticated

from ..navigation import shell_for

CONSOLE_LAYOUT = "web/console.html"
PORTAL_LAYOUT = "web/portal_base.html"


def _shell_context(request: HttpRequest) -> dict[str, Any]:
    """The layout to extend: the console's for staff, the portal's for residents."""
    in_console = shell_for(request).in_console
    return {"layout": CONSOLE_LAYOUT if in_console else PORTAL_LAYOUT, "in_console": in_console}


@authenticated
def services(request: HttpRequest) -> HttpResponse:
    """全部服务: every page the user may open, grouped by the work, as large tiles."""
    shell = shell_for(request)
    if not shell.groups:  # no role yet: the home page says what to do
        return redirect("web:home")
    return render(request, "web/services.html", {**_shell_context(request), "groups": shell.groups})


@authenticated
def me(request: HttpRequest) -> HttpResponse:
    """我的: who the user is and where (their roles and areas), their account's security, the display
    preferences and signing out."""
    user = acting_user(request)
    if not shell_for(request).groups:
        return redirect("web:home")
    grants = RoleGrant.objects.filter(user=user).active().select_related("area").order_by("area__path", "role")
    places = []
    for grant in grants:
        area = grant.area
        above = [a.name for a in area.ancestors() if a.depth > 0] if area is not None else []
        places.append({"role": grant.get_role_display(), "area": area, "above": above})
    return render(request, "web/me.html", {**_shell_context(request), "places": places})

"""The appeals' pages in the navigation, the handlers' home page and the appeals card of the residents'
home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import APPEALS, MY_COMMUNITY, SETTINGS, MenuEntry, register, register_home, register_panel

from .templatetags.appeals_portal import appeals_portal_card


def portal_card(request: HttpRequest) -> str:
    return render_to_string("appeals/portal/_portal_card.html", appeals_portal_card({"request": request}))


register(
    MenuEntry(_("Report a problem"), "appeals_portal:report", ("portal.use",), MY_COMMUNITY, 20, "megaphone"),
    MenuEntry(_("My appeals"), "appeals_portal:list", ("portal.use",), MY_COMMUNITY, 30, "chat"),
    MenuEntry(_("Collect an appeal"), "appeals_portal:collect", ("appeals.record",), APPEALS, 10, "clipboard"),
    MenuEntry(_("Appeals"), "appeals:appeal_list", ("appeals.view",), APPEALS, 20, "megaphone"),
    MenuEntry(_("Appeals dispatched to us"), "appeals:handler_list", ("appeals.handle",), APPEALS, 30, "inbox"),
    MenuEntry(_("Appeal KPIs"), "appeals:kpis", ("appeals.view_kpi",), APPEALS, 40, "graph-up"),
    MenuEntry(_("Dispatch rules"), "appeals:rule_list", ("appeals.configure_rules",), SETTINGS, 10, "signpost-split"),
    MenuEntry(_("Appeal categories"), "appeals:category_list", ("appeals.configure",), SETTINGS, 20, "tags"),
    MenuEntry(_("Working days"), "appeals:workday_list", ("appeals.configure",), SETTINGS, 30, "calendar"),
)
register_home("appeals.handle", "appeals:handler_list", order=50)
register_panel("portal", portal_card, order=10)

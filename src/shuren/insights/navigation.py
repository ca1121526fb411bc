"""insights in the navigation, and the shell's dashboard for users who read figures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import DATA, SETTINGS, MenuEntry, register, register_dashboard

from . import selectors
from .views.dashboards import scope_dashboard

register(
    MenuEntry(_("Evaluation index"), "insights:evaluation", (selectors.VIEW,), DATA, 10, "award"),
    MenuEntry(_("Evaluation indicators"), "insights:indicator_list", ("insights.configure",), SETTINGS, 90, "sliders"),
)
register_dashboard(selectors.VIEW, scope_dashboard, order=10)

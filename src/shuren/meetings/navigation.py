"""The meetings' pages in the navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import COGOVERNANCE, MY_COMMUNITY, SETTINGS, MenuEntry, register

register(
    MenuEntry(_("My meetings"), "meetings_portal:list", ("portal.use",), MY_COMMUNITY, 50, "calendar-event"),
    MenuEntry(_("Meetings"), "meetings:meeting_list", ("meetings.view",), COGOVERNANCE, 40, "people"),
    MenuEntry(_("Meeting action items"), "meetings:action_list", ("meetings.view",), COGOVERNANCE, 50, "check2-all"),
    MenuEntry(_("Rules of procedure"), "meetings:rule_list", ("meetings.configure",), SETTINGS, 40, "sliders"),
)

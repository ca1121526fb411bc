"""The audit log in the navigation; the auditors' home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import SETTINGS, MenuEntry, register, register_home

register(MenuEntry(_("Audit log"), "audit:event_list", ("audit.view_event",), SETTINGS, 110, "journal"))
register_home("audit.view_event", "audit:event_list", order=10)

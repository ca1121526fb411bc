"""Users and roles in the navigation; the security administrator's home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import SETTINGS, MenuEntry, register, register_home

register(MenuEntry(_("Users and roles"), "accounts_admin:user_list", ("accounts.view_user",), SETTINGS, 100, "people"))
register_home("accounts.view_user", "accounts_admin:user_list", order=20)

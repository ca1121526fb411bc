"""Organisations and posts in the navigation; the building leaders' home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shuren.core.navigation import ORGANISATION, WORKBENCH, MenuEntry, register, register_home

register(
    MenuEntry(_("My buildings"), "orgs:my_posts", ("orgs.view_own_posts",), WORKBENCH, 20, "building"),
    MenuEntry(_("Organisations"), "orgs:organization_list", ("orgs.view_organization",), ORGANISATION, 10, "flag"),
    MenuEntry(_("Posts and duties"), "orgs:post_list", ("orgs.view_organization",), ORGANISATION, 20, "person-badge"),
)
register_home("orgs.view_own_posts", "orgs:my_posts", order=40)

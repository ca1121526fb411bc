"""The shell's own pages in the navigation and among the home pages, and the navigation a user sees:
the console's sidebar grouped by the work, the tab bar of phones and the page of all services.

The entries of the apps are theirs: each app declares them in its ``navigation.py`` (see
``shuren.core.navigation``); the shell only shows those whose action the user holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.navigation import (
    MY_COMMUNITY,
    WORKBENCH,
    Group,
    MenuEntry,
    grouped_menu_for,
    home_for,
    menu_for,
    register,
    register_home,
)
from shuren.notifications.selectors import unread_count_of_request

register(
    MenuEntry(_("My community"), "web:portal", ("portal.use",), MY_COMMUNITY, 10, "house"),
    MenuEntry(_("Dashboard"), "web:dashboard", ("web.view_dashboard",), WORKBENCH, 10, "speedometer"),
)
register_home("web.view_dashboard", "web:dashboard", order=60)
register_home("portal.use", "web:portal", order=70)

# The cookie in which the console remembers the groups its user left open (keys joined by ".").
OPEN_GROUPS_COOKIE = "shuren_nav_open"
# At most this many tabs fit one line each on a 360 px phone.
MAX_TABS = 5


def navigation_for(user: Any) -> list[MenuEntry]:
    """The entries of the navigation ``user`` may follow, in order."""
    return menu_for(user)


def works_in_console(user: Any) -> bool:
    """Whether ``user`` has any page of the staff's work (else the residents' portal is their shell)."""
    return any(not entry.for_residents for entry in menu_for(user))


def _best_match(path: str, urls: list[str]) -> str | None:
    """The longest of ``urls`` that ``path`` is, or lies beneath (``/appeals/12/`` under ``/appeals/``)."""
    matches = [url for url in urls if url != "/" and path.startswith(url)]
    return max(matches, key=len) if matches else None


@dataclass(frozen=True)
class NavItem:
    """One entry as the shell draws it for one request: where it leads and how much waits there."""

    entry: MenuEntry
    url: str
    count: int
    badge: str
    current: bool
    exact: bool

    @property
    def label(self) -> str | Promise:
        return self.entry.label

    @property
    def icon(self) -> str:
        return self.entry.icon or "dot"

    @property
    def count_label(self) -> str | Promise:
        return self.entry.count_label

    @property
    def count_testid(self) -> str:
        return "nav-count-" + self.entry.url_name.replace(":", "-").replace("_", "-")


@dataclass(frozen=True)
class NavGroup:
    """A work group with the entries the user may open in it."""

    group: Group
    items: tuple[NavItem, ...]
    is_open: bool

    @property
    def key(self) -> str:
        return self.group.key

    @property
    def label(self) -> str | Promise:
        return self.group.label

    @property
    def icon(self) -> str:
        return self.group.icon

    @property
    def total(self) -> int:
        """What waits in the whole group (the sum of its entries' counts)."""
        return sum(item.count for item in self.items)

    @property
    def marked(self) -> bool:
        """Something waits behind a badge that gives no number: the closed group shows a dot."""
        return not self.total and any(item.badge for item in self.items)

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)

    @property
    def count_testid(self) -> str:
        return f"nav-group-count-{self.key}"

    @property
    def for_residents(self) -> bool:
        return self.group.for_residents


@dataclass(frozen=True)
class Tab:
    """A tab of the bottom bar."""

    key: str
    label: str | Promise
    url: str
    icon: str
    current: bool
    count: int = 0


class Shell:
    """The navigation of one request, computed once and shared by the sidebar, the tab bar and the
    page of all services."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = getattr(request, "user", None)
        self.path = request.path

    @cached_property
    def signed_in(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @cached_property
    def _grouped(self) -> list[tuple[Group, list[MenuEntry]]]:
        return grouped_menu_for(self.user) if self.signed_in else []

    @cached_property
    def in_console(self) -> bool:
        """Whether the user works in the console (staff), rather than only in the residents' portal."""
        return any(not group.for_residents for group, _entries in self._grouped)

    @cached_property
    def _current_url(self) -> str | None:
        urls = [entry.url for _group, entries in self._grouped for entry in entries]
        return _best_match(self.path, urls)

    @cached_property
    def remembered_open(self) -> set[str] | None:
        """The groups the user left open, or None when nothing is remembered yet."""
        raw = self.request.COOKIES.get(OPEN_GROUPS_COOKIE)
        if raw is None:
            return None
        return {key for key in raw.split(".") if key}

    @cached_property
    def groups(self) -> list[NavGroup]:
        """The groups the user has entries in, in order; the group of the page shown is open, and so
        are those the user left open; with nothing remembered, the first group of their work."""
        drafts = []
        for group, entries in self._grouped:
            items = tuple(self._item(entry) for entry in entries)
            drafts.append((group, items))
        current = {group.key for group, items in drafts if any(item.current for item in items)}
        remembered = self.remembered_open
        if remembered is None:
            default = [g.key for g, _items in drafts if not g.for_residents or not self.in_console]
            remembered = set(default[:1]) if not current else set()
        groups = [NavGroup(group, items, group.key in current | remembered) for group, items in drafts]
        if self.in_console:  # a building leader's own pages as a resident come after the work
            groups.sort(key=lambda g: g.for_residents)
        return groups

    def _item(self, entry: MenuEntry) -> NavItem:
        url = entry.url
        count = entry.count(self.request) if entry.count is not None else 0
        badge = entry.badge(self.request) if entry.badge is not None else ""
        return NavItem(
            entry=entry,
            url=url,
            count=count,
            badge=badge,
            current=url == self._current_url,
            exact=url == self.path,
        )

    @cached_property
    def unread(self) -> int:
        return unread_count_of_request(self.request) if self.signed_in else 0

    @cached_property
    def home_url(self) -> str:
        """Where the first tab leads: the portal's home for residents, the home of their role for staff."""
        if not self.in_console:
            return reverse("web:portal")
        url_name = home_for(self.user) or "web:dashboard"
        try:
            return reverse(url_name)
        except NoReverseMatch:
            return reverse("web:dashboard")

    @cached_property
    def tabs(self) -> list[Tab]:
        """The bottom bar: home (工作台 for staff, 首页 for residents), 办事, 消息, 我的."""
        if not self.signed_in or not self._grouped:
            return []
        home, services = self.home_url, reverse("web:services")
        inbox, me = reverse("notifications:inbox"), reverse("web:me")
        security = reverse("accounts:security")
        path = self.path
        on_me = path == me or path.startswith(security)
        on_inbox = path.startswith(inbox)
        on_home = path == home
        on_services = path == services or (
            self._current_url is not None and self._current_url != home and not (on_me or on_inbox or on_home)
        )
        if self.in_console:
            home_label = pgettext_lazy("tab", "Workbench")
            home_icon = "speedometer2"
        else:
            home_label = pgettext_lazy("tab", "Home")
            home_icon = "house-door"
        tabs = [
            Tab("home", home_label, home, home_icon, on_home),
            Tab("services", pgettext_lazy("tab", "Services"), services, "grid-3x3-gap", on_services),
            Tab("messages", pgettext_lazy("tab", "Messages"), inbox, "chat-dots", on_inbox, self.unread),
            Tab("me", pgettext_lazy("tab", "Me"), me, "person-circle", on_me),
        ]
        return tabs[:MAX_TABS]


def shell_for(request: HttpRequest) -> Shell:
    """The request's navigation (built once per request)."""
    shell = getattr(request, "_shuren_shell", None)
    if shell is None:
        shell = Shell(request)
        request._shuren_shell = shell  # type: ignore[attr-defined]
    return shell

"""The registry the apps fill so that the shell (``shuren.web``) can show them without importing them.

Each app declares, in its own ``<app>/navigation.py`` (imported on first use, like ``admin.py``):

- menu entries: ``register(MenuEntry(label, url_name, actions, group, order, icon))`` — shown to a
  user holding any of ``actions``, under the work ``group`` they belong to (the groups below, in
  their order), sorted by ``order`` inside it. ``count`` is an optional callable
  ``(request) -> int``: how many things wait there (unread messages, requests to review), drawn as a
  badge beside the label and summed on the group; ``badge`` an optional callable ``(request) -> html``
  for a badge an app draws itself;
- home routes: ``register_home(action, url_name, order=...)`` — the first route (by order) whose
  action the user holds is where ``/`` sends them;
- dashboards: ``register_dashboard(action, view, order=...)`` — ``view(request)`` answers the staff
  dashboard for users holding ``action``, or returns None to let the next one (finally the plain
  overview) answer;
- home panels: ``register_panel(page, render, order=...)`` — ``render(request)`` returns the html of a
  card on a home page, or "" to show nothing. The pages: ``"portal"`` (the resident's home, what waits
  for this person: one card each, drawn with ``web/home/_waiting_card.html``), ``"portal.services"``
  (the resident's home, what the community offers: tiles, ``web/home/_service_tiles.html``) and
  ``"dashboard"`` (the staff dashboard).

Nothing here imports an app: the registry only holds what the apps give it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from .scoping import has_action

# The work groups of the navigation, top to bottom. The residents' own pages (MY_COMMUNITY) form a
# group of their own, never mixed into the groups of the staff's work: a building leader, who is both,
# sees them apart.
MY_COMMUNITY = "my_community"
WORKBENCH = "workbench"
APPEALS = "appeals"
COGOVERNANCE = "cogovernance"
VOLUNTEERING = "volunteering"
REGISTRY = "registry"
ORGANISATION = "organisation"
DATA = "data"
SETTINGS = "settings"
GROUPS = (MY_COMMUNITY, WORKBENCH, APPEALS, COGOVERNANCE, VOLUNTEERING, REGISTRY, ORGANISATION, DATA, SETTINGS)
STAFF_GROUPS = GROUPS[1:]

# The older names of the menu's sections, each the group its pages now fall in.
PORTAL = MY_COMMUNITY
CONSOLE = WORKBENCH
CONFIGURATION = SETTINGS
ADMINISTRATION = SETTINGS


@dataclass(frozen=True)
class Group:
    """A work group of the navigation: its label and the icon of its heading."""

    key: str
    label: str | Promise
    icon: str

    @property
    def for_residents(self) -> bool:
        return self.key == MY_COMMUNITY


_GROUPS = {
    group.key: group
    for group in (
        Group(MY_COMMUNITY, pgettext_lazy("navigation group", "My community"), "house-heart"),
        Group(WORKBENCH, pgettext_lazy("navigation group", "Workbench"), "speedometer2"),
        Group(APPEALS, pgettext_lazy("navigation group", "Appeals"), "telephone-inbound"),
        Group(COGOVERNANCE, pgettext_lazy("navigation group", "Co-governance"), "people"),
        Group(VOLUNTEERING, pgettext_lazy("navigation group", "Volunteering and points"), "heart-pulse"),
        Group(REGISTRY, pgettext_lazy("navigation group", "Residents and housing"), "buildings"),
        Group(ORGANISATION, pgettext_lazy("navigation group", "Organisations and posts"), "diagram-3"),
        Group(DATA, pgettext_lazy("navigation group", "Data and evaluation"), "bar-chart-line"),
        Group(SETTINGS, pgettext_lazy("navigation group", "Settings"), "gear"),
    )
}


def group(key: str) -> Group:
    """The group named ``key`` (one of ``GROUPS``)."""
    return _GROUPS[key]


Badge = Callable[[HttpRequest], str]
Count = Callable[[HttpRequest], int]
DashboardView = Callable[[HttpRequest], HttpResponse | None]
PanelRender = Callable[[HttpRequest], str]


@dataclass(frozen=True)
class MenuEntry:
    """One link of the navigation, visible to users holding any of ``actions``."""

    label: str | Promise
    url_name: str
    actions: tuple[str, ...]
    group: str = WORKBENCH
    order: int = 0
    icon: str = ""
    badge: Badge | None = field(default=None, compare=False)
    count: Count | None = field(default=None, compare=False)
    # What the count counts, for screen readers ("3 waiting", "3 unread").
    count_label: str | Promise = field(default=pgettext_lazy("navigation count", "waiting"), compare=False)

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"unknown menu group {self.group!r} for {self.url_name}")
        if not self.actions:
            raise ValueError(f"menu entry {self.url_name} names no action")

    @property
    def action(self) -> str:
        """The first action (the one the entry is listed under)."""
        return self.actions[0]

    @property
    def has_badge(self) -> bool:
        return self.badge is not None or self.count is not None

    @property
    def for_residents(self) -> bool:
        """A resident's own page (the portal), not a page of the staff's work."""
        return self.group == MY_COMMUNITY

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def visible_to(self, user: Any) -> bool:
        return any(has_action(user, action) for action in self.actions)

    def sort_key(self) -> tuple[int, int, str]:
        return GROUPS.index(self.group), self.order, self.url_name


@dataclass(frozen=True)
class HomeRoute:
    action: str
    url_name: str
    order: int


@dataclass(frozen=True)
class Dashboard:
    action: str
    view: DashboardView
    order: int


@dataclass(frozen=True)
class Panel:
    page: str
    render: PanelRender
    order: int
    name: str


_MENU: dict[str, MenuEntry] = {}
_HOMES: dict[str, HomeRoute] = {}
_DASHBOARDS: dict[str, Dashboard] = {}
_PANELS: dict[tuple[str, str], Panel] = {}
_discovered = False


def register(*entries: MenuEntry) -> None:
    """Add menu entries (an entry registered again under the same URL name replaces the first)."""
    for entry in entries:
        _MENU[entry.url_name] = entry


def register_home(action: str, url_name: str, *, order: int) -> None:
    _HOMES[url_name] = HomeRoute(action=action, url_name=url_name, order=order)


def register_dashboard(action: str, view: DashboardView, *, order: int) -> None:
    _DASHBOARDS[f"{view.__module__}.{view.__qualname__}"] = Dashboard(action=action, view=view, order=order)


def register_panel(page: str, render: PanelRender, *, order: int) -> None:
    name = f"{render.__module__}.{render.__qualname__}"
    _PANELS[(page, name)] = Panel(page=page, render=render, order=order, name=name)


def waiting_card(
    request: HttpRequest,
    *,
    testid: str,
    count: int,
    title: str,
    detail: str,
    action: str,
    url: str,
    list_url: str | None = None,
    urgent: bool = False,
) -> str:
    """A card of the resident's home, what waits for them (``"portal"`` panels): ``count`` items
    under ``title``, the first one's ``detail``, and a button ``action`` that leads to ``url`` (the
    one item) or, when more than one waits and the app has their list, to ``list_url``."""
    from django.template.loader import render_to_string

    context = {
        "testid": testid,
        "count": count,
        "title": title,
        "detail": detail,
        "action": action,
        "url": list_url if list_url is not None and count != 1 else url,
        "urgent": urgent,
    }
    return render_to_string("web/home/_waiting_card.html", context, request=request)


def service_tiles(request: HttpRequest, tiles: list[dict[str, Any]]) -> str:
    """Tiles of the resident's home, what the community offers (``"portal.services"`` panels): each
    tile a dict of ``key``, ``url``, ``label`` and optionally ``hint``."""
    from django.template.loader import render_to_string

    return render_to_string("web/home/_service_tiles.html", {"tiles": tiles}, request=request)


def discover() -> None:
    """Import every installed app's ``navigation`` module once (they register themselves)."""
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("navigation")
    _discovered = True


def menu() -> list[MenuEntry]:
    """Every entry, in the order the navigation shows them (group by group)."""
    discover()
    return sorted(_MENU.values(), key=MenuEntry.sort_key)


def menu_for(user: Any) -> list[MenuEntry]:
    return [entry for entry in menu() if entry.visible_to(user)]


def grouped_menu_for(user: Any) -> list[tuple[Group, list[MenuEntry]]]:
    """The entries ``user`` may open, group by group in the groups' order; groups without any entry
    for them are left out."""
    grouped: dict[str, list[MenuEntry]] = {}
    for entry in menu_for(user):
        grouped.setdefault(entry.group, []).append(entry)
    return [(_GROUPS[key], grouped[key]) for key in GROUPS if key in grouped]


def home_for(user: Any) -> str | None:
    """The URL name of the user's home page: the first route whose action they hold."""
    discover()
    for route in sorted(_HOMES.values(), key=lambda r: (r.order, r.url_name)):
        if has_action(user, route.action):
            return route.url_name
    return None


def dashboards_for(user: Any) -> list[Dashboard]:
    discover()
    boards = sorted(_DASHBOARDS.values(), key=lambda d: d.order)
    return [board for board in boards if has_action(user, board.action)]


def panels(page: str) -> list[Panel]:
    discover()
    return sorted((p for p in _PANELS.values() if p.page == page), key=lambda p: (p.order, p.name))


# core's own page: the export requests waiting for approval (the exports of every app share it).
def _register_core_pages() -> None:
    register(
        MenuEntry(
            gettext_lazy("Export requests to approve"),
            "exports:pending",
            ("people.approve_export",),
            DATA,
            30,
            "file-earmark-lock",
        )
    )


_register_core_pages()

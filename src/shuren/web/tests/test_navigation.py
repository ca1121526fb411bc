"""The navigation, the home pages and the dashboards come from the registry the apps fill
(shuren.core.navigation): the shell names no app, shows each entry only to roles holding its action,
and groups the entries by the work — the residents' own pages in a group of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

from shuren.accounts.roles import PORTAL_ROLES, ROLE_ACTIONS, Role
from shuren.core import navigation
from shuren.core.navigation import GROUPS, MY_COMMUNITY, STAFF_GROUPS, MenuEntry
from shuren.core.scoping import has_action
from shuren.web.navigation import OPEN_GROUPS_COOKIE, Shell, navigation_for

# The navigation the apps declare, group by group: (label, URL name, action or actions, icon). The
# registry must give exactly this, in this order.
Entry = tuple[str, str, str | tuple[str, ...], str]
MENU: dict[str, list[Entry]] = {
    "my_community": [
        ("My community", "web:portal", "portal.use", "house"),
        ("Notices", "notices_portal:list", "portal.use", "megaphone"),
        ("Report a problem", "appeals_portal:report", "portal.use", "megaphone"),
        ("My appeals", "appeals_portal:list", "portal.use", "chat"),
        ("Tasks and wishes to claim", "governance_portal:home", "governance.claim", "hand-thumbs-up"),
        ("My requests for services", "lists_portal:my_requests", "lists.request", "basket"),
        ("My meetings", "meetings_portal:list", "portal.use", "calendar-event"),
        ("Proposals", "proposals_portal:index", "proposals.propose", "lightbulb"),
        ("Residents' conventions", "conventions_portal:index", "conventions.comment", "journal-text"),
        ("Owners' votes", "ballots_portal:my_ballots", "ballots.vote", "check2-square"),
        ("Surveys", "surveys_portal:my_surveys", "surveys.answer", "clipboard"),
        ("Volunteer activities", "volunteering_portal:home", "volunteering.volunteer", "heart-pulse"),
        ("My points", "points_portal:home", "points.redeem", "coin"),
    ],
    "workbench": [
        ("Dashboard", "web:dashboard", "web.view_dashboard", "speedometer"),
        ("Messages", "notifications:inbox", "web.view_dashboard", "bell"),
        ("My buildings", "orgs:my_posts", "orgs.view_own_posts", "building"),
        ("Stairwell notices", "notices:list", ("notices.view", "notices.write"), "megaphone"),
        ("Notices reached", "notices:figures", "notices.view", "bar-chart"),
    ],
    "appeals": [
        ("Collect an appeal", "appeals_portal:collect", "appeals.record", "clipboard"),
        ("Appeals", "appeals:appeal_list", "appeals.view", "megaphone"),
        ("Appeals dispatched to us", "appeals:handler_list", "appeals.handle", "inbox"),
        ("Appeal KPIs", "appeals:kpis", "appeals.view_kpi", "graph-up"),
    ],
    "cogovernance": [
        ("Governance list", "governance:item_list", "governance.view", "list-check"),
        ("Wishes to review", "governance:wish_review", "governance.manage", "heart"),
        ("Governance-list figures", "governance:figures", "governance.view", "bar-chart"),
        ("Meetings", "meetings:meeting_list", "meetings.view", "people"),
        ("Meeting action items", "meetings:action_list", "meetings.view", "check2-all"),
        ("Resident proposals", "proposals:list", "proposals.view", "lightbulb"),
        ("Conventions", "conventions:list", "conventions.view", "journal-text"),
        ("Owners' ballots", "ballots:ballot_list", "ballots.view", "check2-square"),
        ("Surveys", "surveys:survey_list", "surveys.view", "clipboard"),
        ("Residents' needs", "lists:need_list", "lists.view", "clipboard-heart"),
        ("Units' resources", "lists:resource_list", "lists.view", "box-seam"),
    ],
    "volunteering": [
        ("Volunteer activities", "volunteering:activity_list", "volunteering.view", "heart-pulse"),
        ("Volunteers", "volunteering:volunteer_list", "volunteering.view", "person-heart"),
        ("Party members' service hours", "volunteering:progress", "volunteering.view", "hourglass-split"),
        ("Points", "points:overview", "points.view", "coin"),
        ("Rewards and redemptions", "points:redemption_list", "points.view", "gift"),
        ("Points leaderboard", "points:leaderboard", "points.view", "trophy"),
    ],
    "registry": [
        ("Areas", "places:area_list", "places.view_area", "diagram-2"),
        ("Estates and buildings", "places:estate_list", "places.view_place", "buildings"),
        ("Residents", "people:person_list", "people.view_person", "person"),
        ("Household visits", "people:visit_list", "people.view_person", "door-open"),
        ("Account link requests", "signup:queue", "signup.review", "person-check"),
        ("Import residents", "people:import", "people.change_person", "upload"),
    ],
    "organisation": [
        ("Organisations", "orgs:organization_list", "orgs.view_organization", "flag"),
        ("Posts and duties", "orgs:post_list", "orgs.view_organization", "person-badge"),
    ],
    "data": [
        ("Evaluation index", "insights:evaluation", "insights.view", "award"),
        ("SMS spend", "notifications:spend", "insights.report", "chat-dots"),
        ("Export requests to approve", "exports:pending", "people.approve_export", "file-earmark-lock"),
    ],
    "settings": [
        ("Dispatch rules", "appeals:rule_list", "appeals.configure_rules", "signpost-split"),
        ("Appeal categories", "appeals:category_list", "appeals.configure", "tags"),
        ("Working days", "appeals:workday_list", "appeals.configure", "calendar"),
        ("Rules of procedure", "meetings:rule_list", "meetings.configure", "sliders"),
        ("Ballot rules", "ballots:rule_list", "ballots.configure", "sliders"),
        ("Stairwell group robots", "notices:groups", "notices.manage_groups", "robot"),
        ("Volunteering policy", "volunteering:policy_list", "volunteering.configure", "sliders"),
        ("Points rules", "points:rule_list", "points.configure", "sliders"),
        ("Evaluation indicators", "insights:indicator_list", "insights.configure", "sliders"),
        ("Users and roles", "accounts_admin:user_list", "accounts.view_user", "people"),
        ("Audit log", "audit:event_list", "audit.view_event", "journal"),
        ("Message delivery", "notifications:delivery", "system.configure", "send"),
    ],
}
FLAT = [(group, label, url, action, icon) for group, entries in MENU.items() for label, url, action, icon in entries]

# The groups each role finds in its navigation, in the order the console shows them (a building
# leader's own pages as a resident last, apart from the work).
GROUPS_OF_ROLE: dict[str, list[str]] = {
    Role.RESIDENT: ["my_community"],
    Role.VOLUNTEER: ["my_community"],
    Role.BUILDING_LEADER: ["workbench", "appeals", "cogovernance", "registry", "organisation", "my_community"],
    Role.GRID_WORKER: ["workbench", "appeals", "cogovernance", "volunteering", "registry", "organisation", "data"],
    Role.HANDLER: ["workbench", "appeals"],
    Role.COMMUNITY_STAFF: list(STAFF_GROUPS),
    Role.COMMUNITY_SECRETARY: list(STAFF_GROUPS),
    Role.SUBDISTRICT_STAFF: list(STAFF_GROUPS),
    Role.DISTRICT_STAFF: list(STAFF_GROUPS),
    Role.SYSTEM_ADMIN: ["registry", "settings"],
    Role.SECURITY_ADMIN: ["settings"],
    Role.AUDITOR: ["settings"],
}


def _actions(action: str | tuple[str, ...]) -> tuple[str, ...]:
    return action if isinstance(action, tuple) else (action,)


def _shell(user, path: str = "/", cookies: dict[str, str] | None = None) -> Shell:
    request = RequestFactory().get(path)
    request.user = user
    request.COOKIES.update(cookies or {})
    return Shell(request)


def test_the_apps_entries_make_the_menu_listed_here():
    with translation.override("en"):
        menu = [(e.group, str(e.label), e.url_name, e.actions, e.icon) for e in navigation.menu()]
    assert menu == [(group, label, url, _actions(action), icon) for group, label, url, action, icon in FLAT]


def test_the_groups_are_the_work_in_its_order_with_their_chinese_names():
    with translation.override("zh-hans"):
        labels = [str(navigation.group(key).label) for key in GROUPS]
    assert labels == [
        "我的社区",
        "工作台",
        "接诉即办",
        "共建共治",
        "志愿与积分",
        "人口与房屋",
        "组织与岗位",
        "数据与考核",
        "设置",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_the_entries_whose_action_it_holds(role, user_for_role):
    user = user_for_role(role)
    shown = [entry.url_name for entry in navigation_for(user)]
    assert shown == [url for _g, _label, url, action, _icon in FLAT if set(_actions(action)) & ROLE_ACTIONS[role]]
    assert shown == [
        url for _g, _label, url, action, _icon in FLAT if any(has_action(user, a) for a in _actions(action))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_the_groups_it_has_entries_in(role, user_for_role):
    shell = _shell(user_for_role(role))
    assert [group.key for group in shell.groups] == GROUPS_OF_ROLE[role]
    assert all(group.items for group in shell.groups)
    in_shell_order = sorted(navigation_for(shell.user), key=lambda entry: GROUPS_OF_ROLE[role].index(entry.group))
    assert [item.entry for group in shell.groups for item in group.items] == in_shell_order


def test_residents_pages_form_their_own_group_and_no_staff_group_holds_one():
    """What a resident may open is the residents' group, whole; a staff group holds nothing a resident
    may open, so a building leader never finds their own pages mixed into their work."""
    resident = ROLE_ACTIONS[Role.RESIDENT]
    for entry in navigation.menu():
        opens_to_residents = bool(set(entry.actions) & resident)
        assert opens_to_residents == (entry.group == MY_COMMUNITY), entry.url_name
        assert entry.for_residents == (entry.group == MY_COMMUNITY)
    assert ROLE_ACTIONS[Role.VOLUNTEER] == resident


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PORTAL_ROLES))
def test_residents_work_in_the_portal_and_staff_in_the_console(role, user_for_role):
    assert not _shell(user_for_role(role)).in_console
    for staff in set(Role) - PORTAL_ROLES:
        assert _shell(user_for_role(staff)).in_console, staff


@pytest.mark.django_db
def test_the_group_of_the_page_shown_is_open_and_its_entry_current(user_for_role):
    user = user_for_role(Role.COMMUNITY_STAFF)
    shell = _shell(user, "/appeals/kpis/")
    opened = [group.key for group in shell.groups if group.is_open]
    assert opened == ["appeals"]
    appeals = next(group for group in shell.groups if group.key == "appeals")
    assert [item.entry.url_name for item in appeals.items if item.current] == ["appeals:kpis"]
    assert [item.exact for item in appeals.items if item.current] == [True]
    # A page beneath an entry (an appeal's own page) belongs to it: the list is current, not exact.
    shell = _shell(user, "/appeals/12/")
    appeals = next(group for group in shell.groups if group.key == "appeals")
    assert [(item.entry.url_name, item.exact) for item in appeals.items if item.current] == [
        ("appeals:appeal_list", False)
    ]
    # A page of no group: the first group of the work is open, nothing is current.
    shell = _shell(user, "/accounts/security/")
    assert [group.key for group in shell.groups if group.is_open] == ["workbench"]
    assert not any(item.current for group in shell.groups for item in group.items)


@pytest.mark.django_db
def test_the_groups_a_user_left_open_stay_open(user_for_role):
    user = user_for_role(Role.COMMUNITY_STAFF)
    shell = _shell(user, "/appeals/", {OPEN_GROUPS_COOKIE: "registry.data.nonsense"})
    assert [group.key for group in shell.groups if group.is_open] == ["appeals", "registry", "data"]
    # Everything closed by the user: only the group of the page shown is open.
    shell = _shell(user, "/people/", {OPEN_GROUPS_COOKIE: ""})
    assert [group.key for group in shell.groups if group.is_open] == ["registry"]


@pytest.mark.django_db
def test_a_building_leaders_own_pages_are_collapsed_apart_in_the_console(user_for_role):
    leader = user_for_role(Role.BUILDING_LEADER)
    shell = _shell(leader, "/orgs/posts/mine/")
    mine = shell.groups[-1]
    assert mine.key == MY_COMMUNITY and mine.for_residents and not mine.is_open
    assert {item.entry.url_name for item in mine.items} == {
        url for group, _label, url, action, _icon in FLAT if group == MY_COMMUNITY
    }
    assert [group.key for group in shell.groups if group.is_open] == ["workbench"]


@pytest.fixture
def counted_entries():
    """Two entries of the audit log's action with something waiting, one that draws its own badge, and
    one with nothing waiting; registered for one test and then taken away."""
    entries = [
        MenuEntry("Three", "probe:three", ("audit.view_event",), navigation.DATA, 1, count=lambda request: 3),
        MenuEntry("Four", "probe:four", ("audit.view_event",), navigation.DATA, 2, count=lambda request: 4),
        MenuEntry("None", "probe:none", ("audit.view_event",), navigation.DATA, 3, count=lambda request: 0),
        MenuEntry("Own", "probe:own", ("audit.view_event",), navigation.ORGANISATION, 1, badge=lambda r: "<b>!</b>"),
    ]
    navigation.register(*entries)
    yield entries
    for entry in entries:
        navigation._MENU.pop(entry.url_name)


@pytest.mark.django_db
def test_a_group_sums_what_waits_in_it_or_shows_a_dot(counted_entries, user_for_role, monkeypatch):
    monkeypatch.setattr(MenuEntry, "url", property(lambda entry: f"/{entry.url_name.replace(':', '/')}/"))
    shell = _shell(user_for_role(Role.AUDITOR), "/audit/")
    groups = {group.key: group for group in shell.groups}
    assert [item.count for item in groups["data"].items] == [3, 4, 0]
    assert groups["data"].total == 7 and not groups["data"].marked
    assert groups["organisation"].total == 0 and groups["organisation"].marked
    assert groups["settings"].total == 0 and not groups["settings"].marked


@pytest.fixture
def probe_entry():
    """A menu entry for the audit log's action, registered for one test and then taken away."""
    entry = MenuEntry("Probe", "probe:page", ("audit.view_event",), navigation.SETTINGS, 999)
    navigation.register(entry)
    yield entry
    navigation._MENU.pop(entry.url_name)


@pytest.mark.django_db
def test_a_registered_entry_appears_only_for_a_role_holding_its_action(probe_entry, user_for_role):
    assert "audit.view_event" in ROLE_ACTIONS[Role.AUDITOR]
    assert navigation_for(user_for_role(Role.AUDITOR))[-1] == probe_entry
    for role in Role:
        if "audit.view_event" not in ROLE_ACTIONS[role]:
            assert probe_entry not in navigation_for(user_for_role(role)), role


@pytest.mark.django_db
def test_an_entry_with_several_actions_shows_to_a_holder_of_any_of_them(user_for_role):
    entry = MenuEntry("Either", "probe:either", ("audit.view_event", "accounts.view_user"), navigation.SETTINGS)
    assert entry.visible_to(user_for_role(Role.AUDITOR)) and entry.visible_to(user_for_role(Role.SECURITY_ADMIN))
    assert not entry.visible_to(user_for_role(Role.RESIDENT))


def test_an_entry_needs_an_action_and_a_known_group():
    with pytest.raises(ValueError):
        MenuEntry("Nobody", "probe:none", ())
    with pytest.raises(ValueError):
        MenuEntry("Nowhere", "probe:nowhere", ("audit.view_event",), "sidebar")


def test_the_older_section_names_still_place_an_entry_in_a_group():
    assert MenuEntry("P", "probe:p", ("portal.use",), navigation.PORTAL).group == MY_COMMUNITY
    assert MenuEntry("C", "probe:c", ("appeals.view",), navigation.CONSOLE).group == navigation.WORKBENCH
    assert MenuEntry("S", "probe:s", ("system.configure",), navigation.CONFIGURATION).group == navigation.SETTINGS
    assert MenuEntry("A", "probe:a", ("audit.view_event",), navigation.ADMINISTRATION).group == navigation.SETTINGS


def _console_nav(html: str) -> str:
    # The template may put attributes on several lines: read it with whitespace runs as one space.
    html = " ".join(html.split())
    return html[html.index('id="console-nav"') : html.index("</nav>", html.index('id="console-nav"'))]


@pytest.mark.django_db
def test_the_console_draws_the_groups_with_their_entries_in_order(user_for_role, verified_client):
    user = user_for_role(Role.COMMUNITY_STAFF)
    nav = _console_nav(verified_client(user).get("/dashboard/").content.decode())
    groups = re.findall(r'<details class="nav-group[^"]*" data-nav-group="([a-z_]+)"', nav)
    assert groups == GROUPS_OF_ROLE[Role.COMMUNITY_STAFF]
    links = re.findall(r'<a class="nav-link[^"]*" href="([^"]+)"', nav)
    assert links == [entry.url for entry in navigation_for(user)]
    assert 'href="/dashboard/" aria-current="page"' in nav
    # Only the group of the page shown is open; every group can be opened from its heading.
    assert re.findall(r'data-nav-group="([a-z_]+)" data-testid="[^"]+" open>', nav) == ["workbench"]
    assert nav.count("<summary") == len(groups)


@pytest.mark.django_db
def test_the_console_counts_what_waits_per_entry_and_per_group(user_for_role, verified_client):
    from shuren.notifications.services import notify

    user = user_for_role(Role.COMMUNITY_STAFF)
    for n in range(2):
        notify(kind="tests.reminder", event_key=f"n:{n}", recipients=[user], subject="停水通知", text="明日停水")
    nav = _console_nav(verified_client(user).get("/people/").content.decode())
    assert 'data-testid="nav-count-notifications-inbox">2<' in nav
    assert 'data-testid="nav-group-count-workbench">2<' in nav  # shown while the group is closed


def test_the_shell_names_no_app_in_its_code_or_templates():
    """The registry, not an import or a template library, brings the apps into the shell
    (import-linter's "shell" contract checks the imports too)."""
    apps = (
        "appeals",
        "ballots",
        "conventions",
        "governance",
        "insights",
        "lists",
        "meetings",
        "open311",
        "points",
        "proposals",
        "volunteering",
    )
    web = Path(__file__).resolve().parents[1]
    for path in web.rglob("*"):
        if path.suffix not in (".py", ".html") or "tests" in path.parts:
            continue
        text = path.read_text()
        libraries = {name for load in re.findall(r"{% load ([^%]+)%}", text) for name in load.split()}
        for app in apps:
            assert f"shuren.{app}" not in text, (path, app)
            assert not any(name.startswith(app) for name in libraries), (path, app)


def test_the_registry_imports_no_app():
    source = (Path(navigation.__file__)).read_text()
    assert not re.search(r"^\s*(from|import) shuren\.(?!core)", source, re.MULTILINE)

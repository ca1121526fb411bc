"""The navigation, the home pages and the dashboards come from the registry the apps fill
(shuren.core.navigation): the shell names no app, and shows each entry only to roles holding its
action."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from shuren.accounts.roles import ROLE_ACTIONS, Role
from shuren.core import navigation
from shuren.core.navigation import MenuEntry
from shuren.core.scoping import has_action
from shuren.web.navigation import navigation_for

# The navigation the apps declare: (label, URL name, action or actions, icon), top to bottom. It began
# as the list the shell held before the apps declared their own entries; the registry must give it.
MENU = [
    ("My community", "web:portal", "portal.use", "house"),
    ("Notices", "notices_portal:list", "portal.use", "megaphone"),
    ("Report a problem", "appeals_portal:report", "portal.use", "megaphone"),
    ("My appeals", "appeals_portal:list", "portal.use", "chat"),
    ("Tasks and wishes to claim", "governance_portal:home", "governance.claim", "hand-thumbs-up"),
    ("My meetings", "meetings_portal:list", "portal.use", "calendar-event"),
    ("Proposals", "proposals_portal:index", "proposals.propose", "lightbulb"),
    ("Residents' conventions", "conventions_portal:index", "conventions.comment", "journal-text"),
    ("Owners' votes", "ballots_portal:my_ballots", "ballots.vote", "check2-square"),
    ("Volunteer activities", "volunteering_portal:home", "volunteering.volunteer", "heart-pulse"),
    ("My points", "points_portal:home", "points.redeem", "coin"),
    ("Dashboard", "web:dashboard", "web.view_dashboard", "speedometer"),
    ("Messages", "notifications:inbox", ("portal.use", "web.view_dashboard"), "bell"),
    ("SMS spend", "notifications:spend", "insights.report", "chat-dots"),
    ("Evaluation index", "insights:evaluation", "insights.view", "award"),
    ("Areas", "places:area_list", "places.view_area", "diagram"),
    ("Estates and buildings", "places:estate_list", "places.view_place", "buildings"),
    ("Residents", "people:person_list", "people.view_person", "person"),
    ("Account link requests", "signup:queue", "signup.review", "person-check"),
    ("Stairwell notices", "notices:list", ("notices.view", "notices.write"), "megaphone"),
    ("Household visits", "people:visit_list", "people.view_person", "door"),
    ("Notices reached", "notices:figures", "notices.view", "bar-chart"),
    ("My buildings", "orgs:my_posts", "orgs.view_own_posts", "building"),
    ("Collect an appeal", "appeals_portal:collect", "appeals.record", "clipboard"),
    ("Appeals", "appeals:appeal_list", "appeals.view", "megaphone"),
    ("Appeals dispatched to us", "appeals:handler_list", "appeals.handle", "inbox"),
    ("Appeal KPIs", "appeals:kpis", "appeals.view_kpi", "graph-up"),
    ("Governance list", "governance:item_list", "governance.view", "list-check"),
    ("Wishes to review", "governance:wish_review", "governance.manage", "heart"),
    ("Governance-list figures", "governance:figures", "governance.view", "bar-chart"),
    ("Meetings", "meetings:meeting_list", "meetings.view", "people"),
    ("Meeting action items", "meetings:action_list", "meetings.view", "check2-all"),
    ("Resident proposals", "proposals:list", "proposals.view", "lightbulb"),
    ("Conventions", "conventions:list", "conventions.view", "journal-text"),
    ("Owners' ballots", "ballots:ballot_list", "ballots.view", "check2-square"),
    ("Volunteer activities", "volunteering:activity_list", "volunteering.view", "heart-pulse"),
    ("Volunteers", "volunteering:volunteer_list", "volunteering.view", "person-heart"),
    ("Party members' service hours", "volunteering:progress", "volunteering.view", "hourglass-split"),
    ("Points", "points:overview", "points.view", "coin"),
    ("Rewards and redemptions", "points:redemption_list", "points.view", "gift"),
    ("Points leaderboard", "points:leaderboard", "points.view", "trophy"),
    ("Organisations", "orgs:organization_list", "orgs.view_organization", "flag"),
    ("Posts and duties", "orgs:post_list", "orgs.view_organization", "person-badge"),
    ("Import residents", "people:import", "people.change_person", "upload"),
    ("Export requests to approve", "exports:pending", "people.approve_export", "file-earmark-lock"),
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
]


def _actions(action: str | tuple[str, ...]) -> tuple[str, ...]:
    return action if isinstance(action, tuple) else (action,)


def test_the_apps_entries_make_the_menu_listed_here():
    with translation.override("en"):
        menu = [(str(e.label), e.url_name, e.actions, e.icon) for e in navigation.menu()]
    assert menu == [(label, url_name, _actions(action), icon) for label, url_name, action, icon in MENU]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_the_entries_whose_action_it_holds(role, user_for_role):
    user = user_for_role(role)
    shown = [entry.url_name for entry in navigation_for(user)]
    assert shown == [
        url_name for _label, url_name, action, _icon in MENU if set(_actions(action)) & set(ROLE_ACTIONS[role])
    ]
    assert shown == [
        url_name for _label, url_name, action, _icon in MENU if any(has_action(user, a) for a in _actions(action))
    ]


@pytest.fixture
def probe_entry():
    """A menu entry for the audit log's action, registered for one test and then taken away."""
    entry = MenuEntry("Probe", "probe:page", ("audit.view_event",), navigation.ADMINISTRATION, 99)
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
    entry = MenuEntry("Either", "probe:either", ("audit.view_event", "accounts.view_user"), navigation.ADMINISTRATION)
    assert entry.visible_to(user_for_role(Role.AUDITOR)) and entry.visible_to(user_for_role(Role.SECURITY_ADMIN))
    assert not entry.visible_to(user_for_role(Role.RESIDENT))


def test_an_entry_needs_an_action_and_a_known_section():
    with pytest.raises(ValueError):
        MenuEntry("Nobody", "probe:none", ())
    with pytest.raises(ValueError):
        MenuEntry("Nowhere", "probe:nowhere", ("audit.view_event",), "sidebar")


@pytest.mark.django_db
def test_the_console_draws_the_entries_in_order_with_the_apps_badge(user_for_role, verified_client):
    user = user_for_role(Role.COMMUNITY_STAFF)
    html = verified_client(user).get("/dashboard/").content.decode()
    # The template may put attributes on several lines: read it with whitespace runs as one space.
    html = " ".join(html.split())
    nav = html[html.index('id="console-nav"') : html.index("</nav>")]
    links = re.findall(r'<a class="nav-link" href="([^"]+)"', nav)
    assert links == [entry.url for entry in navigation_for(user)]
    assert 'href="/dashboard/" aria-current="page"' in nav


def test_the_shell_names_no_app_in_its_code_or_templates():
    """The registry, not an import or a template library, brings the apps into the shell
    (import-linter's "shell" contract checks the imports too)."""
    apps = (
        "appeals",
        "ballots",
        "conventions",
        "governance",
        "insights",
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

"""Navigation by role: each entry names the action that makes it visible."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuren.core.scoping import has_action


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    action: str
    icon: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAVIGATION: list[NavItem] = [
    NavItem(_("My community"), "web:portal", "portal.use", "house"),
    NavItem(_("Report a problem"), "appeals_portal:report", "portal.use", "megaphone"),
    NavItem(_("My appeals"), "appeals_portal:list", "portal.use", "chat"),
    NavItem(_("Tasks and wishes to claim"), "governance_portal:home", "governance.claim", "hand-thumbs-up"),
    NavItem(_("My meetings"), "meetings_portal:list", "portal.use", "calendar-event"),
    NavItem(_("Proposals"), "proposals_portal:index", "proposals.propose", "lightbulb"),
    NavItem(_("Residents' conventions"), "conventions_portal:index", "conventions.comment", "journal-text"),
    NavItem(_("Owners' votes"), "ballots_portal:my_ballots", "ballots.vote", "check2-square"),
    NavItem(_("Volunteer activities"), "volunteering_portal:home", "volunteering.volunteer", "heart-pulse"),
    NavItem(_("My points"), "points_portal:home", "points.redeem", "coin"),
    NavItem(_("Dashboard"), "web:dashboard", "web.view_dashboard", "speedometer"),
    NavItem(_("Evaluation index"), "insights:evaluation", "insights.view", "award"),
    NavItem(_("Areas"), "places:area_list", "places.view_area", "diagram"),
    NavItem(_("Estates and buildings"), "places:estate_list", "places.view_place", "buildings"),
    NavItem(_("Residents"), "people:person_list", "people.view_person", "person"),
    NavItem(_("Household visits"), "people:visit_list", "people.view_person", "door"),
    NavItem(_("My buildings"), "orgs:my_posts", "orgs.view_own_posts", "building"),
    NavItem(_("Collect an appeal"), "appeals_portal:collect", "appeals.record", "clipboard"),
    NavItem(_("Appeals"), "appeals:appeal_list", "appeals.view", "megaphone"),
    NavItem(_("Appeals dispatched to us"), "appeals:handler_list", "appeals.handle", "inbox"),
    NavItem(_("Appeal KPIs"), "appeals:kpis", "appeals.view_kpi", "graph-up"),
    NavItem(_("Notifications"), "appeals:notification_list", "web.view_dashboard", "bell"),
    NavItem(_("Governance list"), "governance:item_list", "governance.view", "list-check"),
    NavItem(_("Wishes to review"), "governance:wish_review", "governance.manage", "heart"),
    NavItem(_("Governance-list figures"), "governance:figures", "governance.view", "bar-chart"),
    NavItem(_("Meetings"), "meetings:meeting_list", "meetings.view", "people"),
    NavItem(_("Meeting action items"), "meetings:action_list", "meetings.view", "check2-all"),
    NavItem(_("Resident proposals"), "proposals:list", "proposals.view", "lightbulb"),
    NavItem(_("Conventions"), "conventions:list", "conventions.view", "journal-text"),
    NavItem(_("Owners' ballots"), "ballots:ballot_list", "ballots.view", "check2-square"),
    NavItem(_("Volunteer activities"), "volunteering:activity_list", "volunteering.view", "heart-pulse"),
    NavItem(_("Volunteers"), "volunteering:volunteer_list", "volunteering.view", "person-heart"),
    NavItem(_("Party members' service hours"), "volunteering:progress", "volunteering.view", "hourglass-split"),
    NavItem(_("Points"), "points:overview", "points.view", "coin"),
    NavItem(_("Rewards and redemptions"), "points:redemption_list", "points.view", "gift"),
    NavItem(_("Points leaderboard"), "points:leaderboard", "points.view", "trophy"),
    NavItem(_("Organisations"), "orgs:organization_list", "orgs.view_organization", "flag"),
    NavItem(_("Posts and duties"), "orgs:post_list", "orgs.view_organization", "person-badge"),
    NavItem(_("Import residents"), "people:import", "people.change_person", "upload"),
    NavItem(_("Export requests to approve"), "exports:pending", "people.approve_export", "file-earmark-lock"),
    NavItem(_("Dispatch rules"), "appeals:rule_list", "appeals.configure_rules", "signpost-split"),
    NavItem(_("Appeal categories"), "appeals:category_list", "appeals.configure", "tags"),
    NavItem(_("Working days"), "appeals:workday_list", "appeals.configure", "calendar"),
    NavItem(_("Rules of procedure"), "meetings:rule_list", "meetings.configure", "sliders"),
    NavItem(_("Ballot rules"), "ballots:rule_list", "ballots.configure", "sliders"),
    NavItem(_("Volunteering policy"), "volunteering:policy_list", "volunteering.configure", "sliders"),
    NavItem(_("Points rules"), "points:rule_list", "points.configure", "sliders"),
    NavItem(_("Evaluation indicators"), "insights:indicator_list", "insights.configure", "sliders"),
    NavItem(_("Users and roles"), "accounts_admin:user_list", "accounts.view_user", "people"),
    NavItem(_("Audit log"), "audit:event_list", "audit.view_event", "journal"),
]


def navigation_for(user: Any) -> list[NavItem]:
    return [item for item in NAVIGATION if has_action(user, item.action)]

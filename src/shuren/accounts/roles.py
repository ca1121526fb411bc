"""Roles and what each may do. A role is granted on an Area (admin roles: system-wide)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    VOLUNTEER = "volunteer", _("Volunteer")
    BUILDING_LEADER = "building_leader", _("Building leader")
    GRID_WORKER = "grid_worker", _("Grid worker")
    HANDLER = "handler", _("Appeal handler")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    COMMUNITY_SECRETARY = "community_secretary", _("Community party secretary")
    SUBDISTRICT_STAFF = "subdistrict_staff", _("Subdistrict staff")
    DISTRICT_STAFF = "district_staff", _("District staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


# 三权分立: an account holds at most one of these, and nothing else besides.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles that must use a second factor (TOTP) when SHUREN_REQUIRE_MFA is on.
MFA_ROLES = frozenset(set(Role) - {Role.RESIDENT, Role.VOLUNTEER})
PORTAL_ROLES = frozenset({Role.RESIDENT, Role.VOLUNTEER})
STAFF_ROLES = frozenset(set(Role) - PORTAL_ROLES - ADMIN_ROLES)

_AREA_READERS = {
    "places.view_area",
    "places.view_place",
    "people.view_person",
    "orgs.view_organization",
    "web.view_dashboard",
}
_AREA_STAFF = _AREA_READERS | {"places.export_area", "people.export_person", "people.view_pii_masked"}
_PLACE_KEEPERS = {
    "places.change_place",
    "people.change_person",
    "people.view_sensitive",
    "people.view_affiliation",
    "orgs.change_organization",
}
_VISITORS = {"people.record_visit"}
# Appeals: report (for oneself), record for others (phone, patrol, stairwell round), view the
# appeals of one's areas, dispatch them (accept, reject, dispatch, close, merge, escalate), read the
# KPIs, supervise (督办), configure dispatch rules. Handlers act only on what is dispatched to them.
_APPEAL_DESK = {
    "appeals.report",
    "appeals.record",
    "appeals.view",
    "appeals.dispatch",
    "appeals.view_kpi",
    "appeals.configure_rules",
}
_APPEAL_SUPERVISORS = _APPEAL_DESK | {"appeals.supervise"}
# Party and youth-league membership is a sensitive category with its own permission.
_AFFILIATION = {"people.view_affiliation"}
# Co-governance (issues M6-M11). Residents, volunteers and building leaders claim list items, make
# wishes and proposals, co-sign, comment on draft conventions, vote as owners, volunteer and redeem
# points and answer surveys; staff run the lists, meetings, conventions, ballots, surveys, activities
# and rewards of their areas (grid workers also organise volunteer activities and run surveys);
# higher levels oversee them. Who is behind on the party members' service target also needs
# people.view_affiliation (a sensitive category).
_CITIZEN = {
    "governance.claim",
    "governance.wish",
    "proposals.propose",
    "conventions.comment",
    "ballots.vote",
    "surveys.answer",
    "volunteering.volunteer",
    "points.redeem",
    "lists.request",
}
_CO_GOVERNANCE_READERS = {
    "governance.view",
    "meetings.view",
    "proposals.view",
    "conventions.view",
    "ballots.view",
    "surveys.view",
    "volunteering.view",
    "points.view",
    "lists.view",
}
_CO_GOVERNANCE_STAFF = _CO_GOVERNANCE_READERS | {
    "governance.manage",
    "governance.verify",
    "meetings.manage",
    "proposals.manage",
    "conventions.manage",
    "ballots.manage",
    "surveys.manage",
    "volunteering.manage",
    "points.manage",
    "lists.manage",
}

# Insights (M12): grid workers and above read the dashboards of their areas; community staff and
# above prepare monthly reports; subdistrict and district staff compute the evaluation ranking;
# the system administrator defines the indicators (system-wide data, no personal data).
_INSIGHTS_READERS = {"insights.view"}
_INSIGHTS_REPORTERS = _INSIGHTS_READERS | {"insights.report"}
_INSIGHTS_EVALUATORS = _INSIGHTS_REPORTERS | {"insights.evaluate"}

# A bulk export with full ID and mobile numbers needs a second person's approval (core.exports):
# the community's party secretary, or subdistrict or district staff above it.
_EXPORT_APPROVERS = {"people.approve_export"}

# Stairwell notices (楼道通知): who writes them for their places, who marks a household told at the
# door (已告知), who keeps the stairwell groups' robots.
_NOTICE_WRITERS = {"notices.view", "notices.write"}
_NOTICE_TELLERS = _NOTICE_WRITERS | {"notices.tell"}
_NOTICE_KEEPERS = _NOTICE_TELLERS | {"notices.manage_groups"}

# Residents who signed themselves up ask to be linked to their record: the grid worker or the
# community's staff approve or refuse.
_SIGNUP_REVIEWERS = {"signup.review"}

# What each role may do inside the areas it is granted on. Apps extend this table as they grow;
# every view and API route names one of these actions (see core.permissions).
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset({"portal.use", "appeals.report"} | _CITIZEN),
    Role.VOLUNTEER: frozenset({"portal.use", "appeals.report"} | _CITIZEN),
    Role.BUILDING_LEADER: frozenset(
        {
            "portal.use",
            "places.view_area",
            "places.view_place",
            "people.view_person",
            "people.record_visit",
            "orgs.view_organization",
            "orgs.view_own_posts",
            "web.view_dashboard",
            "appeals.report",
            "appeals.record",
            "governance.view",
            "meetings.view",
        }
        | _CITIZEN
        | _NOTICE_TELLERS
    ),
    Role.GRID_WORKER: frozenset(
        _AREA_STAFF
        | _VISITORS
        | _AFFILIATION
        | {"people.change_person"}
        | (_APPEAL_DESK - {"appeals.configure_rules"})
        | _CO_GOVERNANCE_READERS
        | {"governance.manage", "meetings.manage", "volunteering.manage", "surveys.manage", "lists.manage"}
        | _INSIGHTS_READERS
        | _NOTICE_TELLERS
        | _SIGNUP_REVIEWERS
    ),
    Role.HANDLER: frozenset({"web.view_dashboard", "appeals.handle", "appeals.view_kpi"}),
    Role.COMMUNITY_STAFF: frozenset(
        _AREA_STAFF
        | _PLACE_KEEPERS
        | _VISITORS
        | _APPEAL_DESK
        | _CO_GOVERNANCE_STAFF
        | _INSIGHTS_REPORTERS
        | {"people.reveal_pii"}
        | _NOTICE_KEEPERS
        | _SIGNUP_REVIEWERS
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        _AREA_STAFF
        | _PLACE_KEEPERS
        | _APPEAL_SUPERVISORS
        | _CO_GOVERNANCE_STAFF
        | _INSIGHTS_REPORTERS
        | {"places.change_area", "people.reveal_pii"}
        | _EXPORT_APPROVERS
        | _NOTICE_KEEPERS
        | _SIGNUP_REVIEWERS
    ),
    Role.SUBDISTRICT_STAFF: frozenset(
        _AREA_STAFF
        | _PLACE_KEEPERS
        | _APPEAL_SUPERVISORS
        | _CO_GOVERNANCE_READERS
        | _INSIGHTS_EVALUATORS
        | {"places.change_area"}
        | _EXPORT_APPROVERS
        | _NOTICE_WRITERS
        | {"notices.manage_groups"}
        | _SIGNUP_REVIEWERS
    ),
    Role.DISTRICT_STAFF: frozenset(
        _AREA_STAFF
        | _PLACE_KEEPERS
        | _APPEAL_SUPERVISORS
        | _CO_GOVERNANCE_READERS
        | _INSIGHTS_EVALUATORS
        | {"places.change_area"}
        | _EXPORT_APPROVERS
        | _NOTICE_WRITERS
        | _SIGNUP_REVIEWERS
    ),
    # The system admin configures places and settings but never reads PII or the audit log.
    Role.SYSTEM_ADMIN: frozenset(
        {
            "places.view_area",
            "places.change_area",
            "places.view_place",
            "places.change_place",
            "system.configure",
            "orgs.configure_posts",
            "appeals.configure",
            "meetings.configure",
            "ballots.configure",
            "volunteering.configure",
            "points.configure",
            "insights.configure",
        }
    ),
    # The security admin manages accounts, roles and policy; no resident data, no audit log.
    Role.SECURITY_ADMIN: frozenset({"accounts.view_user", "accounts.manage_roles"}),
    Role.AUDITOR: frozenset({"audit.view_event", "audit.export_event"}),
}

ALL_ACTIONS: frozenset[str] = frozenset().union(*ROLE_ACTIONS.values())


def actions_for(role: str) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())

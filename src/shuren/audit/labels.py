"""The audit log in words: what each recorded action means, who the actor's roles are and what the
object is, for the auditor's pages. The codes stay in the log, the export and the pages' tooltips.

Every action code the sources record has a label here (``tests/test_action_labels.py`` reads the
sources and fails on a code without one). Role names come from the accounts app's role choices,
found by name (the audit app sits beneath accounts and imports nothing of it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _g
from django.utils.translation import pgettext, pgettext_lazy

ACTION_LABELS: dict[str, Promise] = {
    # signing in and accounts
    "auth.login": pgettext_lazy("audit action", "Signed in"),
    "auth.login_failed": pgettext_lazy("audit action", "Sign-in failed"),
    "auth.login_throttled": pgettext_lazy("audit action", "Sign-in refused: too many attempts"),
    "auth.locked_out": pgettext_lazy("audit action", "Account locked after failed sign-ins"),
    "auth.logout": pgettext_lazy("audit action", "Signed out"),
    "auth.session_expired": pgettext_lazy("audit action", "Session expired"),
    "auth.sign_out_everywhere": pgettext_lazy("audit action", "Signed out on every device"),
    "auth.mfa_enrolled": pgettext_lazy("audit action", "Two-step verification set up"),
    "auth.mfa_verified": pgettext_lazy("audit action", "Two-step verification passed"),
    "auth.mfa_failed": pgettext_lazy("audit action", "Two-step verification failed"),
    "auth.password_change": pgettext_lazy("audit action", "Password changed"),
    "auth.reauth": pgettext_lazy("audit action", "Identity confirmed again"),
    "auth.token_issued": pgettext_lazy("audit action", "API token issued"),
    "auth.token_revoked": pgettext_lazy("audit action", "API token revoked"),
    "auth.token_denied": pgettext_lazy("audit action", "API token refused"),
    "authz.denied": pgettext_lazy("audit action", "Page refused: no permission"),
    "accounts.denied": pgettext_lazy("audit action", "Role change refused: no permission"),
    "accounts.user_create": pgettext_lazy("audit action", "Account created"),
    "accounts.disable": pgettext_lazy("audit action", "Account disabled"),
    "accounts.enable": pgettext_lazy("audit action", "Account enabled"),
    "accounts.mfa_reset": pgettext_lazy("audit action", "Two-step verification reset"),
    "accounts.role_grant": pgettext_lazy("audit action", "Role granted"),
    "accounts.role_revoke": pgettext_lazy("audit action", "Role revoked"),
    "signup.account_create": pgettext_lazy("audit action", "Resident signed up"),
    "signup.code_request": pgettext_lazy("audit action", "Text-message code requested"),
    "signup.code_verified": pgettext_lazy("audit action", "Text-message code verified"),
    "signup.code_failed": pgettext_lazy("audit action", "Wrong text-message code"),
    "signup.password_reset": pgettext_lazy("audit action", "Password reset by text message"),
    "signup.phone_change": pgettext_lazy("audit action", "Mobile number changed"),
    "signup.link_request": pgettext_lazy("audit action", "Asked to link an account to a home"),
    "signup.link_approve": pgettext_lazy("audit action", "Account linked to a resident"),
    "signup.link_refuse": pgettext_lazy("audit action", "Account link refused"),
    # personal data and exports
    "pii.reveal": pgettext_lazy("audit action", "Full personal data revealed"),
    "export.request": pgettext_lazy("audit action", "Full export requested"),
    "export.approve": pgettext_lazy("audit action", "Full export approved"),
    "export.refuse": pgettext_lazy("audit action", "Full export refused"),
    "export.download": pgettext_lazy("audit action", "Approved export downloaded"),
    "audit.export": pgettext_lazy("audit action", "Audit log exported"),
    "audit.purge": pgettext_lazy("audit action", "Old audit events purged"),
    "core.job_failed": pgettext_lazy("audit action", "Background job failed"),
    "core.job_requeued": pgettext_lazy("audit action", "Background job restarted"),
    # places and people
    "places.area_create": pgettext_lazy("audit action", "Area created"),
    "places.area_change": pgettext_lazy("audit action", "Area changed"),
    "places.area_export": pgettext_lazy("audit action", "Areas exported"),
    "places.estate_create": pgettext_lazy("audit action", "Estate added"),
    "places.estate_update": pgettext_lazy("audit action", "Estate changed"),
    "places.estate_export": pgettext_lazy("audit action", "Estates exported"),
    "places.building_create": pgettext_lazy("audit action", "Building added"),
    "places.building_update": pgettext_lazy("audit action", "Building changed"),
    "places.building_move": pgettext_lazy("audit action", "Building moved to another grid"),
    "places.dwelling_update": pgettext_lazy("audit action", "Dwelling changed"),
    "places.dwelling_import": pgettext_lazy("audit action", "Dwellings imported"),
    "people.person_create": pgettext_lazy("audit action", "Resident registered"),
    "people.person_update": pgettext_lazy("audit action", "Resident record changed"),
    "people.residence_add": pgettext_lazy("audit action", "Residence recorded"),
    "people.residence_end": pgettext_lazy("audit action", "Move-out recorded"),
    "people.party_membership_save": pgettext_lazy("audit action", "Party membership saved"),
    "people.party_membership_remove": pgettext_lazy("audit action", "Party membership removed"),
    "people.league_profile_save": pgettext_lazy("audit action", "Youth-league profile saved"),
    "people.visit": pgettext_lazy("audit action", "Household visit recorded"),
    "people.import": pgettext_lazy("audit action", "Residents imported"),
    "people.import_queue": pgettext_lazy("audit action", "Resident import started"),
    "people.export": pgettext_lazy("audit action", "Resident list exported"),
    # organisations
    "orgs.organization_create": pgettext_lazy("audit action", "Organisation registered"),
    "orgs.organization_update": pgettext_lazy("audit action", "Organisation changed"),
    "orgs.organization_export": pgettext_lazy("audit action", "Organisations exported"),
    "orgs.member_add": pgettext_lazy("audit action", "Member added"),
    "orgs.member_end": pgettext_lazy("audit action", "Membership ended"),
    "orgs.partnership_add": pgettext_lazy("audit action", "Partnership recorded"),
    "orgs.station_add": pgettext_lazy("audit action", "Service station registered"),
    "orgs.post_assign": pgettext_lazy("audit action", "Post assigned"),
    "orgs.post_end": pgettext_lazy("audit action", "Term of a post ended"),
    "orgs.post_kind_save": pgettext_lazy("audit action", "Post kind saved"),
    "orgs.post_export": pgettext_lazy("audit action", "Posts exported"),
    # appeals
    "appeals.submit": pgettext_lazy("audit action", "Appeal submitted"),
    "appeals.accept": pgettext_lazy("audit action", "Appeal accepted"),
    "appeals.reject": pgettext_lazy("audit action", "Appeal not accepted"),
    "appeals.dispatch": pgettext_lazy("audit action", "Appeal dispatched"),
    "appeals.take_up": pgettext_lazy("audit action", "Appeal taken up"),
    "appeals.return": pgettext_lazy("audit action", "Appeal returned to the desk"),
    "appeals.progress": pgettext_lazy("audit action", "Appeal progress recorded"),
    "appeals.resolve": pgettext_lazy("audit action", "Appeal resolved"),
    "appeals.feedback": pgettext_lazy("audit action", "Appeal rated by the reporter"),
    "appeals.reopen": pgettext_lazy("audit action", "Appeal reopened"),
    "appeals.close": pgettext_lazy("audit action", "Appeal closed"),
    "appeals.escalate": pgettext_lazy("audit action", "Appeal escalated"),
    "appeals.supervise": pgettext_lazy("audit action", "Appeal put under supervision"),
    "appeals.merge": pgettext_lazy("audit action", "Appeal merged"),
    "appeals.note": pgettext_lazy("audit action", "Internal note added to an appeal"),
    "appeals.photo_add": pgettext_lazy("audit action", "Photo added to an appeal"),
    "appeals.contact_view": pgettext_lazy("audit action", "Reporter's contact viewed"),
    "appeals.publish": pgettext_lazy("audit action", "Appeal publication reviewed"),
    "appeals.export": pgettext_lazy("audit action", "Appeals exported"),
    "appeals.kpi_export": pgettext_lazy("audit action", "Appeal KPIs exported"),
    "appeals.category_save": pgettext_lazy("audit action", "Appeal category saved"),
    "appeals.rule_save": pgettext_lazy("audit action", "Dispatch rule saved"),
    "appeals.rule_active": pgettext_lazy("audit action", "Dispatch rule switched on or off"),
    "appeals.handler_link": pgettext_lazy("audit action", "Handler account linked to an organisation"),
    "appeals.handler_active": pgettext_lazy("audit action", "Handler account switched on or off"),
    "appeals.intake_policy_save": pgettext_lazy("audit action", "Community appeal settings saved"),
    "appeals.workday_override_save": pgettext_lazy("audit action", "Working-day override saved"),
    "appeals.workday_override_delete": pgettext_lazy("audit action", "Working-day override removed"),
    "open311.client_create": pgettext_lazy("audit action", "Open311 client registered"),
    "open311.client_rotate": pgettext_lazy("audit action", "Open311 key replaced"),
    "open311.client_revoke": pgettext_lazy("audit action", "Open311 client revoked"),
    "open311.denied": pgettext_lazy("audit action", "Open311 request refused"),
    # governance lists
    "governance.create_list": pgettext_lazy("audit action", "Governance list created"),
    "governance.edit_list": pgettext_lazy("audit action", "Governance list changed"),
    "governance.policy": pgettext_lazy("audit action", "Governance-list settings saved"),
    "governance.create": pgettext_lazy("audit action", "Governance item added"),
    "governance.edit": pgettext_lazy("audit action", "Governance item changed"),
    "governance.wish": pgettext_lazy("audit action", "Small wish made"),
    "governance.list": pgettext_lazy("audit action", "Wish listed for claiming"),
    "governance.decline": pgettext_lazy("audit action", "Wish declined"),
    "governance.claim": pgettext_lazy("audit action", "Item claimed"),
    "governance.progress": pgettext_lazy("audit action", "Progress reported on an item"),
    "governance.submit": pgettext_lazy("audit action", "Item reported done"),
    "governance.verify": pgettext_lazy("audit action", "Item verified as done"),
    "governance.return": pgettext_lazy("audit action", "Item returned for more work"),
    "governance.release": pgettext_lazy("audit action", "Claim released"),
    "governance.withdraw": pgettext_lazy("audit action", "Claim withdrawn by staff"),
    "governance.lapse": pgettext_lazy("audit action", "Claim lapsed"),
    "governance.cancel": pgettext_lazy("audit action", "Governance item cancelled"),
    "governance.export": pgettext_lazy("audit action", "Governance list exported"),
    # meetings
    "meetings.scheduled": pgettext_lazy("audit action", "Meeting scheduled"),
    "meetings.edited": pgettext_lazy("audit action", "Meeting changed"),
    "meetings.cancelled": pgettext_lazy("audit action", "Meeting cancelled"),
    "meetings.invited": pgettext_lazy("audit action", "Participants invited"),
    "meetings.uninvited": pgettext_lazy("audit action", "Invitation withdrawn"),
    "meetings.replied": pgettext_lazy("audit action", "Invitation answered"),
    "meetings.checkin_opened": pgettext_lazy("audit action", "Meeting sign-in opened"),
    "meetings.checkin_closed": pgettext_lazy("audit action", "Meeting sign-in closed"),
    "meetings.signed_in": pgettext_lazy("audit action", "Signed in at a meeting"),
    "meetings.checked_in": pgettext_lazy("audit action", "Signed in at a meeting by QR code"),
    "meetings.agenda": pgettext_lazy("audit action", "Agenda item added"),
    "meetings.agenda_moved": pgettext_lazy("audit action", "Agenda reordered"),
    "meetings.outcome": pgettext_lazy("audit action", "Outcome of an agenda item recorded"),
    "meetings.proposal": pgettext_lazy("audit action", "Resident proposal put on the agenda"),
    "meetings.proposal_answered": pgettext_lazy("audit action", "Resident proposal answered"),
    "meetings.minutes": pgettext_lazy("audit action", "Minutes written"),
    "meetings.resolution": pgettext_lazy("audit action", "Resolution recorded"),
    "meetings.convention_adopted": pgettext_lazy("audit action", "Convention adopted by a resolution"),
    "meetings.governance_item": pgettext_lazy("audit action", "Decision put on the governance list"),
    "meetings.action": pgettext_lazy("audit action", "Action item recorded"),
    "meetings.action_update": pgettext_lazy("audit action", "Action item progress recorded"),
    "meetings.ended": pgettext_lazy("audit action", "Meeting ended"),
    "meetings.published": pgettext_lazy("audit action", "Minutes and resolutions published"),
    "meetings.rule_changed": pgettext_lazy("audit action", "Rules of procedure changed"),
    "meetings.feed_renewed": pgettext_lazy("audit action", "Calendar address made"),
    "meetings.feed_ended": pgettext_lazy("audit action", "Calendar address stopped"),
    # proposals and conventions
    "proposals.submit": pgettext_lazy("audit action", "Resident proposal made"),
    "proposals.sign": pgettext_lazy("audit action", "Resident proposal co-signed"),
    "proposals.withdraw": pgettext_lazy("audit action", "Resident proposal withdrawn"),
    "proposals.qualify": pgettext_lazy("audit action", "Resident proposal reached enough co-signatures"),
    "proposals.expire": pgettext_lazy("audit action", "Co-signing closed without enough co-signatures"),
    "proposals.place_on_agenda": pgettext_lazy("audit action", "Resident proposal put on a meeting's agenda"),
    "proposals.answer": pgettext_lazy("audit action", "Answer to a proposal recorded"),
    "proposals.publish_answer": pgettext_lazy("audit action", "Answer to a proposal published"),
    "proposals.inadmissible": pgettext_lazy("audit action", "Resident proposal marked not admissible"),
    "proposals.policy": pgettext_lazy("audit action", "Co-signing settings saved"),
    "conventions.create": pgettext_lazy("audit action", "Convention drafted"),
    "conventions.draft_edit": pgettext_lazy("audit action", "Convention draft changed"),
    "conventions.version_start": pgettext_lazy("audit action", "New convention version started"),
    "conventions.open_discussion": pgettext_lazy("audit action", "Convention opened for comments"),
    "conventions.comment": pgettext_lazy("audit action", "Comment on a convention"),
    "conventions.hide_comment": pgettext_lazy("audit action", "Comment on a convention hidden"),
    "conventions.adopt": pgettext_lazy("audit action", "Convention version adopted"),
    "conventions.reject": pgettext_lazy("audit action", "Convention version not adopted"),
    "conventions.repeal": pgettext_lazy("audit action", "Convention repealed"),
    # owners' ballots
    "ballots.create": pgettext_lazy("audit action", "Owners' ballot drafted"),
    "ballots.update": pgettext_lazy("audit action", "Owners' ballot changed"),
    "ballots.matter.add": pgettext_lazy("audit action", "Ballot matter added"),
    "ballots.matter.update": pgettext_lazy("audit action", "Ballot matter changed"),
    "ballots.matter.remove": pgettext_lazy("audit action", "Ballot matter removed"),
    "ballots.open": pgettext_lazy("audit action", "Voting opened"),
    "ballots.close": pgettext_lazy("audit action", "Voting closed and counted"),
    "ballots.cancel": pgettext_lazy("audit action", "Owners' ballot cancelled"),
    "ballots.vote": pgettext_lazy("audit action", "Owner voted online"),
    "ballots.vote.paper": pgettext_lazy("audit action", "Paper ballot entered"),
    "ballots.adopt_convention": pgettext_lazy("audit action", "Convention adopted by an owners' ballot"),
    "ballots.rule.add": pgettext_lazy("audit action", "Ballot rule added"),
    "ballots.rule.update": pgettext_lazy("audit action", "Ballot rule changed"),
    "ballots.export": pgettext_lazy("audit action", "Tally sheet exported"),
    "surveys.create": pgettext_lazy("audit action", "Survey drafted"),
    "surveys.update": pgettext_lazy("audit action", "Survey changed"),
    "surveys.question.add": pgettext_lazy("audit action", "Survey question added"),
    "surveys.question.update": pgettext_lazy("audit action", "Survey question changed"),
    "surveys.question.remove": pgettext_lazy("audit action", "Survey question removed"),
    "surveys.question.move": pgettext_lazy("audit action", "Survey question moved"),
    "surveys.open": pgettext_lazy("audit action", "Survey opened"),
    "surveys.close": pgettext_lazy("audit action", "Survey closed"),
    "surveys.respond": pgettext_lazy("audit action", "Survey answered online"),
    "surveys.respond.paper": pgettext_lazy("audit action", "Paper survey form entered"),
    "surveys.export": pgettext_lazy("audit action", "Survey responses exported"),
    # notices and messages
    "notices.create": pgettext_lazy("audit action", "Notice written"),
    "notices.edit": pgettext_lazy("audit action", "Notice changed"),
    "notices.delete": pgettext_lazy("audit action", "Notice draft deleted"),
    "notices.schedule": pgettext_lazy("audit action", "Notice scheduled"),
    "notices.unschedule": pgettext_lazy("audit action", "Scheduled notice back to draft"),
    "notices.publish": pgettext_lazy("audit action", "Notice published"),
    "notices.release": pgettext_lazy("audit action", "Scheduled notice published"),
    "notices.end": pgettext_lazy("audit action", "Notice ended"),
    "notices.withdraw": pgettext_lazy("audit action", "Notice withdrawn"),
    "notices.tell": pgettext_lazy("audit action", "Household told of a notice at the door"),
    "notices.webhook_save": pgettext_lazy("audit action", "Group robot saved"),
    "notices.webhook_delete": pgettext_lazy("audit action", "Group robot removed"),
    "notices.export_figures": pgettext_lazy("audit action", "Notice figures exported"),
    "notices.export_place_figures": pgettext_lazy("audit action", "Notice figures per place exported"),
    "notifications.retry": pgettext_lazy("audit action", "Message sent again"),
    "notifications.sms_budget": pgettext_lazy("audit action", "SMS budget set"),
    "notifications.wechat_linked": pgettext_lazy("audit action", "WeChat linked"),
    "notifications.wechat_unlinked": pgettext_lazy("audit action", "WeChat unlinked"),
    # volunteering and points
    "volunteering.register": pgettext_lazy("audit action", "Volunteer registered"),
    "volunteering.update_profile": pgettext_lazy("audit action", "Volunteer profile changed"),
    "volunteering.approve": pgettext_lazy("audit action", "Volunteer registration approved"),
    "volunteering.reject": pgettext_lazy("audit action", "Volunteer registration rejected"),
    "volunteering.suspend": pgettext_lazy("audit action", "Volunteer suspended"),
    "volunteering.policy": pgettext_lazy("audit action", "Volunteering settings saved"),
    "volunteering.create_activity": pgettext_lazy("audit action", "Volunteer activity created"),
    "volunteering.edit_activity": pgettext_lazy("audit action", "Volunteer activity changed"),
    "volunteering.publish": pgettext_lazy("audit action", "Volunteer activity published"),
    "volunteering.cancel_activity": pgettext_lazy("audit action", "Volunteer activity cancelled"),
    "volunteering.finish_activity": pgettext_lazy("audit action", "Volunteer activity finished"),
    "volunteering.sign_up": pgettext_lazy("audit action", "Signed up for an activity"),
    "volunteering.sign_up_at_door": pgettext_lazy("audit action", "Signed up at the door"),
    "volunteering.cancel_signup": pgettext_lazy("audit action", "Sign-up cancelled"),
    "volunteering.withdraw_signup": pgettext_lazy("audit action", "Volunteer taken off an activity"),
    "volunteering.promote": pgettext_lazy("audit action", "Moved up from the waiting list"),
    "volunteering.check_in": pgettext_lazy("audit action", "Volunteer checked in"),
    "volunteering.check_out": pgettext_lazy("audit action", "Volunteer checked out"),
    "volunteering.confirm_hours": pgettext_lazy("audit action", "Service hours confirmed"),
    "volunteering.correct_record": pgettext_lazy("audit action", "Service hours corrected"),
    "volunteering.view_progress": pgettext_lazy("audit action", "Party members' hours viewed"),
    "volunteering.export_progress": pgettext_lazy("audit action", "Party members' hours exported"),
    "volunteering.export_volunteers": pgettext_lazy("audit action", "Volunteers exported"),
    "points.credit": pgettext_lazy("audit action", "Points credited"),
    "points.redemption": pgettext_lazy("audit action", "Points redeemed"),
    "points.refund": pgettext_lazy("audit action", "Points refunded"),
    "points.reversal": pgettext_lazy("audit action", "Points transaction reversed"),
    "points.expiry": pgettext_lazy("audit action", "Points expired"),
    "points.adjustment": pgettext_lazy("audit action", "Points adjusted by hand"),
    "points.redeem": pgettext_lazy("audit action", "Reward redeemed"),
    "points.fulfil": pgettext_lazy("audit action", "Reward handed over"),
    "points.cancel": pgettext_lazy("audit action", "Redemption cancelled"),
    "points.reward_create": pgettext_lazy("audit action", "Reward added"),
    "points.reward_edit": pgettext_lazy("audit action", "Reward changed"),
    "points.rule_create": pgettext_lazy("audit action", "Points rule added"),
    "points.rule_edit": pgettext_lazy("audit action", "Points rule changed"),
    "points.rule_activate": pgettext_lazy("audit action", "Points rule switched on"),
    "points.rule_deactivate": pgettext_lazy("audit action", "Points rule switched off"),
    "points.policy": pgettext_lazy("audit action", "Points expiry settings saved"),
    "points.export_statement": pgettext_lazy("audit action", "Points statement exported"),
    "points.export_leaderboard": pgettext_lazy("audit action", "Points leaderboard exported"),
    # needs, resources and matching (三张清单)
    "lists.need_create": pgettext_lazy("audit action", "Need recorded"),
    "lists.need_close": pgettext_lazy("audit action", "Need closed without action"),
    "lists.request": pgettext_lazy("audit action", "Resource requested from the serviceable list"),
    "lists.resource_create": pgettext_lazy("audit action", "Resource recorded"),
    "lists.resource_edit": pgettext_lazy("audit action", "Resource changed"),
    "lists.match_propose": pgettext_lazy("audit action", "Resource proposed for a need"),
    "lists.match_accept": pgettext_lazy("audit action", "Match accepted by the provider"),
    "lists.match_decline": pgettext_lazy("audit action", "Match declined by the provider"),
    "lists.match_withdraw": pgettext_lazy("audit action", "Match withdrawn"),
    "lists.match_complete": pgettext_lazy("audit action", "Need met (match done)"),
    # figures
    "insights.evaluate": pgettext_lazy("audit action", "Community evaluation computed"),
    "insights.indicator_saved": pgettext_lazy("audit action", "Evaluation indicator saved"),
    "insights.report_requested": pgettext_lazy("audit action", "Monthly report requested"),
    "insights.report_downloaded": pgettext_lazy("audit action", "Monthly report downloaded"),
}


def action_label(code: str) -> str:
    """The action in words; an unknown code (recorded by an older version) is shown as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def _role_names() -> dict[str, str]:
    try:
        field = apps.get_model("accounts", "RoleGrant")._meta.get_field("role")
    except (LookupError, FieldDoesNotExist):
        return {}
    return {str(value): str(label) for value, label in field.flatchoices}


def role_label(codes: str) -> str:
    """ "system_admin,auditor" as "系统管理员、审计员" (an unknown role stays as its code)."""
    if not codes:
        return ""
    names = _role_names()
    return pgettext("list separator", ", ").join(names.get(code, code) for code in codes.split(",") if code)


def _model(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


# Objects whose text names a person: shown by their kind and number only, never by name.
PERSONAL = frozenset({"people.person"})


def object_labels(events: Iterable[Any]) -> dict[tuple[str, str], str]:
    """The objects of the events in words, each "kind · what it is" ("诉求 · 20240412-000042"), read
    with one query per kind of object. An object since deleted, or one that names a person, is
    "kind #id"; an unknown kind stays as its code."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type:
            wanted[event.object_type].add(event.object_id)
    labels: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        if model is None:
            for object_id in ids:
                labels[object_type, object_id] = f"{object_type} #{object_id}" if object_id else object_type
            continue
        kind = str(model._meta.verbose_name)
        found: dict[str, Model] = {}
        if model._meta.label_lower not in PERSONAL:
            keys = [i for i in ids if i]
            try:
                found = {str(pk): obj for pk, obj in model._default_manager.in_bulk(keys).items()}
            except (ValueError, TypeError):
                found = {}
        for object_id in ids:
            obj = found.get(object_id)
            if obj is not None:
                labels[object_type, object_id] = _g("%(kind)s · %(object)s") % {"kind": kind, "object": obj}
            elif object_id:
                labels[object_type, object_id] = _g("%(kind)s #%(id)s") % {"kind": kind, "id": object_id}
            else:
                labels[object_type, object_id] = kind
    return labels


def in_words(events: Iterable[Any]) -> list[Any]:
    """The events with ``action_label``, ``role_label`` and ``object_label`` set for the pages."""
    events = list(events)
    objects = object_labels(events)
    for event in events:
        event.action_label = action_label(event.action)
        event.role_label = role_label(event.actor_role)
        event.object_label = objects.get((event.object_type, event.object_id), "")
        event.object_code = f"{event.object_type} #{event.object_id}" if event.object_id else event.object_type
    return events

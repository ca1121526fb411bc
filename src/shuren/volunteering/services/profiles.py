"""Volunteers: a resident registers (skills, availability, a few words, the teams of their community
to join); staff approve, reject or suspend the registration with a note; the community's policy may
approve registrations at once. Joining a team is an ``orgs.Membership`` (role member)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, path_covers, require, scope_paths
from shuren.orgs.models import Membership, MembershipRole, Organization, OrganizationKind
from shuren.places.models import Area

from ..models import Availability, ProfileStatus, Skill, VolunteeringPolicy, VolunteerProfile
from .base import NotEligible, audit, need_person, now, policy_for

# decision -> (states it may be taken from, the state it leads to)
DECISIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({ProfileStatus.APPLIED, ProfileStatus.REJECTED, ProfileStatus.SUSPENDED}), "approved"),
    "reject": (frozenset({ProfileStatus.APPLIED}), "rejected"),
    "suspend": (frozenset({ProfileStatus.APPROVED}), "suspended"),
}


def current_membership_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return (Q(from_on__isnull=True) | Q(from_on__lte=today)) & (Q(to_on__isnull=True) | Q(to_on__gte=today))


def teams_of_community(community: Area) -> Any:
    """The volunteer teams of a community (and of its grids)."""
    return Organization.objects.filter(
        Q(scope=community.path) | Q(scope__startswith=community.path + "."), kind=OrganizationKind.VOLUNTEER_TEAM
    ).order_by("name")


def current_teams(person: Any) -> Any:
    return (
        Membership.objects.filter(
            current_membership_q(), person=person, organization__kind=OrganizationKind.VOLUNTEER_TEAM
        )
        .select_related("organization")
        .order_by("pk")
    )


def current_teams_of(person_ids: list[int]) -> dict[int, list[Any]]:
    """``current_teams`` of each of ``person_ids`` (in the same order), in one query for a page."""
    teams: dict[int, list[Any]] = {}
    memberships = Membership.objects.filter(
        current_membership_q(), person_id__in=person_ids, organization__kind=OrganizationKind.VOLUNTEER_TEAM
    ).select_related("organization")
    for membership in memberships.order_by("pk"):
        teams.setdefault(membership.person_id, []).append(membership)
    return teams


def _clean(
    community: Area, skills: Iterable[Skill], availability: Sequence[str], introduction: str, teams: Iterable[Any]
) -> tuple[list[Skill], list[str], str, list[Organization]]:
    errors: dict[str, list[str]] = {}
    codes = [str(code) for code in availability]
    if any(code not in Availability.values for code in codes):
        errors["availability"] = [_("Choose when you can serve from the list.")]
    introduction = (introduction or "").strip()
    if len(introduction) > 1000:
        errors["introduction"] = [_("At most 1000 characters.")]
    teams = list(teams)
    if any(t.kind != OrganizationKind.VOLUNTEER_TEAM or not path_covers(community.path, t.scope) for t in teams):
        errors["teams"] = [_("Choose volunteer teams of your community.")]
    if errors:
        raise ValidationError(errors)
    ordered = [code for code in Availability.values if code in codes]
    return list(skills), ordered, introduction, teams


def register_volunteer(
    *,
    actor: User,
    skills: Iterable[Skill] = (),
    availability: Sequence[str] = (),
    introduction: str = "",
    teams: Iterable[Organization] = (),
) -> VolunteerProfile:
    """Register the actor as a volunteer of their community, or update their registration.

    A new registration (or a new one after a rejection) awaits approval unless the community's policy
    approves registrations at once; an approved volunteer who edits their profile stays approved; a
    suspended one cannot change it. The teams chosen become current memberships (role member);
    teams left are ended (a membership begun today is removed)."""
    if not any(scope_paths(actor, "volunteering.volunteer")):
        raise NotPermitted()
    person = need_person(actor)
    community = person.community
    skills, codes, introduction, teams = _clean(community, skills, availability, introduction, teams)
    policy = policy_for(community)
    at = now()
    with transaction.atomic():
        profile = VolunteerProfile.objects.select_for_update().filter(person=person).first()
        if profile is None:
            profile = _create(actor, person, community, policy, at, codes, introduction)
            created = True
        else:
            created = False
            if profile.status == ProfileStatus.SUSPENDED:
                raise NotEligible(_("Your volunteer registration is suspended; please talk to the community."))
            changes: dict[str, Any] = {"availability": codes, "introduction": introduction}
            if profile.status == ProfileStatus.REJECTED:
                changes.update(_fresh_application(actor, policy, at))
            profile.version = update_versioned(VolunteerProfile, pk=profile.pk, version=profile.version, **changes)
            for name, value in changes.items():
                setattr(profile, name, value)
        profile.skills.set(skills)
        joined, left = _sync_teams(person, community, teams)
        audit(
            "register" if created else "update_profile",
            actor=actor,
            obj=profile,
            status=profile.status,
            joined=",".join(joined),
            left=",".join(left),
        )
    return profile


def _fresh_application(actor: User, policy: VolunteeringPolicy, at: dt.datetime) -> dict[str, Any]:
    if policy.approval_required:
        return {
            "status": ProfileStatus.APPLIED,
            "applied_at": at,
            "decided_at": None,
            "decided_by": None,
            "decision_note": "",
        }
    return {
        "status": ProfileStatus.APPROVED,
        "applied_at": at,
        "decided_at": at,
        "decided_by": actor,
        "decision_note": "",
    }


def _create(
    actor: User, person: Any, community: Area, policy: VolunteeringPolicy, at: dt.datetime, codes: list[str], text: str
) -> VolunteerProfile:
    try:
        with transaction.atomic():
            return VolunteerProfile.objects.create(
                person=person,
                community=community,
                availability=codes,
                introduction=text,
                **_fresh_application(actor, policy, at),
            )
    except IntegrityError:  # a double submission: the other request registered first
        raise InvalidTransition(_("You have just registered; reload the page.")) from None


def _sync_teams(person: Any, community: Area, teams: list[Organization]) -> tuple[list[str], list[str]]:
    today = timezone.localdate()
    wanted = {t.pk: t for t in teams}
    current = {
        m.organization_id: m for m in current_teams(person).filter(organization__in=teams_of_community(community))
    }
    joined = []
    for pk, team in wanted.items():
        if pk not in current:
            Membership.objects.create(organization=team, person=person, role=MembershipRole.MEMBER, from_on=today)
            joined.append(team.name)
    left = []
    for pk, membership in current.items():
        if pk in wanted or membership.role != MembershipRole.MEMBER:
            continue  # captains and contacts are changed by the community, not by unticking a box
        if membership.from_on == today:
            membership.delete()
        else:
            Membership.objects.filter(pk=membership.pk).update(to_on=today - dt.timedelta(days=1))
        left.append(membership.organization.name)
    return joined, left


def may_manage_profile(user: Any, profile: VolunteerProfile) -> bool:
    """Staff of the community, or of the grid the volunteer lives in."""
    if can(user, "volunteering.manage", profile):
        return True
    return any(path_covers(p, profile.person.scope) for p in scope_paths(user, "volunteering.manage"))


def may_view_profile(user: Any, profile: VolunteerProfile) -> bool:
    if can(user, "volunteering.view", profile) or may_manage_profile(user, profile):
        return True
    return any(path_covers(p, profile.person.scope) for p in scope_paths(user, "volunteering.view"))


def decide_profile(
    *, actor: User, profile: VolunteerProfile, version: int, decision: str, note: str = ""
) -> VolunteerProfile:
    """Approve, reject or suspend a registration (a suspended volunteer may be approved again).
    Rejecting and suspending need a note, which the volunteer sees."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose approve, reject or suspend.")]})
    if not may_manage_profile(actor, profile):
        raise NotPermitted() if may_view_profile(actor, profile) else OutOfScope()
    note = (note or "").strip()
    if decision in ("reject", "suspend") and not note:
        raise ValidationError({"note": [_("Say why, in a few words: the volunteer will read it.")]})
    if len(note) > 200:
        raise ValidationError({"note": [_("At most 200 characters.")]})
    sources, target = DECISIONS[decision]
    if profile.status not in sources:
        raise InvalidTransition(
            _("This registration is “%(status)s”: it cannot be changed that way.")
            % {"status": profile.get_status_display()}
        )
    at = now()
    changes = {"status": target, "decided_at": at, "decided_by": actor, "decision_note": note}
    with transaction.atomic():
        profile.version = update_versioned(VolunteerProfile, pk=profile.pk, version=version, **changes)
        for name, value in changes.items():
            setattr(profile, name, value)
        audit(decision, actor=actor, obj=profile, note=note)
    return profile


def set_policy(
    *, actor: User, community: Area, party_member_target_hours: int, approval_required: bool
) -> VolunteeringPolicy:
    """The community's target for party members and whether registrations need approval."""
    require(actor, "volunteering.configure", community)
    if not 1 <= int(party_member_target_hours) <= 1000:
        raise ValidationError({"party_member_target_hours": [_("Between 1 and 1000 hours.")]})
    with transaction.atomic():
        policy, _created = VolunteeringPolicy.objects.update_or_create(
            community=community,
            defaults={"party_member_target_hours": party_member_target_hours, "approval_required": approval_required},
        )
        audit(
            "policy",
            actor=actor,
            obj=policy,
            target=party_member_target_hours,
            approval_required=approval_required,
        )
    return policy

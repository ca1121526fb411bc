"""Invitations by role, by organisation and by person, expanded into one row per invitee (nobody is
invited twice), and the invitees' replies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.core.errors import InvalidTransition, OutOfScope
from shuren.core.scoping import covering_paths

from .. import workflow
from ..models import Invitation, InvitationStatus, Meeting
from ..selectors import in_reach, reachable_users
from .base import event, locked, now, require_manage
from .messages import tell_invited


class _Invitees:
    """The meeting's invitations, to skip anyone already invited (by account or by person)."""

    def __init__(self, meeting: Meeting) -> None:
        rows = list(meeting.invitations.values_list("user_id", "person_id", "organization_id"))
        self.users = {u for u, _p, _o in rows if u}
        self.people = {p for _u, p, _o in rows if p}
        self.organizations = {o for u, p, o in rows if o and not u and not p}
        self.new: list[Invitation] = []  # made now: their invitees are told when the invitations are written

    def add(self, meeting: Meeting, *, invited_as: str, user: Any = None, person: Any = None, **extra: Any) -> bool:
        if user is not None and person is None:
            from shuren.people.models import Person

            person = Person.objects.filter(user=user).first()
        if person is not None and user is None:
            user = person.user
        if (user is not None and user.pk in self.users) or (person is not None and person.pk in self.people):
            return False
        invitation = Invitation.objects.create(
            meeting=meeting, user=user, person=person, invited_as=invited_as[:80], sent_at=now(), **extra
        )
        self.new.append(invitation)
        if user is not None:
            self.users.add(user.pk)
        if person is not None:
            self.people.add(person.pk)
        return True


def _open_for_invitations(actor: User, meeting: Meeting) -> Meeting:
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.INVITING, _("Inviting"))
    return locked(meeting)


def invite_by_role(*, actor: User, meeting: Meeting, role: str, is_voting: bool = True) -> int:
    """Invite every active user holding ``role`` on the meeting's place, on an area inside it, or on
    an area covering it. Returns how many were newly invited."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role.")]})
    with transaction.atomic():
        meeting = _open_for_invitations(actor, meeting)
        paths = covering_paths(meeting.scope)
        area = meeting.area
        assert area is not None  # a meeting is always held for an area
        inside = area.path + "."
        grants = (
            RoleGrant.objects.active()
            .filter(role=role, user__is_active=True)
            .select_related("user", "area")
            .order_by("user__username")
        )
        users = {
            g.user.pk: g.user
            for g in grants
            if g.area is not None
            and (g.area.path in paths or g.area.path.startswith(inside) or g.area.path == area.path)
        }
        invitees = _Invitees(meeting)
        label = str(Role(role).label)
        made = sum(invitees.add(meeting, user=user, invited_as=label, is_voting=is_voting) for user in users.values())
        event(meeting, "invited", actor=actor, text=_("%(count)d invited as %(role)s") % {"count": made, "role": label})
        tell_invited(meeting, invitees.new)
    return made


def invite_organization(
    *,
    actor: User,
    meeting: Meeting,
    organization: Any,
    itself: bool = True,
    members: bool = False,
    is_voting: bool = True,
) -> int:
    """Invite an organisation (which sends someone) and/or its current members."""
    from shuren.orgs.models import Membership

    if not (itself or members):
        raise ValidationError({"members": [_("Invite the organisation, its members, or both.")]})
    with transaction.atomic():
        meeting = _open_for_invitations(actor, meeting)
        if not in_reach(actor, meeting, organization.scope):
            raise OutOfScope()
        invitees = _Invitees(meeting)
        made = 0
        if itself and organization.pk not in invitees.organizations:
            Invitation.objects.create(
                meeting=meeting,
                organization=organization,
                invited_as=organization.name[:80],
                is_voting=is_voting,
                sent_at=now(),
            )
            invitees.organizations.add(organization.pk)
            made += 1
        if members:
            current = Membership.objects.filter(organization=organization, to_on__isnull=True).select_related(
                "person", "person__user"
            )
            for membership in current:
                made += invitees.add(
                    meeting,
                    person=membership.person,
                    organization=organization,
                    invited_as=organization.name,
                    is_voting=is_voting,
                )
        event(
            meeting,
            "invited",
            actor=actor,
            text=_("%(count)d invited from %(org)s") % {"count": made, "org": organization.name},
        )
        tell_invited(meeting, invitees.new)
    return made


def invite_person(
    *, actor: User, meeting: Meeting, person: Any = None, user: Any = None, invited_as: str = "", is_voting: bool = True
) -> bool:
    """Invite one person of the registry (in the actor's reach) or one user. False if already invited."""
    if person is None and user is None:
        raise ValidationError({"person": [_("Choose a person to invite.")]})
    with transaction.atomic():
        meeting = _open_for_invitations(actor, meeting)
        if person is not None and not in_reach(actor, meeting, person.scope):
            raise OutOfScope()
        if user is not None and not reachable_users(actor, meeting).filter(pk=user.pk).exists():
            raise OutOfScope()
        name = invited_as.strip() or (person.name if person is not None else user.label)
        invitees = _Invitees(meeting)
        made = invitees.add(meeting, user=user, person=person, invited_as=name, is_voting=is_voting)
        if made:
            event(meeting, "invited", actor=actor, text=name)
            tell_invited(meeting, invitees.new)
    return made


def remove_invitation(*, actor: User, invitation: Invitation) -> None:
    meeting = Meeting.objects.get(pk=invitation.meeting_id)  # fresh: the caller's copy may be stale
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.INVITING, _("Changing the invitations"))
    if hasattr(invitation, "attendance") and invitation.attendance is not None:
        raise InvalidTransition(_("This invitee has signed in; the invitation stays."))
    with transaction.atomic():
        label = invitation.invited_as
        invitation.delete()
        event(meeting, "uninvited", actor=actor, text=label)


def reply(*, actor: User, invitation: Invitation, accept: bool) -> Invitation:
    """The invitee (the user, or the user of the invited person) says whether they will attend."""
    from ..selectors import my_invitation

    meeting = Meeting.objects.get(pk=invitation.meeting_id)  # fresh: the caller's copy may be stale
    mine = my_invitation(actor, meeting)
    if mine is None or mine.pk != invitation.pk:
        raise OutOfScope()
    workflow.require_status_in(meeting, workflow.INVITING, _("Replying"))
    status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(status=status, replied_at=now())
        event(
            meeting, "replied", actor=actor, text=f"{invitation.invited_as} · {status.label}", invitation=invitation.pk
        )
    invitation.refresh_from_db()
    return invitation

"""Sign-in: by scanning the meeting's QR code (the signed-in user is matched to their invitation;
anyone else is a non-voting walk-in), or by staff for invitees without an account and walk-ins."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition
from shuren.core.validators import required_text

from .. import workflow
from ..models import Attendance, CheckInMethod, Invitation, Meeting, MeetingStatus
from ..selectors import meeting_for_token, my_invitation, person_of
from .base import event, locked, now, require_manage


class SignInClosed(InvalidTransition):
    code = "sign-in-closed"
    default_detail = gettext_lazy("Sign-in for this meeting is not open.")


def _invitee_name(invitation: Invitation) -> str:
    if invitation.person is not None:
        return invitation.person.name
    if invitation.user is not None:
        return invitation.user.label
    return invitation.organization.name if invitation.organization is not None else ""


def check_in_with_token(*, actor: User, token: str) -> tuple[Attendance, bool]:
    """Check the signed-in ``actor`` in to the meeting of ``token`` while its sign-in is open.
    Returns (attendance, created); scanning twice changes nothing."""
    user = actor
    meeting = meeting_for_token(token)
    with transaction.atomic():
        meeting = locked(meeting)
        if not meeting.checkin_open or meeting.status != MeetingStatus.IN_PROGRESS:
            raise SignInClosed()
        existing = meeting.attendances.filter(user=user).first()
        if existing is not None:
            return existing, False
        invitation = my_invitation(user, meeting)
        person = person_of(user)
        if invitation is not None and hasattr(invitation, "attendance"):
            return invitation.attendance, False
        if person is not None and meeting.attendances.filter(person=person).exists():
            return meeting.attendances.get(person=person), False
        attendance = Attendance.objects.create(
            meeting=meeting,
            invitation=invitation,
            user=user,
            person=person,
            name=(person.name if person is not None else user.label)[:50],
            representing=(invitation.organization.name if invitation and invitation.organization else "")[:80],
            is_voting=invitation.is_voting if invitation is not None else False,
            method=CheckInMethod.QR,
            checked_in_at=now(),
        )
        event(
            meeting,
            "checked_in",
            actor=user,
            text=attendance.name if invitation is not None else _("%(name)s (walk-in)") % {"name": attendance.name},
            invited=invitation is not None,
        )
    return attendance, True


def sign_in_invitee(*, actor: User, invitation: Invitation) -> Attendance:
    """Staff sign in an invitee who has no account, or whose phone stayed at home."""
    meeting = Meeting.objects.get(pk=invitation.meeting_id)  # fresh: the caller's copy may be stale
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.ATTENDANCE, _("Signing in"))
    with transaction.atomic():
        locked(meeting)
        if Attendance.objects.filter(invitation=invitation).exists():
            raise InvalidTransition(_("%(name)s has already signed in.") % {"name": _invitee_name(invitation)})
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    meeting=meeting,
                    invitation=invitation,
                    user=invitation.user,
                    person=invitation.person,
                    name=_invitee_name(invitation)[:50],
                    representing=(invitation.organization.name if invitation.organization else "")[:80],
                    is_voting=invitation.is_voting,
                    method=CheckInMethod.STAFF,
                    checked_in_at=now(),
                    recorded_by=actor,
                )
        except IntegrityError:
            raise InvalidTransition(
                _("%(name)s has already signed in.") % {"name": _invitee_name(invitation)}
            ) from None
        event(meeting, "signed_in", actor=actor, text=attendance.name, invitation=invitation.pk)
    return attendance


def sign_in_walk_in(*, actor: User, meeting: Meeting, name: str, representing: str = "") -> Attendance:
    """Staff write down someone who came without an invitation (a non-voting walk-in)."""
    require_manage(actor, meeting)
    workflow.require_status_in(meeting, workflow.ATTENDANCE, _("Signing in"))
    name = required_text(name, "name", _("Write the name of the person present."))
    with transaction.atomic():
        locked(meeting)
        attendance = Attendance.objects.create(
            meeting=meeting,
            name=name[:50],
            representing=(representing or "").strip()[:80],
            is_voting=False,
            method=CheckInMethod.STAFF,
            checked_in_at=now(),
            recorded_by=actor,
        )
        event(meeting, "signed_in", actor=actor, text=_("%(name)s (walk-in)") % {"name": attendance.name})
    return attendance

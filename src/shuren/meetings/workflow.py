"""The life of a meeting as an explicit table: (status, action) -> status.

scheduled --open_checkin--> in_progress --end--> held --publish--> published
scheduled / in_progress --cancel--> cancelled

What may be written in each state is listed here too, so that services, pages and the API agree.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.core.errors import InvalidTransition

from .models import Meeting, MeetingStatus

S = MeetingStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SCHEDULED, "edit"): S.SCHEDULED,
    (S.SCHEDULED, "open_checkin"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "open_checkin"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "close_checkin"): S.IN_PROGRESS,
    (S.HELD, "close_checkin"): S.HELD,
    (S.IN_PROGRESS, "end"): S.HELD,
    (S.HELD, "publish"): S.PUBLISHED,
    (S.SCHEDULED, "cancel"): S.CANCELLED,
    (S.IN_PROGRESS, "cancel"): S.CANCELLED,
}

ACTION_LABELS = {
    "edit": gettext_lazy("Edit"),
    "open_checkin": gettext_lazy("Open sign-in"),
    "close_checkin": gettext_lazy("Close sign-in"),
    "end": gettext_lazy("End the meeting"),
    "publish": gettext_lazy("Publish minutes and resolutions"),
    "cancel": gettext_lazy("Cancel the meeting"),
}

# What may be recorded in which state.
INVITING = {S.SCHEDULED, S.IN_PROGRESS}
AGENDA = {S.SCHEDULED, S.IN_PROGRESS, S.HELD}
ATTENDANCE = {S.IN_PROGRESS, S.HELD}
PROCEEDINGS = {S.IN_PROGRESS, S.HELD}  # minutes, resolutions, action items


def next_state(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def require_transition(meeting: Meeting, action: str) -> str:
    target = next_state(meeting.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the meeting is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": meeting.get_status_display()}
        )
    return target


def require_state(meeting: Meeting, allowed: set[str], what: str) -> None:
    """Raise unless the meeting is now (in the database, not in the caller's copy) in an allowed state."""
    current = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).first()
    if current is not None:
        meeting.status = current
    if meeting.status not in allowed:
        raise InvalidTransition(
            _("%(what)s is not possible while the meeting is “%(status)s”.")
            % {"what": what, "status": meeting.get_status_display()}
        )


def allowed_actions(meeting: Meeting) -> list[str]:
    return [action for (status, action) in TRANSITIONS if status == meeting.status]

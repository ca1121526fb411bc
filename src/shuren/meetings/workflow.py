"""The life of a meeting as an explicit table: (status, action) -> status.

scheduled --open_checkin--> in_progress --end--> held --publish--> published
scheduled / in_progress --cancel--> cancelled

What may be written in each state is listed here too, so that services, pages and the API agree.
Services call ``require`` (a step of the meeting's life) or ``require_status_in`` (recording on it);
pages show ``allowed_actions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition
from shuren.core.workflow import StateMachine

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


MACHINE = StateMachine(TRANSITIONS, labels=ACTION_LABELS)


def allowed_actions(meeting: Meeting, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """The steps the table allows from the meeting's status (the same for everyone who manages it)."""
    return MACHINE.actions_from(meeting.status)


def require(meeting: Meeting, action: str, *, actor: User, now: dt.datetime | None = None) -> str:
    """The status after ``action``; InvalidTransition (409) when the table does not allow it."""
    target = MACHINE.next_state(meeting.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the meeting is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": meeting.get_status_display()}
        )
    return target


def require_status_in(meeting: Meeting, allowed: Collection[str], what: str) -> None:
    """Raise unless the meeting is now (in the database, not in the caller's copy) in one of the
    ``allowed`` states (``INVITING``, ``AGENDA``, ``ATTENDANCE``, ``PROCEEDINGS``): what may be
    recorded on a meeting, rather than a step of its life."""
    current = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).first()
    if current is not None:
        meeting.status = current
    if meeting.status not in allowed:
        raise InvalidTransition(
            _("%(what)s is not possible while the meeting is “%(status)s”.")
            % {"what": what, "status": meeting.get_status_display()}
        )

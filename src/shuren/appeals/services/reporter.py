"""The reporter: feedback, and reopening once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.workdays import WorkingCalendar

from .. import workflow
from ..models import (
    Appeal,
    EventKind,
)
from .base import _apply, _desk_of, _now, status_label, tell_reporter, tell_staff
from .publication import WITHDRAWN


def give_feedback(
    *,
    actor: User,
    appeal: Appeal,
    version: int,
    is_solved: bool,
    satisfaction: int,
    comment: str = "",
    reopen: bool = False,
) -> Appeal:
    """The reporter rates the outcome: solved or not, satisfaction 1-5, a comment. A dissatisfied
    reporter may instead reopen the appeal, once, within the community's reopen window."""
    if satisfaction not in (1, 2, 3, 4, 5):
        raise ValidationError({"satisfaction": [_("Choose from 1 (very dissatisfied) to 5 (very satisfied).")]})
    now = _now()
    feedback = {
        "is_solved": is_solved,
        "satisfaction": satisfaction,
        "feedback_comment": (comment or "").strip()[:1000],
        "feedback_at": now,
    }
    if reopen:
        if is_solved or satisfaction > 2:
            raise ValidationError({"reopen": [_("Only an unsolved or unsatisfactory outcome can be reopened.")]})
        # In a state that cannot be reopened at all, reopen_appeal raises InvalidTransition.
        if workflow.next_state(appeal.status, "reopen") is not None and not workflow.may_reopen(appeal, now):
            raise ValidationError({"reopen": [_("This appeal can no longer be reopened.")]})
        return reopen_appeal(actor=actor, appeal=appeal, version=version, feedback=feedback)
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="feedback",
            actor=actor,
            changes={**feedback, "closed_at": now},
            event_kind=EventKind.FEEDBACK,
            note=feedback["feedback_comment"],
            is_solved=is_solved,
            satisfaction=satisfaction,
        )
        # Feedback taken by staff (on the phone, at the door) is confirmed to the reporter.
        tell_reporter(
            appeal,
            "progress",
            lambda: _("Appeal %(ref)s was closed with your feedback. Thank you.") % {"ref": appeal.reference},
            actor=actor,
            params=lambda: {"status": status_label(appeal)},
        )
    return appeal


def reopen_appeal(*, actor: User, appeal: Appeal, version: int, feedback: dict[str, Any]) -> Appeal:
    now = _now()
    with transaction.atomic():
        appeal = _apply(
            appeal,
            version=version,
            action="reopen",
            actor=actor,
            changes={
                **feedback,
                "reopen_count": appeal.reopen_count + 1,
                "organization": None,
                "resolved_at": None,
                "closed_at": None,
                "response_due_at": None,
                "responded_at": None,
                "responded_on_time": None,
                "resolved_on_time": None,
                **WITHDRAWN,
                "resolution_due_at": WorkingCalendar().add_working_hours(now, appeal.category.resolution_hours),
            },
            event_kind=EventKind.REOPEN,
            note=feedback["feedback_comment"],
            is_solved=feedback["is_solved"],
            satisfaction=feedback["satisfaction"],
        )
        tell_staff(
            _desk_of(appeal),
            appeal,
            "reopened",
            lambda: _("The reporter reopened appeal %(ref)s.") % {"ref": appeal.reference},
            actor=actor,
        )
        from ..tasks import schedule_deadline_reminders

        schedule_deadline_reminders(appeal)
    return appeal

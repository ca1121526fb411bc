"""The life of an activity: draft → published → finished, or → cancelled (with a reason), and who
may take which step. Editing is possible while nobody has checked in; cancelling while no hours are
confirmed; finishing once the activity has started."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import can
from shuren.core.scoping import require as require_action
from shuren.core.workflow import StateMachine

from .models import Activity, ActivityStatus, CheckIn

S = ActivityStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "publish"): S.PUBLISHED,
    (S.DRAFT, "edit"): S.DRAFT,
    (S.PUBLISHED, "edit"): S.PUBLISHED,
    (S.DRAFT, "cancel"): S.CANCELLED,
    (S.PUBLISHED, "cancel"): S.CANCELLED,
    (S.PUBLISHED, "finish"): S.FINISHED,
}

ACTION_LABELS = {
    "publish": gettext_lazy("Publish"),
    "edit": gettext_lazy("Edit"),
    "cancel": gettext_lazy("Cancel the activity"),
    "finish": gettext_lazy("Mark as finished"),
}
DONE_MESSAGES = {
    "publish": gettext_lazy("The activity is published: residents can sign up now."),
    "cancel": gettext_lazy("The activity is cancelled; those signed up see it on their page."),
    "finish": gettext_lazy("The activity is finished. Confirm the hours of those who served."),
}
DISPLAY_ORDER = ("publish", "edit", "finish", "cancel")

MACHINE = StateMachine(TRANSITIONS, labels=ACTION_LABELS)


def has_checkins(activity: Activity) -> bool:
    return CheckIn.objects.filter(signup__activity=activity).exists()


def has_records(activity: Activity) -> bool:
    return activity.service_records.exists()


def _blocked(activity: Activity, action: str, now: dt.datetime) -> str | None:
    """Why a step the table allows is not possible for this activity now (None when it is)."""
    if action == "edit" and has_checkins(activity):
        return _("Volunteers have checked in: the activity can no longer be edited.")
    if action == "cancel" and has_records(activity):
        return _("Hours have been confirmed for this activity: it cannot be cancelled.")
    if action == "finish" and now < activity.starts_at:
        return _("The activity has not started yet.")
    return None


def allowed_actions(activity: Activity, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """The steps ``actor`` may take on ``activity`` now, in display order."""
    if not can(actor, "volunteering.manage", activity):
        return []
    now = now or timezone.now()
    return [
        action
        for action in DISPLAY_ORDER
        if MACHINE.allows(activity.status, action) and _blocked(activity, action, now) is None
    ]


def require(activity: Activity, action: str, *, actor: User, now: dt.datetime | None = None) -> str:
    """The status after ``action``; NotPermitted/OutOfScope when ``actor`` may not manage the
    activity, InvalidTransition (409) when the status or the activity's state forbids the step."""
    require_action(actor, "volunteering.manage", activity)
    target = MACHINE.next_state(activity.status, action)
    if target is None:
        raise InvalidTransition(
            _("This is not possible while the activity is “%(status)s”.") % {"status": activity.get_status_display()}
        )
    problem = _blocked(activity, action, now or timezone.now())
    if problem is not None:
        raise InvalidTransition(problem)
    return target

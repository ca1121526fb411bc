"""The life of an activity: draft → published → finished, or → cancelled (with a reason), and who
may take which step. Editing is possible while nobody has checked in; cancelling while no hours are
confirmed; finishing once the activity has started."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shuren.core.scoping import can

from .models import Activity, ActivityStatus

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
    "publish": _("Publish"),
    "edit": _("Edit"),
    "cancel": _("Cancel the activity"),
    "finish": _("Mark as finished"),
}
DONE_MESSAGES = {
    "publish": _("The activity is published: residents can sign up now."),
    "cancel": _("The activity is cancelled; those signed up see it on their page."),
    "finish": _("The activity is finished. Confirm the hours of those who served."),
}


def next_state(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def has_checkins(activity: Activity) -> bool:
    from .models import CheckIn

    return CheckIn.objects.filter(signup__activity=activity).exists()


def has_records(activity: Activity) -> bool:
    return activity.service_records.exists()


def allowed_actions(user: Any, activity: Activity, *, now: Any = None) -> list[str]:
    """The steps ``user`` may take on ``activity`` now, in display order."""
    from django.utils import timezone

    if not can(user, "volunteering.manage", activity):
        return []
    now = now or timezone.now()
    actions = []
    for action in ("publish", "edit", "finish", "cancel"):
        if next_state(activity.status, action) is None:
            continue
        if action == "edit" and has_checkins(activity):
            continue
        if action == "cancel" and has_records(activity):
            continue
        if action == "finish" and now < activity.starts_at:
            continue
        actions.append(action)
    return actions

"""The notice's state machine and who may take each step.

    draft ──publish──▶ published ──end──▶ ended
      │ ▲                  │
      │ └─unschedule─┐     └──withdraw──▶ withdrawn
      └─schedule──▶ scheduled ──release (the task worker, at the publish time)──▶ published
                         └──withdraw──▶ withdrawn

Only a draft is edited. A published notice is never changed: what the residents read and the
groups received stays what was sent; a wrong notice is withdrawn with a reason and written anew.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from shuren.core.errors import NotPermitted
from shuren.core.workflow import StateMachine

from . import selectors
from .models import Notice, NoticeStatus

S = NoticeStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.DRAFT, "publish"): S.PUBLISHED,
    (S.DRAFT, "schedule"): S.SCHEDULED,
    (S.DRAFT, "delete"): S.DRAFT,
    (S.SCHEDULED, "unschedule"): S.DRAFT,
    (S.SCHEDULED, "release"): S.PUBLISHED,
    (S.SCHEDULED, "withdraw"): S.WITHDRAWN,
    (S.PUBLISHED, "end"): S.ENDED,
    (S.PUBLISHED, "withdraw"): S.WITHDRAWN,
}
ACTION_LABELS = {
    "edit": gettext_lazy("Edit"),
    "publish": gettext_lazy("Publish"),
    "schedule": gettext_lazy("Schedule"),
    "delete": gettext_lazy("Delete the draft"),
    "unschedule": gettext_lazy("Back to draft"),
    "release": gettext_lazy("Publish at the set time"),
    "end": gettext_lazy("End now"),
    "withdraw": gettext_lazy("Withdraw"),
}
SYSTEM_ACTIONS = ("release",)

MACHINE = StateMachine(TRANSITIONS, labels=ACTION_LABELS)


def allowed_actions(notice: Notice, *, actor: Any, now: dt.datetime | None = None) -> list[str]:
    """The steps ``actor`` may take now: anyone who may write where the notice is takes every step
    but the system's; publishing is offered as "schedule" when the publish time is still ahead."""
    if not selectors.may(actor, selectors.WRITE, notice):
        return []
    actions = [a for a in MACHINE.actions_from(notice.status) if a not in SYSTEM_ACTIONS]
    return actions


def require(notice: Notice, action: str, *, actor: Any | None, now: dt.datetime | None = None) -> str:
    """The status after ``action``: OutOfScope (404) outside the actor's reach, InvalidTransition
    (409) when the status forbids it. ``actor=None`` is the system (the scheduled release)."""
    if actor is not None:
        selectors.require(actor, selectors.WRITE, notice)
        if action in SYSTEM_ACTIONS:
            raise NotPermitted()
    return MACHINE.require(notice, action)

"""The life of a survey as an explicit table: (status, action) -> next status.

A draft is edited (its questions too) and opened; an open survey takes responses and is closed.
What a survey allows depends on its status only: the right to manage surveys is checked on its
place (``surveys.manage``) before the step."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.workflow import StateMachine

from .models import Survey
from .models import SurveyStatus as S

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.DRAFT, "open"): S.OPEN,
    (S.OPEN, "close"): S.CLOSED,
}

REFUSALS = {
    "edit": lambda: _("Only a draft survey can be changed; its questions are fixed once it opens."),
    "open": lambda: _("Only a draft survey can be opened."),
    "close": lambda: _("Only an open survey can be closed."),
}

MACHINE = StateMachine(TRANSITIONS, refusals=REFUSALS)


def allowed_actions(survey: Survey, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """The steps the survey's status allows, in the table's order."""
    return MACHINE.actions_from(survey.status)


def require(survey: Survey, action: str, *, actor: User, now: dt.datetime | None = None) -> str:
    """The status after ``action``, or InvalidTransition (409) worded for the action."""
    return MACHINE.require(survey, action)

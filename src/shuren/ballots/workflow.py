"""The life of a ballot as an explicit table: (status, action) -> next status.

Services call ``require`` first thing (after the actor's right on the ballot's place); pages show
``allowed_actions``. What a ballot allows depends on its status only, not on who asks: the right to
manage ballots is checked on the place (``ballots.manage``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from shuren.accounts.models import User
from shuren.core.workflow import StateMachine

from .models import Ballot
from .models import BallotStatus as S

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.DRAFT, "open"): S.OPEN,
    (S.DRAFT, "cancel"): S.CANCELLED,
    (S.OPEN, "close"): S.CLOSED,
    (S.OPEN, "cancel"): S.CANCELLED,
}

REFUSALS = {
    "edit": lambda: _("Only a draft ballot can be changed."),
    "open": lambda: _("Only a draft ballot can be opened."),
    "close": lambda: _("Only an open ballot can be closed."),
    "cancel": lambda: _("A closed or cancelled ballot cannot be cancelled."),
}

MACHINE = StateMachine(TRANSITIONS, refusals=REFUSALS)


def allowed_actions(ballot: Ballot, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """The steps the ballot's status allows, in the table's order."""
    return MACHINE.actions_from(ballot.status)


def require(ballot: Ballot, action: str, *, actor: User, now: dt.datetime | None = None) -> str:
    """The status after ``action``, or InvalidTransition (409) worded for the action."""
    return MACHINE.require(ballot, action)

"""The life of a ballot as an explicit table: (status, action) -> next status."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shuren.core.errors import InvalidTransition

from .models import BallotStatus as S

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "edit"): S.DRAFT,
    (S.DRAFT, "open"): S.OPEN,
    (S.DRAFT, "cancel"): S.CANCELLED,
    (S.OPEN, "close"): S.CLOSED,
    (S.OPEN, "cancel"): S.CANCELLED,
}

MESSAGES = {
    "edit": lambda: _("Only a draft ballot can be changed."),
    "open": lambda: _("Only a draft ballot can be opened."),
    "close": lambda: _("Only an open ballot can be closed."),
    "cancel": lambda: _("A closed or cancelled ballot cannot be cancelled."),
}


def allowed(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS


def check(status: str, action: str) -> str:
    """The status after ``action``, or InvalidTransition (409) when the status does not allow it."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(MESSAGES[action]()) from None


def actions(status: str) -> list[str]:
    return [action for (state, action) in TRANSITIONS if state == status]

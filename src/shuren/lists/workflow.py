"""The state machines of needs and matches, and who may take each step.

    need:   open ──propose──▶ matched ──accept──▶ in_progress ──complete──▶ done
              ▲                  │                      │
              └──── reopen ──────┘ (every proposal declined or withdrawn)
            open / matched / in_progress ──close──▶ closed (with a reason)

    match:  proposed ──accept──▶ accepted ──complete──▶ done
               │  └──decline──▶ declined        │
               └──withdraw──▶ withdrawn ◀────────┘

Staff holding ``lists.manage`` where the need is propose, withdraw, complete and close; the
provider (a contact of the resource's organisation, or the resident who offers it) accepts,
declines and may report a match done. ``reopen`` is the system's step, never offered.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can
from shuren.core.workflow import StateMachine

from .models import Match, MatchStatus, Need, NeedStatus
from .selectors import is_provider

N, M = NeedStatus, MatchStatus

NEED_TRANSITIONS: dict[tuple[str, str], str] = {
    (N.OPEN, "propose"): N.MATCHED,
    (N.MATCHED, "propose"): N.MATCHED,
    (N.IN_PROGRESS, "propose"): N.IN_PROGRESS,
    (N.MATCHED, "accept"): N.IN_PROGRESS,
    (N.IN_PROGRESS, "accept"): N.IN_PROGRESS,
    (N.MATCHED, "reopen"): N.OPEN,
    (N.IN_PROGRESS, "reopen"): N.OPEN,
    (N.IN_PROGRESS, "complete"): N.DONE,
    (N.OPEN, "close"): N.CLOSED,
    (N.MATCHED, "close"): N.CLOSED,
    (N.IN_PROGRESS, "close"): N.CLOSED,
}
MATCH_TRANSITIONS: dict[tuple[str, str], str] = {
    (M.PROPOSED, "accept"): M.ACCEPTED,
    (M.PROPOSED, "decline"): M.DECLINED,
    (M.PROPOSED, "withdraw"): M.WITHDRAWN,
    (M.ACCEPTED, "withdraw"): M.WITHDRAWN,
    (M.ACCEPTED, "complete"): M.DONE,
}

ACTION_LABELS = {
    "propose": gettext_lazy("Propose a resource"),
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "withdraw": gettext_lazy("Withdraw the match"),
    "complete": gettext_lazy("Record as done"),
    "close": gettext_lazy("Close without action"),
    "reopen": gettext_lazy("Reopen"),
}

MACHINE = StateMachine(NEED_TRANSITIONS, labels=ACTION_LABELS)
MATCH_MACHINE = StateMachine(MATCH_TRANSITIONS, labels=ACTION_LABELS)

STAFF_NEED_ACTIONS = ("propose", "close")
STAFF_MATCH_ACTIONS = ("withdraw", "complete")
PROVIDER_MATCH_ACTIONS = ("accept", "decline", "complete")


def allowed_actions(need: Need, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """What ``actor`` may do with the need itself (the match steps are ``match_actions``)."""
    if not can(actor, "lists.manage", need):
        return []
    return [a for a in STAFF_NEED_ACTIONS if MACHINE.allows(need.status, a)]


def require(need: Need, action: str, *, actor: User | None, now: dt.datetime | None = None) -> str:
    """The need's state after ``action``: 404 outside the actor's areas, 409 when its state forbids
    the step, 403 when the actor's part does not allow it. ``actor=None``: the system's own step."""
    if actor is not None and action in STAFF_NEED_ACTIONS:
        if not can(actor, "lists.manage", need):
            if can(actor, "lists.view", need):
                raise NotPermitted()
            raise OutOfScope()
    target = MACHINE.next_state(need.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the need is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": need.get_status_display()}
        )
    return target


def _part(match: Match, actor: User) -> set[str]:
    """The match steps ``actor``'s part allows, whatever the match's state."""
    actions: set[str] = set()
    if can(actor, "lists.manage", match):
        actions |= set(STAFF_MATCH_ACTIONS)
    if is_provider(actor, match.resource):
        actions |= set(PROVIDER_MATCH_ACTIONS)
    return actions


def match_actions(match: Match, *, actor: User) -> list[str]:
    """What ``actor`` may do with ``match`` now: staff of the need's place, or its provider."""
    actions = _part(match, actor)
    order = ("accept", "decline", "complete", "withdraw")
    return [a for a in order if a in actions and MATCH_MACHINE.allows(match.status, a)]


def require_match(match: Match, action: str, *, actor: User) -> str:
    """The match's state after ``action``: 404 for whoever is neither staff of the need's place nor
    the provider, 403 when the actor's part does not allow the step, 409 when the state forbids it."""
    staff = can(actor, "lists.view", match) or can(actor, "lists.manage", match)
    if not staff and not is_provider(actor, match.resource):
        raise OutOfScope()
    if action not in _part(match, actor):
        raise NotPermitted()
    target = MATCH_MACHINE.next_state(match.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the match is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": match.get_status_display()}
        )
    return target

"""The shape of every app's ``workflow`` module: a transition table, and two questions asked of it.

An app's workflow module declares::

    MACHINE = StateMachine({(Status.DRAFT, "open"): Status.OPEN, ...}, labels=ACTION_LABELS)

    def allowed_actions(obj, *, actor, now=None) -> list[str]:
        '''What ``actor`` may do with ``obj`` now: the table, narrowed by the actor's part.'''

    def require(obj, action, *, actor, now=None) -> str:
        '''The state after ``action``, or InvalidTransition (409) / NotPermitted (403).'''

Services call ``require`` first thing; views and serializers show ``allowed_actions``. The table
alone answers ``MACHINE.next_state`` and ``MACHINE.actions_from``; only the app knows who may act.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from .errors import InvalidTransition


class StateMachine:
    """(status, action) -> next status, with the words for a refused step."""

    def __init__(
        self,
        transitions: Mapping[tuple[str, str], str],
        *,
        labels: Mapping[str, Any] | None = None,
        refusals: Mapping[str, Callable[[], str]] | None = None,
    ) -> None:
        self.transitions = dict(transitions)
        self.labels = dict(labels or {})
        self.refusals = dict(refusals or {})

    def next_state(self, status: str, action: str) -> str | None:
        return self.transitions.get((status, action))

    def allows(self, status: str, action: str) -> bool:
        return (status, action) in self.transitions

    def actions_from(self, status: str) -> list[str]:
        """The actions the table allows from ``status``, in the table's order."""
        return [action for (state, action) in self.transitions if state == status]

    def actions(self) -> list[str]:
        return list(dict.fromkeys(action for (_state, action) in self.transitions))

    def require(self, obj: Any, action: str, *, status: str | None = None) -> str:
        """The state after ``action`` from ``obj``'s status; InvalidTransition otherwise, worded with
        the app's refusal for that action or with the action's and the status's labels."""
        current = obj.status if status is None else status
        target = self.next_state(current, action)
        if target is not None:
            return target
        if action in self.refusals:
            raise InvalidTransition(self.refusals[action]())
        status_label = obj.get_status_display() if hasattr(obj, "get_status_display") else current
        raise InvalidTransition(
            _("“%(action)s” is not possible while the status is “%(status)s”.")
            % {"action": self.labels.get(action, action), "status": status_label}
        )

"""The appeal's state machine: (state, action) → state, and who may take each action.

The interface every app's workflow has (see ``shuren.core.workflow``): ``MACHINE`` (the table),
``allowed_actions(appeal, *, actor, now=None)`` for the buttons and ``require(appeal, action, *,
actor, now=None)`` for the services, which perform the actions; this module only answers questions,
so that pages and the API can show exactly the buttons that will work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, path_covers, roles_of, scope_paths
from shuren.core.workflow import StateMachine
from shuren.places.models import AreaKind

from .models import OPEN_STATUSES, Appeal, Level, Status

S = Status

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "reject"): S.REJECTED,
    (S.ACCEPTED, "reject"): S.REJECTED,
    (S.SUBMITTED, "dispatch"): S.DISPATCHED,
    (S.ACCEPTED, "dispatch"): S.DISPATCHED,
    (S.DISPATCHED, "take_up"): S.IN_PROGRESS,
    (S.DISPATCHED, "return"): S.ACCEPTED,
    (S.IN_PROGRESS, "return"): S.ACCEPTED,
    (S.IN_PROGRESS, "progress"): S.IN_PROGRESS,
    (S.DISPATCHED, "resolve"): S.RESOLVED,
    (S.IN_PROGRESS, "resolve"): S.RESOLVED,
    (S.RESOLVED, "feedback"): S.CLOSED,
    (S.RESOLVED, "reopen"): S.ACCEPTED,
    (S.CLOSED, "reopen"): S.ACCEPTED,
    (S.RESOLVED, "close"): S.CLOSED,
}
for _state in OPEN_STATUSES:
    TRANSITIONS[(_state, "escalate")] = _state
    TRANSITIONS[(_state, "supervise")] = _state
    TRANSITIONS[(_state, "merge")] = S.MERGED
for _state in Status:
    TRANSITIONS[(_state, "note")] = _state

# What each action is called on buttons and in messages.
ACTION_LABELS = {
    "accept": _("Accept"),
    "reject": _("Reject"),
    "dispatch": _("Dispatch"),
    "take_up": _("Take up"),
    "return": _("Return to the desk"),
    "progress": _("Record progress"),
    "resolve": _("Resolve"),
    "feedback": _("Rate the outcome"),
    "reopen": _("Reopen"),
    "close": _("Close"),
    "escalate": _("Escalate"),
    "supervise": _("Supervise"),
    "merge": _("Merge"),
    "note": _("Internal note"),
}

# Actions of the dispatching desk (community or grid), of the handling organisation, of the reporter.
DISPATCHER_ACTIONS = frozenset({"accept", "reject", "dispatch", "close", "merge", "escalate", "note"})
HANDLER_ACTIONS = frozenset({"take_up", "return", "progress", "resolve", "escalate", "note"})
REPORTER_ACTIONS = frozenset({"feedback", "reopen"})
SUPERVISOR_ACTIONS = frozenset({"supervise"})
# The order of the buttons.
ACTION_ORDER = [
    "accept",
    "dispatch",
    "reject",
    "take_up",
    "progress",
    "resolve",
    "return",
    "feedback",
    "reopen",
    "close",
    "escalate",
    "supervise",
    "merge",
    "note",
]

LEVEL_ORDER = [Level.GRID, Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT]
_LEVEL_OF_AREA: dict[str, Level] = {
    AreaKind.GRID: Level.GRID,
    AreaKind.COMMUNITY: Level.COMMUNITY,
    AreaKind.SUBDISTRICT: Level.SUBDISTRICT,
    AreaKind.DISTRICT: Level.DISTRICT,
}
# The community's own bodies: community staff may act as their handler.
COMMUNITY_OWN_KINDS = frozenset(
    {
        "party_committee",
        "party_general_branch",
        "party_branch",
        "residents_committee",
        "neighbours_association",
        "volunteer_team",
        "self_governing_group",
    }
)


MACHINE = StateMachine(TRANSITIONS, labels=ACTION_LABELS)
next_state = MACHINE.next_state


def level_above(level: str) -> str | None:
    index = LEVEL_ORDER.index(Level(level))
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def dispatch_level(user: Any, appeal: Appeal) -> str | None:
    """The highest level from which ``user`` may dispatch ``appeal``: the kind of the widest area of
    theirs that holds the appeal (a grid worker: grid; community staff: community ...)."""
    from shuren.places.models import Area

    paths = [p for p in scope_paths(user, "appeals.dispatch") if path_covers(p, appeal.scope)]
    if "" in paths:
        return Level.DISTRICT
    kinds = Area.objects.filter(path__in=paths).values_list("kind", flat=True)
    levels = [_LEVEL_OF_AREA[kind] for kind in kinds if kind in _LEVEL_OF_AREA]
    return max(levels, key=LEVEL_ORDER.index) if levels else None


def is_dispatcher(user: Any, appeal: Appeal) -> bool:
    """May dispatch: holds ``appeals.dispatch`` over the appeal's place at its level or above
    (an appeal escalated to the community leaves the grid worker's hands)."""
    level = dispatch_level(user, appeal)
    return level is not None and LEVEL_ORDER.index(Level(level)) >= LEVEL_ORDER.index(Level(appeal.level))


def is_handler(user: Any, appeal: Appeal) -> bool:
    """May act for the organisation the appeal is dispatched to: a handler account of that
    organisation, or a dispatcher when the organisation is one of the community's own bodies."""
    if appeal.organization_id is None:
        return False
    if "handler" in roles_of(user) and can(user, "appeals.handle", appeal):
        from .models import Handler

        if Handler.objects.filter(user=user, organization_id=appeal.organization_id, is_active=True).exists():
            return True
    organization = appeal.organization
    return organization is not None and organization.kind in COMMUNITY_OWN_KINDS and is_dispatcher(user, appeal)


def is_reporter(user: Any, appeal: Appeal) -> bool:
    return bool(user.is_authenticated and appeal.reporter_id == user.pk)


def community_of(appeal: Appeal) -> Any:
    """The community the appeal's place belongs to."""
    area = appeal.area
    return area.parent if area.kind == AreaKind.GRID else area


def reopen_deadline(appeal: Appeal) -> dt.datetime | None:
    if appeal.resolved_at is None:
        return None
    from .models import IntakePolicy

    policy = IntakePolicy.objects.filter(community=community_of(appeal)).first()
    days = policy.reopen_days if policy else 7
    return appeal.resolved_at + dt.timedelta(days=days)


def may_reopen(appeal: Appeal, now: dt.datetime | None = None) -> bool:
    deadline = reopen_deadline(appeal)
    now = now or timezone.now()
    return appeal.reopen_count == 0 and deadline is not None and now <= deadline and appeal.satisfaction in (None, 1, 2)


def allowed_actions(appeal: Appeal, *, actor: User | AnonymousUser, now: dt.datetime | None = None) -> list[str]:
    """The actions ``actor`` may take on ``appeal`` now, in a stable order for buttons."""
    if not actor.is_authenticated:
        return []
    actions: set[str] = set()
    if is_dispatcher(actor, appeal):
        actions |= DISPATCHER_ACTIONS
    if is_handler(actor, appeal):
        actions |= HANDLER_ACTIONS
    if is_reporter(actor, appeal):
        actions |= REPORTER_ACTIONS
    if can(actor, "appeals.supervise", appeal):
        actions |= SUPERVISOR_ACTIONS
    if appeal.status == S.CLOSED and appeal.feedback_at is not None:
        actions.discard("feedback")
    if "escalate" in actions and level_above(appeal.level) is None:
        actions.discard("escalate")
    if "reopen" in actions and not may_reopen(appeal, now):
        actions.discard("reopen")
    return [a for a in ACTION_ORDER if a in actions and next_state(appeal.status, a) is not None]


def require(appeal: Appeal, action: str, *, actor: User | AnonymousUser, now: dt.datetime | None = None) -> str:
    """The state ``action`` leads to. OutOfScope (404) when ``actor`` has no part in the appeal,
    InvalidTransition (409) when its state does not allow the action, NotPermitted (403) when the
    actor's part does not."""
    if not (can(actor, "appeals.view", appeal) or is_handler(actor, appeal) or is_reporter(actor, appeal)):
        raise OutOfScope()
    target = next_state(appeal.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the appeal is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": appeal.get_status_display()}
        )
    if action not in allowed_actions(appeal, actor=actor, now=now):
        raise NotPermitted()
    return target

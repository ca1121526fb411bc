"""The governance item's state machine: (state, action) → state, and who may take each action.

Services in ``governance.services`` perform the actions and call ``require`` first; pages and the API
show ``allowed_actions``, so that they offer exactly the buttons that will work.

    proposed ──list──▶ open ──claim──▶ claimed ──submit──▶ submitted ──verify──▶ done
        │                ▲               │  ▲                   │
        └─decline─▶ cancelled   release/lapse/withdraw          └──return──▶ claimed
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope
from shuren.core.scoping import can, path_covers, roles_of
from shuren.core.workflow import StateMachine

from .models import Claim, GovernanceItem, ItemStatus
from .selectors import (
    CLAIMING_ROLES,
    active_claim,
    claim_reach,
    is_overdue,
    is_party_member,
    member_organization_ids,
    person_of,
)

__all__ = ["CLAIMING_ROLES", "is_overdue"]

S = ItemStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PROPOSED, "list"): S.OPEN,
    (S.PROPOSED, "decline"): S.CANCELLED,
    (S.OPEN, "claim"): S.CLAIMED,
    (S.CLAIMED, "progress"): S.CLAIMED,
    (S.CLAIMED, "release"): S.OPEN,
    (S.CLAIMED, "withdraw"): S.OPEN,
    (S.CLAIMED, "lapse"): S.OPEN,
    (S.CLAIMED, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "verify"): S.DONE,
    (S.SUBMITTED, "return"): S.CLAIMED,
}
LIVE_STATUSES = (S.PROPOSED, S.OPEN, S.CLAIMED, S.SUBMITTED)
FINISHED_STATUSES = (S.DONE, S.CANCELLED)
for _state in LIVE_STATUSES:
    TRANSITIONS[(_state, "edit")] = _state
    TRANSITIONS[(_state, "cancel")] = S.CANCELLED

ACTION_LABELS = {
    "list": gettext_lazy("List for claiming"),
    "decline": gettext_lazy("Decline the wish"),
    "claim": gettext_lazy("Claim"),
    "progress": gettext_lazy("Record progress"),
    "release": gettext_lazy("Release the claim"),
    "withdraw": gettext_lazy("Withdraw the claim"),
    "lapse": gettext_lazy("Lapse the claim"),
    "submit": gettext_lazy("Report done"),
    "verify": gettext_lazy("Verify as done"),
    "return": gettext_lazy("Return for more work"),
    "edit": gettext_lazy("Edit"),
    "cancel": gettext_lazy("Cancel the item"),
}

# Staff who run the list of the place (governance.manage), verifiers (governance.verify), and the
# holder of the active claim. Staff may also record progress and report done for a holder who
# told them by phone or at a meeting; the audit log names who typed it.
MANAGER_ACTIONS = frozenset({"list", "decline", "claim", "withdraw", "edit", "cancel", "progress", "submit"})
VERIFIER_ACTIONS = frozenset({"verify", "return"})
HOLDER_ACTIONS = frozenset({"progress", "release", "submit"})
ORDER = [
    "list",
    "decline",
    "claim",
    "progress",
    "submit",
    "release",
    "verify",
    "return",
    "withdraw",
    "edit",
    "cancel",
]

MACHINE = StateMachine(TRANSITIONS, labels=ACTION_LABELS)


class AlreadyClaimed(InvalidTransition):
    """Someone else holds the item: at most one active claim, whatever the race."""

    code = "already-claimed"

    def __init__(self, holder: str = "") -> None:
        detail = (
            _("Already claimed by %(holder)s.") % {"holder": holder}
            if holder
            else _("Someone has already claimed this.")
        )
        super().__init__(detail, holder=holder)


def is_holder(user: Any, claim: Claim | None) -> bool:
    """Whether ``user`` holds ``claim``: the person who claimed (through their account), or a current
    member of the claiming organisation. Staff who recorded a claim for someone do not hold it."""
    if claim is None or not getattr(user, "is_authenticated", False):
        return False
    if claim.person_id is not None:
        person = person_of(user)
        return person is not None and claim.person_id == person.pk
    return claim.organization_id in member_organization_ids(user)


def holder_test(user: Any) -> Any:
    """``is_holder`` for the claims of a page, as one function: the user's organisations are read
    once, at the first claim held by an organisation (not once a claim)."""
    organizations: list[int] | None = None

    def holds(claim: Claim | None) -> bool:
        nonlocal organizations
        if claim is None or claim.person_id is not None or not getattr(user, "is_authenticated", False):
            return is_holder(user, claim)
        if organizations is None:
            organizations = member_organization_ids(user)
        return claim.organization_id in organizations

    return holds


def may_reach_for_claim(user: Any, item: GovernanceItem) -> bool:
    return any(path_covers(p, item.scope) for p in claim_reach(user))


def may_claim_as_self(user: Any) -> bool:
    """A party member, a volunteer or a building leader with a resident record."""
    person = person_of(user)
    if person is None:
        return False
    if roles_of(user) & CLAIMING_ROLES:
        return True
    return is_party_member(person)


def has_claim_capacity(user: Any) -> bool:
    """May claim for oneself or for one of one's organisations."""
    return may_claim_as_self(user) or bool(member_organization_ids(user))


def allowed_actions(item: GovernanceItem, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """The actions ``actor`` may take on ``item`` now, in a stable order for buttons."""
    if not getattr(actor, "is_authenticated", False):
        return []
    actions: set[str] = set()
    if can(actor, "governance.manage", item):
        actions |= MANAGER_ACTIONS
    if can(actor, "governance.verify", item):
        actions |= VERIFIER_ACTIONS
    claim = active_claim(item) if item.status in (S.CLAIMED, S.SUBMITTED) else None
    if is_holder(actor, claim):
        actions |= HOLDER_ACTIONS
    if item.status == S.OPEN and may_reach_for_claim(actor, item) and has_claim_capacity(actor):
        actions.add("claim")
    if item.status == S.SUBMITTED:
        actions -= {"progress", "submit", "release"}
    return [a for a in ORDER if a in actions and MACHINE.allows(item.status, a)]


def require(item: GovernanceItem, action: str, *, actor: User, now: dt.datetime | None = None) -> str:
    """The state ``action`` leads to; OutOfScope (404) when the item lies outside everything the actor
    may see, AlreadyClaimed or InvalidTransition (409) when its state does not allow the action,
    NotPermitted (403) when the actor's part does not."""
    if not (
        can(actor, "governance.view", item)
        or can(actor, "governance.manage", item)
        or may_reach_for_claim(actor, item)
        or item.created_by_id == getattr(actor, "pk", None)
    ):
        raise OutOfScope()
    target = MACHINE.next_state(item.status, action)
    if target is None:
        if action == "claim" and item.status in (S.CLAIMED, S.SUBMITTED):
            claim = active_claim(item)
            raise AlreadyClaimed(claim.public_holder_label if claim else "")
        raise InvalidTransition(
            _("“%(action)s” is not possible while the item is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": item.get_status_display()}
        )
    if action not in allowed_actions(item, actor=actor, now=now):
        raise NotPermitted()
    return target

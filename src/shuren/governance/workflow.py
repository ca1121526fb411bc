"""The governance item's state machine: (state, action) → state, and who may take each action.

Services in ``governance.services`` perform the actions; this module only answers questions, so that
pages and the API show exactly the buttons that will work.

    proposed ──list──▶ open ──claim──▶ claimed ──submit──▶ submitted ──verify──▶ done
        │                ▲               │  ▲                   │
        └─decline─▶ cancelled   release/lapse/withdraw          └──return──▶ claimed
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core.scoping import can, covering_paths, path_covers, roles_of, scope_paths

from .models import Claim, ClaimStatus, GovernanceItem, ItemStatus

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
    "list": _("List for claiming"),
    "decline": _("Decline the wish"),
    "claim": _("Claim"),
    "progress": _("Record progress"),
    "release": _("Release the claim"),
    "withdraw": _("Withdraw the claim"),
    "lapse": _("Lapse the claim"),
    "submit": _("Report done"),
    "verify": _("Verify as done"),
    "return": _("Return for more work"),
    "edit": _("Edit"),
    "cancel": _("Cancel the item"),
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

# Roles whose holders may claim for themselves without being party members.
CLAIMING_ROLES = frozenset({"volunteer", "building_leader"})


def next_state(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def active_claim(item: GovernanceItem) -> Claim | None:
    """The item's active claim (at most one: a partial unique constraint), cached on the item."""
    if not hasattr(item, "_active_claim"):
        item._active_claim = (  # type: ignore[attr-defined]
            item.claims.filter(status=ClaimStatus.ACTIVE).select_related("person", "organization").first()
            if item.pk
            else None
        )
    return item._active_claim  # type: ignore[attr-defined]


def person_of(user: Any) -> Any:
    """The resident record the user signs in as, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    from shuren.people.models import Person

    if not hasattr(user, "_shuren_person"):
        user._shuren_person = Person.objects.filter(user=user).first()
    return user._shuren_person


def current_membership_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return (Q(from_on__isnull=True) | Q(from_on__lte=today)) & (Q(to_on__isnull=True) | Q(to_on__gte=today))


def member_organization_ids(user: Any) -> list[int]:
    """Organisations the user's person is a current member of."""
    person = person_of(user)
    if person is None:
        return []
    from shuren.orgs.models import Membership

    return list(
        Membership.objects.filter(current_membership_q(), person=person).values_list("organization_id", flat=True)
    )


def is_holder(user: Any, claim: Claim | None) -> bool:
    """Whether ``user`` holds ``claim``: the person who claimed (through their account), or a current
    member of the claiming organisation. Staff who recorded a claim for someone do not hold it."""
    if claim is None or not getattr(user, "is_authenticated", False):
        return False
    if claim.person_id is not None:
        person = person_of(user)
        return person is not None and claim.person_id == person.pk
    return claim.organization_id in member_organization_ids(user)


def claim_reach(user: Any) -> list[str]:
    """Paths of the communities where ``user`` may claim: a resident granted on a grid claims in the
    whole community around it (a task at the estate gate is anyone's in the community)."""
    from shuren.places.models import Area, AreaKind

    paths = scope_paths(user, "governance.claim")
    if not paths:
        return []
    if "" in paths:
        return [""]
    wanted = {p for path in paths for p in covering_paths(path)}
    communities = list(Area.objects.filter(path__in=wanted, kind=AreaKind.COMMUNITY).values_list("path", flat=True))
    # A grant above community level (unusual for residents) reaches what it covers.
    wider = [p for p in paths if not any(path_covers(c, p) for c in communities)]
    return sorted(set(communities) | set(wider))


def may_reach_for_claim(user: Any, item: GovernanceItem) -> bool:
    return any(path_covers(p, item.scope) for p in claim_reach(user))


def may_claim_as_self(user: Any) -> bool:
    """A party member, a volunteer or a building leader with a resident record."""
    person = person_of(user)
    if person is None:
        return False
    if roles_of(user) & CLAIMING_ROLES:
        return True
    from shuren.people.models import PartyMembership

    return PartyMembership.objects.filter(person=person).exists()


def allowed_actions(user: Any, item: GovernanceItem) -> list[str]:
    """The actions ``user`` may take on ``item`` now, in a stable order for buttons."""
    if not getattr(user, "is_authenticated", False):
        return []
    actions: set[str] = set()
    if can(user, "governance.manage", item):
        actions |= MANAGER_ACTIONS
    if can(user, "governance.verify", item):
        actions |= VERIFIER_ACTIONS
    claim = active_claim(item) if item.status in (S.CLAIMED, S.SUBMITTED) else None
    if is_holder(user, claim):
        actions |= HOLDER_ACTIONS
    if item.status == S.OPEN and may_reach_for_claim(user, item) and has_claim_capacity(user):
        actions.add("claim")
    if item.status == S.SUBMITTED:
        actions -= {"progress", "submit", "release"}
    return [a for a in ORDER if a in actions and next_state(item.status, a) is not None]


def has_claim_capacity(user: Any) -> bool:
    """May claim for oneself or for one of one's organisations."""
    return may_claim_as_self(user) or bool(member_organization_ids(user))


def is_overdue(item: GovernanceItem, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return item.due_on is not None and item.due_on < today and item.status in (S.OPEN, S.CLAIMED, S.SUBMITTED)

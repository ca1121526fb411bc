"""The proposal's life: (state, action) → state. Services call ``require`` before they act; pages and
the API show ``allowed_actions``.

collecting --qualify--> qualified --place_on_agenda--> on_agenda --answer--> answered
collecting --expire / withdraw--> expired / withdrawn; collecting / qualified --inadmissible-->
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import can
from shuren.core.workflow import StateMachine

from .models import Proposal, ProposalStatus

S = ProposalStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.COLLECTING, "qualify"): S.QUALIFIED,
    (S.COLLECTING, "expire"): S.EXPIRED,
    (S.COLLECTING, "withdraw"): S.WITHDRAWN,
    (S.COLLECTING, "inadmissible"): S.INADMISSIBLE,
    (S.QUALIFIED, "inadmissible"): S.INADMISSIBLE,
    (S.QUALIFIED, "place_on_agenda"): S.ON_AGENDA,
    # A meeting that is cancelled or postponed hands the proposal to the next one.
    (S.ON_AGENDA, "place_on_agenda"): S.ON_AGENDA,
    (S.QUALIFIED, "answer"): S.ANSWERED,
    (S.ON_AGENDA, "answer"): S.ANSWERED,
    # An answer may be corrected until it is published.
    (S.ANSWERED, "answer"): S.ANSWERED,
    (S.ANSWERED, "publish_answer"): S.ANSWERED,
}

# Co-signatures are taken while the window is open and no answer has been given: support keeps
# counting after the threshold, so that the meeting sees how many neighbours stand behind it.
SIGNABLE = frozenset({S.COLLECTING, S.QUALIFIED, S.ON_AGENDA})
OPEN = frozenset({S.COLLECTING, S.QUALIFIED, S.ON_AGENDA})

ACTION_LABELS = {
    "qualify": gettext_lazy("Qualify"),
    "expire": gettext_lazy("Expire"),
    "withdraw": gettext_lazy("Withdraw"),
    "inadmissible": gettext_lazy("Mark not admissible"),
    "place_on_agenda": gettext_lazy("Put on a meeting's agenda"),
    "answer": gettext_lazy("Record the answer"),
    "publish_answer": gettext_lazy("Publish the answer"),
}

EVENT_LABELS = {
    "submitted": gettext_lazy("Submitted for co-signing"),
    "qualified": gettext_lazy("Enough co-signatures"),
    "expired": gettext_lazy("Co-signing closed without enough co-signatures"),
    "withdrawn": gettext_lazy("Withdrawn by the proposer"),
    "inadmissible": gettext_lazy("Not admissible"),
    "on_agenda": gettext_lazy("Put on a meeting's agenda"),
    "answered": gettext_lazy("Answer recorded"),
    "answer_published": gettext_lazy("Answer published"),
}

MACHINE = StateMachine(TRANSITIONS, labels=ACTION_LABELS)

# Steps the system takes (the co-signing count, the nightly expiry, the meetings app): never offered.
SYSTEM_ACTIONS = frozenset({"qualify", "expire", "place_on_agenda"})


def may_answer(actor: User, proposal: Proposal) -> bool:
    """Staff managing proposals of the place, or the convener of a meeting that has it on its agenda."""
    if can(actor, "proposals.manage", proposal):
        return True
    for item in proposal.agenda_items.select_related("meeting"):
        meeting = item.meeting
        if meeting.convener_id == getattr(actor, "pk", None) or can(actor, "meetings.manage", meeting):
            return True
    return False


def _actor_may(proposal: Proposal, action: str, actor: User) -> bool:
    if action in SYSTEM_ACTIONS:
        return False
    if action == "withdraw":
        return proposal.author_id == getattr(actor, "pk", None)
    if action in ("answer", "publish_answer"):
        return not proposal.answer_published_at and may_answer(actor, proposal)
    return can(actor, "proposals.manage", proposal)  # inadmissible


def allowed_actions(proposal: Proposal, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """The steps the table allows from the proposal's status that ``actor`` may take."""
    return [a for a in MACHINE.actions_from(proposal.status) if _actor_may(proposal, a, actor)]


def require(proposal: Proposal, action: str, *, actor: User | None, now: dt.datetime | None = None) -> str:
    """The status after ``action``; InvalidTransition (409) when the table does not allow it from the
    proposal's status. Who may act is the service's check (it answers 403 or 404 by scope first)."""
    target = MACHINE.next_state(proposal.status, action)
    if target is None:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the proposal is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": proposal.get_status_display()}
        )
    return target

"""The proposal's life: (state, action) → state. Services perform the actions; pages and the API ask
this module which buttons will work."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import ProposalStatus

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
    "qualify": _("Qualify"),
    "expire": _("Expire"),
    "withdraw": _("Withdraw"),
    "inadmissible": _("Mark not admissible"),
    "place_on_agenda": _("Put on a meeting's agenda"),
    "answer": _("Record the answer"),
    "publish_answer": _("Publish the answer"),
}


def next_state(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


EVENT_LABELS = {
    "submitted": _("Submitted for co-signing"),
    "qualified": _("Enough co-signatures"),
    "expired": _("Co-signing closed without enough co-signatures"),
    "withdrawn": _("Withdrawn by the proposer"),
    "inadmissible": _("Not admissible"),
    "on_agenda": _("Put on a meeting's agenda"),
    "answered": _("Answer recorded"),
    "answer_published": _("Answer published"),
}

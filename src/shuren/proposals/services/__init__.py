"""Every write to a resident proposal. Each action: one transaction, the transition table
(``workflow.require``), the actor's right, a timeline row (ProposalEvent) and an audit record.

Split by concern: ``intake`` (proposing, co-signing, withdrawing, expiry), ``handling`` (refusal,
the meeting's agenda, the answer and its publication), ``policies`` (a community's co-signing policy).
"""

from .handling import answer, mark_inadmissible, place_on_agenda, publish_answer
from .intake import expire_proposals, sign_proposal, submit_proposal, withdraw_proposal
from .policies import update_policy

__all__ = [
    "answer",
    "expire_proposals",
    "mark_inadmissible",
    "place_on_agenda",
    "publish_answer",
    "sign_proposal",
    "submit_proposal",
    "update_policy",
    "withdraw_proposal",
]

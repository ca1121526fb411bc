"""Every write to the governance list. Each action is one transaction: check the transition and the
actor (``workflow.require``), change the item only from the version the actor read, write the
timeline row and the audit record. ``items`` (gathering, editing, wishes, lists, policy) and
``claims`` (claiming and carrying out, verification, lapse).
"""

from .base import AlreadyClaimed, check_claimable
from .claims import (
    NotEligible,
    claim_item,
    lapse_overdue_claims,
    record_progress,
    release_claim,
    return_item,
    submit_item,
    verify_item,
    withdraw_claim,
)
from .items import (
    cancel_item,
    create_item,
    create_list,
    decline_wish,
    edit_item,
    edit_list,
    list_wish,
    make_wish,
    set_policy,
)
from .messages import warn_lapsing_claims

__all__ = [
    "warn_lapsing_claims",
    "AlreadyClaimed",
    "NotEligible",
    "cancel_item",
    "check_claimable",
    "claim_item",
    "create_item",
    "create_list",
    "decline_wish",
    "edit_item",
    "edit_list",
    "lapse_overdue_claims",
    "list_wish",
    "make_wish",
    "record_progress",
    "release_claim",
    "return_item",
    "set_policy",
    "submit_item",
    "verify_item",
    "withdraw_claim",
]

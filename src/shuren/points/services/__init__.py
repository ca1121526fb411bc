"""Every write to the points ledger. ``ledger`` posts balanced, append-only transactions (and
reversals, adjustments); ``rules`` resolves and edits the rules; ``crediting`` turns events of other
modules into credits; ``expiry`` expires unspent points; ``rewards`` runs the catalogue and
redemptions."""

from .crediting import (
    credit_attendance,
    credit_closed_appeal,
    credit_service_record,
    credit_verified_item,
    sweep,
)
from .expiry import due_to_expire, expire_points
from .ledger import (
    InsufficientPoints,
    Line,
    UnbalancedTransaction,
    adjust_points,
    book,
    organization_account,
    own_account,
    person_account,
    post,
    reverse_transaction,
)
from .rewards import (
    LimitReached,
    NotOnOffer,
    OutOfStock,
    cancel_redemption,
    create_reward,
    edit_reward,
    fulfil_redemption,
    redeem_reward,
)
from .rules import create_rule, edit_rule, policy_for, rule_in_force, set_policy, set_rule_active

__all__ = [
    "InsufficientPoints",
    "Line",
    "LimitReached",
    "NotOnOffer",
    "OutOfStock",
    "UnbalancedTransaction",
    "adjust_points",
    "book",
    "cancel_redemption",
    "create_reward",
    "create_rule",
    "credit_attendance",
    "credit_closed_appeal",
    "credit_service_record",
    "credit_verified_item",
    "due_to_expire",
    "edit_reward",
    "edit_rule",
    "expire_points",
    "fulfil_redemption",
    "organization_account",
    "own_account",
    "person_account",
    "policy_for",
    "post",
    "redeem_reward",
    "reverse_transaction",
    "rule_in_force",
    "set_policy",
    "set_rule_active",
    "sweep",
]

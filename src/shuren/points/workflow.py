"""The life of a redemption: pending → fulfilled (the reward handed over) or → cancelled (the points
refunded, the item restocked). Staff with points.manage take either step; the resident may cancel
their own pending redemption. Services call ``require`` first; ``_close`` in the rewards service
still decides races (the first fulfilment or cancellation wins)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import can
from shuren.core.scoping import require as require_action
from shuren.core.workflow import StateMachine

from .models import Redemption, RedemptionStatus

S = RedemptionStatus

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, "fulfil"): S.FULFILLED,
    (S.PENDING, "cancel"): S.CANCELLED,
}
ACTION_LABELS = {"fulfil": gettext_lazy("Hand over"), "cancel": gettext_lazy("Cancel")}

MACHINE = StateMachine(TRANSITIONS, labels=ACTION_LABELS)


def is_own(redemption: Redemption, actor: User) -> bool:
    """The redemption is of the actor's own account."""
    person = redemption.account.person
    return person is not None and person.user_id == getattr(actor, "pk", None)


def _may(redemption: Redemption, action: str, actor: User) -> bool:
    if action == "cancel" and is_own(redemption, actor):
        return True
    return can(actor, "points.manage", redemption)


def allowed_actions(redemption: Redemption, *, actor: User, now: dt.datetime | None = None) -> list[str]:
    """What ``actor`` may do with the redemption now."""
    return [action for action in MACHINE.actions_from(redemption.status) if _may(redemption, action, actor)]


def require(redemption: Redemption, action: str, *, actor: User, now: dt.datetime | None = None) -> str:
    """The status after ``action``; NotPermitted/OutOfScope without the right (the resident's own
    pending redemption may be cancelled), InvalidTransition once it is no longer pending."""
    own_pending = action == "cancel" and redemption.status == S.PENDING and is_own(redemption, actor)
    if not own_pending:
        require_action(actor, "points.manage", redemption)
    target = MACHINE.next_state(redemption.status, action)
    if target is None:
        raise InvalidTransition(
            _("This redemption is already “%(status)s”.") % {"status": redemption.get_status_display()}
        )
    return target

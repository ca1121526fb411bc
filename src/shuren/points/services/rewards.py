"""The rewards catalogue (积分兑换) and redemptions.

``redeem_reward`` is one transaction: the person's account row is locked first (so their
per-person limit and balance are decided one redemption at a time), the stock is taken with a
conditional UPDATE (``stock >= 1``: never oversold, whatever the race), and the points move to the
supplying partner unit's account, else to the community's redeemed book. The redemption is then
pending with a 6-digit collection code; staff hand the reward over (fulfilled) or cancel it with a
reason; the resident may cancel their own pending redemption. A cancellation refunds the points with
a REFUND transaction that reverses the redemption (at most once) and puts the item back in stock.

Lock order everywhere: the person's account, then the reward row, then the other accounts (in
primary-key order inside ``post``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.concurrency import update_versioned
from shuren.core.errors import InvalidTransition, NotPermitted, OutOfScope, ShurenError, StaleVersion
from shuren.core.scoping import can, has_action, require
from shuren.core.validators import required_text
from shuren.places.models import Area, AreaKind

from .. import workflow
from ..models import Account, AccountKind, Redemption, RedemptionStatus, Reward, TransactionKind
from .ledger import Line, book, organization_account, person_account, post
from .messages import tell_code

REWARD_FIELDS = (
    "name",
    "description",
    "supplier",
    "cost",
    "stock",
    "per_person_limit",
    "pickup",
    "available_until",
    "is_active",
)


class OutOfStock(ShurenError):
    status = 409
    code = "out-of-stock"
    default_detail = gettext_lazy("This reward is out of stock.")


class LimitReached(ShurenError):
    status = 409
    code = "limit-reached"
    default_detail = gettext_lazy("You have already redeemed this reward as often as allowed.")


class NotOnOffer(ShurenError):
    status = 409
    code = "not-on-offer"
    default_detail = gettext_lazy("This reward is no longer on offer.")


# --- catalogue -----------------------------------------------------------------------------------


def _clean_reward(community: Area, data: dict[str, Any]) -> dict[str, Any]:
    data = {k: data[k] for k in REWARD_FIELDS if k in data}
    data["name"] = required_text(data.get("name"), "name", _("Name the reward."), limit=80)
    data["description"] = (data.get("description") or "").strip()[:1000]
    data["pickup"] = (data.get("pickup") or "").strip()[:120]
    errors: dict[str, list[str]] = {}
    cost = data.get("cost")
    if cost is None or not (1 <= int(cost) <= 100000):
        errors["cost"] = [_("Enter between 1 and 100000 points.")]
    stock = data.get("stock")
    if stock is None or not (0 <= int(stock) <= 1000000):
        errors["stock"] = [_("Enter how many are in stock (0 or more).")]
    limit = data.get("per_person_limit")
    if limit is not None and not (1 <= int(limit) <= 1000):
        errors["per_person_limit"] = [_("Enter at least 1, or leave it empty for no limit.")]
    supplier = data.get("supplier")
    if supplier is not None:
        from shuren.core.scoping import path_covers

        if not path_covers(community.path, supplier.scope):
            errors["supplier"] = [_("Choose an organisation of this community.")]
    if errors:
        raise ValidationError(errors)
    data.setdefault("is_active", True)
    return data


def create_reward(*, actor: User, community: Area, **fields: Any) -> Reward:
    require(actor, "points.manage", community)
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"community": [_("Choose a community.")]})
    data = _clean_reward(community, fields)
    with transaction.atomic():
        reward = Reward.objects.create(community=community, **data)
        record_event("points.reward_create", actor=actor, obj=reward, detail={"name": reward.name})
    return reward


def edit_reward(*, actor: User, reward: Reward, version: int, **fields: Any) -> Reward:
    """Change a reward from the version staff read; a redemption meanwhile changes the version (the
    stock moved), so an edit never overwrites a stock that was just taken."""
    require(actor, "points.manage", reward)
    data = _clean_reward(reward.community, {**{k: getattr(reward, k) for k in REWARD_FIELDS}, **fields})
    with transaction.atomic():
        reward.version = update_versioned(Reward, pk=reward.pk, version=version, **data)
        for name, value in data.items():
            setattr(reward, name, value)
        record_event("points.reward_edit", actor=actor, obj=reward, detail={"stock": str(reward.stock)})
    return reward


def is_available(reward: Reward, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return reward.is_active and (reward.available_until is None or reward.available_until >= today)


# --- redeeming -----------------------------------------------------------------------------------


def active_count(account: Account, reward: Reward) -> int:
    return Redemption.objects.filter(
        account=account, reward=reward, status__in=[RedemptionStatus.PENDING, RedemptionStatus.FULFILLED]
    ).count()


def redeem_reward(*, actor: User, reward: Reward) -> Redemption:
    """The signed-in resident redeems ``reward`` of their community for themselves."""
    from shuren.people.residency import person_of

    if not has_action(actor, "points.redeem"):
        raise NotPermitted()
    person = person_of(actor)
    if person is None or person.community_id != reward.community_id:
        raise OutOfScope()
    if not is_available(reward):
        raise NotOnOffer()
    account = person_account(person)
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if reward.per_person_limit and active_count(locked, reward) >= reward.per_person_limit:
            raise LimitReached()
        if locked.balance < reward.cost:
            from .ledger import InsufficientPoints

            raise InsufficientPoints(
                _("Not enough points: you have %(balance)d, this reward needs %(cost)d.")
                % {"balance": locked.balance, "cost": reward.cost},
                balance=locked.balance,
            )
        taken = Reward.objects.filter(pk=reward.pk, stock__gte=1, is_active=True).update(
            stock=F("stock") - 1, version=F("version") + 1
        )
        if not taken:
            raise OutOfStock()
        cost = Reward.objects.values_list("cost", flat=True).get(pk=reward.pk)
        receiver = (
            organization_account(reward.supplier)
            if reward.supplier_id
            else book(reward.community, AccountKind.REDEEMED)
        )
        txn, _created = post(
            kind=TransactionKind.REDEMPTION,
            source_key=f"points.redemption:{uuid.uuid4().hex}",
            lines=[Line(locked, -cost), Line(receiver, cost)],
            memo=_("Redeemed: %(reward)s") % {"reward": reward.name},
            actor=actor,
            scope=locked.scope,
            audit_detail={"reward": reward.pk},
        )
        redemption = Redemption.objects.create(
            reward=reward, account=locked, cost=cost, transaction=txn, redeemed_by=actor, scope=reward.scope
        )
        record_event("points.redeem", actor=actor, obj=redemption, detail={"reward": reward.pk, "cost": cost})
        tell_code(redemption, reward)
    reward.refresh_from_db(fields=["stock", "version"])
    return redemption


def _close(redemption: Redemption, version: int | None, **changes: Any) -> None:
    """Leave ``pending`` once: the first fulfilment or cancellation wins, the other is told."""
    rows = Redemption.objects.filter(pk=redemption.pk, status=RedemptionStatus.PENDING)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1, **changes):
        current = Redemption.objects.get(pk=redemption.pk)
        if current.status != RedemptionStatus.PENDING:
            raise InvalidTransition(
                _("This redemption is already “%(status)s”.") % {"status": current.get_status_display()}
            )
        raise StaleVersion()
    for name, value in changes.items():
        setattr(redemption, name, value)
    redemption.version = Redemption.objects.values_list("version", flat=True).get(pk=redemption.pk)


def fulfil_redemption(*, actor: User, redemption: Redemption, version: int | None = None) -> Redemption:
    """Staff hand the reward over (the resident shows the collection code)."""
    workflow.require(redemption, "fulfil", actor=actor)
    with transaction.atomic():
        _close(
            redemption,
            version,
            status=RedemptionStatus.FULFILLED,
            closed_at=timezone.now(),
            closed_by=actor,
        )
        record_event("points.fulfil", actor=actor, obj=redemption)
    return redemption


def may_cancel_own(actor: User, redemption: Redemption) -> bool:
    return redemption.status == RedemptionStatus.PENDING and workflow.is_own(redemption, actor)


def cancel_redemption(
    *, actor: User, redemption: Redemption, reason: str = "", version: int | None = None
) -> Redemption:
    """Cancel a pending redemption: the points come back (REFUND reversing the redemption) and the
    item goes back in stock. Staff (points.manage) give a reason; the resident may cancel their own."""
    own = may_cancel_own(actor, redemption)
    if not own:
        require(actor, "points.manage", redemption)
        reason = required_text(reason, "reason", _("Say why the redemption is cancelled."), limit=200)
    else:
        reason = (reason or "").strip()[:200] or _("Cancelled by the resident")
    workflow.require(redemption, "cancel", actor=actor)
    with transaction.atomic():
        Account.objects.select_for_update().get(pk=redemption.account_id)
        _close(
            redemption,
            version,
            status=RedemptionStatus.CANCELLED,
            closed_at=timezone.now(),
            closed_by=actor,
            cancel_reason=reason,
        )
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1, version=F("version") + 1)
        original = redemption.transaction
        lines = [Line(entry.account, -entry.amount) for entry in original.entries.select_related("account")]
        refund, _created = post(
            kind=TransactionKind.REFUND,
            source_key=f"points.refund:{redemption.pk}",
            lines=lines,
            memo=_("Refund: %(reward)s (%(reason)s)") % {"reward": redemption.reward.name, "reason": reason},
            actor=actor,
            reverses=original,
            scope=original.scope,
            audit_detail={"redemption": redemption.pk, "reason": reason},
        )
        Redemption.objects.filter(pk=redemption.pk).update(refund=refund)
        redemption.refund = refund
        record_event("points.cancel", actor=actor, obj=redemption, detail={"reason": reason, "by_resident": own})
    return redemption


def can_manage(actor: User, obj: Any) -> bool:
    return can(actor, "points.manage", obj)

"""The one way points move: ``post`` writes a balanced, append-only transaction.

Guarantees of ``post``:
- the entries sum to zero (a programming error otherwise: ``UnbalancedTransaction``);
- the affected accounts are locked in primary-key order (``select_for_update``; on SQLite every
  transaction is IMMEDIATE, so writers are serialised anyway), so two postings never deadlock and
  every ``balance_after`` is exact;
- no account but a community's issued book goes below zero: ``InsufficientPoints`` before anything
  is written (and the database CHECK as a second line, mapped to the same error);
- a ``source_key`` takes effect once: when a transaction with the key exists (or appears while this
  one waits for its locks, or wins the unique index in a race) that transaction is returned and
  nothing else is written;
- every transaction writes an AuditEvent in the same database transaction.

Accounts are opened lazily and race-safely (unique person / organisation / book per community).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import InvalidTransition, ShurenError
from shuren.people.residency import person_of
from shuren.places.models import Area, AreaKind

from ..models import Account, AccountKind, LedgerEntry, LedgerTransaction, Rule, TransactionKind


class InsufficientPoints(ShurenError):
    """The posting would take an account below zero."""

    status = 409
    code = "insufficient-points"
    default_detail = gettext_lazy("Not enough points.")


class UnbalancedTransaction(ValueError):
    """Entries that do not sum to zero: a bug in the caller, never a user error."""


@dataclass(frozen=True)
class Line:
    """One intended entry: ``amount`` points into (positive) or out of (negative) ``account``."""

    account: Account
    amount: int
    expires_on: dt.date | None = None


# --- accounts ------------------------------------------------------------------------------------


def community_above(area: Area) -> Area:
    """The community an area belongs to (a grid's parent); higher areas stand for themselves."""
    return area.parent if area.kind == AreaKind.GRID and area.parent is not None else area


def _get_or_open(lookup: dict[str, Any], defaults: dict[str, Any]) -> Account:
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup, **defaults)
    except IntegrityError:  # opened by someone else at the same moment
        return Account.objects.get(**lookup)


def person_account(person: Any) -> Account:
    """The person's account (opened in their community on first use)."""
    community = person.community
    return _get_or_open(
        {"person": person}, {"kind": AccountKind.PERSON, "community": community, "scope": community.path}
    )


def own_account(user: Any) -> Account | None:
    """The signed-in resident's account (opened on first visit), or None without a person record."""
    person = person_of(user)
    return person_account(person) if person is not None else None


def organization_account(organization: Any) -> Account:
    """The organisation's account, in the community of its area."""
    community = community_above(organization.area)
    return _get_or_open(
        {"organization": organization},
        {"kind": AccountKind.ORGANIZATION, "community": community, "scope": community.path},
    )


def book(community: Area, kind: str) -> Account:
    """The community's issued, redeemed or expired book."""
    return _get_or_open({"community": community, "kind": kind}, {"scope": community.path})


# --- posting -------------------------------------------------------------------------------------


def existing(source_key: str) -> LedgerTransaction | None:
    return LedgerTransaction.objects.filter(source_key=source_key).first()


def post(
    *,
    kind: str,
    source_key: str,
    lines: Sequence[Line],
    memo: str,
    occurred_on: dt.date | None = None,
    actor: User | None = None,
    rule: Rule | None = None,
    reverses: LedgerTransaction | None = None,
    scope: str | None = None,
    allow_empty: bool = False,
    audit_detail: dict[str, Any] | None = None,
) -> tuple[LedgerTransaction, bool]:
    """Post one transaction; returns (transaction, created). ``created`` is False when the source
    key was already posted: the existing transaction is returned and nothing is written."""
    if sum(line.amount for line in lines) != 0:
        raise UnbalancedTransaction(f"{source_key}: entries sum to {sum(line.amount for line in lines)}")
    if any(line.amount == 0 for line in lines):
        raise UnbalancedTransaction(f"{source_key}: an entry of zero points")
    if not lines and not allow_empty:
        raise UnbalancedTransaction(f"{source_key}: no entries")
    if len({line.account.pk for line in lines}) != len(lines):
        raise UnbalancedTransaction(f"{source_key}: one account twice")
    at = timezone.now()
    with transaction.atomic():
        found = existing(source_key)
        if found is not None:
            return found, False
        ids = sorted(line.account.pk for line in lines)
        locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        # Waiting for the locks may have let another posting of the same event commit first.
        found = existing(source_key)
        if found is not None:
            return found, False
        for line in lines:
            account = locked[line.account.pk]
            if account.kind != AccountKind.ISSUED and account.balance + line.amount < 0:
                raise InsufficientPoints(
                    _("Not enough points: %(balance)d available, %(needed)d needed.")
                    % {"balance": account.balance, "needed": -line.amount},
                    balance=account.balance,
                )
        try:
            with transaction.atomic():
                txn = LedgerTransaction.objects.create(
                    kind=kind,
                    source_key=source_key,
                    rule=rule,
                    reverses=reverses,
                    memo=memo[:200],
                    occurred_on=occurred_on or timezone.localdate(),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    created_at=at,
                    scope=scope if scope is not None else (lines[0].account.scope if lines else ""),
                )
        except IntegrityError:
            found = existing(source_key)
            if found is not None:
                return found, False
            if reverses is not None and LedgerTransaction.objects.filter(reverses=reverses).exists():
                raise InvalidTransition(_("This transaction has already been reversed.")) from None
            raise
        entries = []
        try:
            for line in lines:
                account = locked[line.account.pk]
                account.balance += line.amount
                Account.objects.filter(pk=account.pk).update(balance=account.balance)
                line.account.balance = account.balance
                entries.append(
                    LedgerEntry(
                        transaction=txn,
                        account=account,
                        amount=line.amount,
                        balance_after=account.balance,
                        expires_on=line.expires_on if line.amount > 0 else None,
                        created_at=at,
                    )
                )
        except IntegrityError as exc:  # the CHECK on balances: never reached when the check above holds
            raise InsufficientPoints() from exc
        LedgerEntry.objects.bulk_create(entries)
        record_event(
            f"points.{kind}",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            obj=txn,
            detail={
                "source": source_key,
                "entries": {str(e.account_id): e.amount for e in entries},
                **{k: str(v) for k, v in (audit_detail or {}).items()},
            },
        )
    return txn, True


# --- reversals and adjustments ------------------------------------------------------------------

# What staff may reverse: credits and adjustments. A redemption is cancelled (with a refund), and
# refunds, reversals and expiries are not undone again.
REVERSIBLE = (TransactionKind.CREDIT, TransactionKind.ADJUSTMENT)


def reverse_transaction(*, actor: User, txn: LedgerTransaction, reason: str) -> LedgerTransaction:
    """Undo a credit or an adjustment with mirror entries (``reverses`` set: at most once). Refused
    (InsufficientPoints) when an account no longer holds the points to give back."""
    from shuren.core.scoping import require
    from shuren.core.validators import required_text

    require(actor, "points.manage", txn)
    reason = required_text(reason, "reason", _("Say why the transaction is reversed."), limit=150)
    if txn.kind not in REVERSIBLE:
        raise InvalidTransition(_("Only credits and adjustments can be reversed."))
    if LedgerTransaction.objects.filter(reverses=txn).exists():
        raise InvalidTransition(_("This transaction has already been reversed."))
    lines = [Line(entry.account, -entry.amount) for entry in txn.entries.select_related("account")]
    reversal, _created = post(
        kind=TransactionKind.REVERSAL,
        source_key=f"points.reversal:{txn.pk}",
        lines=lines,
        memo=_("Reversal of “%(memo)s”: %(reason)s") % {"memo": txn.memo, "reason": reason},
        actor=actor,
        reverses=txn,
        scope=txn.scope,
        allow_empty=True,
        audit_detail={"reverses": txn.pk, "reason": reason},
    )
    return reversal


def adjust_points(
    *, actor: User, account: Account, points: int, reason: str, key: str | None = None
) -> LedgerTransaction:
    """A manual credit (``points`` > 0) or debit (< 0) of a person's or organisation's account by
    staff, from or to the community's issued book, with a reason. ``key`` makes a retried form or
    API call take effect once."""
    import uuid

    from django.core.exceptions import ValidationError

    from shuren.core.scoping import require
    from shuren.core.validators import required_text

    require(actor, "points.manage", account)
    reason = required_text(reason, "reason", _("Say why the points are adjusted."), limit=150)
    if account.kind not in (AccountKind.PERSON, AccountKind.ORGANIZATION):
        raise ValidationError({"account": [_("Only the accounts of people and organisations are adjusted.")]})
    if not points or abs(points) > 100000:
        raise ValidationError({"points": [_("Enter a number of points other than 0 (at most 100000 either way).")]})
    issued = book(account.community, AccountKind.ISSUED)
    txn, _created = post(
        kind=TransactionKind.ADJUSTMENT,
        source_key=f"points.adjustment:{key or uuid.uuid4().hex}",
        lines=[Line(account, points), Line(issued, -points)],
        memo=_("Adjustment: %(reason)s") % {"reason": reason},
        actor=actor,
        scope=account.scope,
        audit_detail={"reason": reason},
    )
    return txn

"""Expiry of points (``shuren points expire``, daily).

Where a community's policy sets N months, each credit's entry carries ``expires_on`` = the event's
date + N months. Spending consumes the earliest-expiring points first (FIFO), and points without an
expiry date (earned before the policy, adjustments) last. So on day D a person's account expires

    max(0, credits with expires_on ≤ D − all net spending − already expired), at most the balance,

where net spending is every debit that is not an expiry (redemptions, reversed credits, debit
adjustments, corrections) less what came back (refunds, reversed debits). The expiry is one
transaction to the community's expired book with the source key ``expiry:<account>:<D>``, so
running twice on a day has no second effect. Nothing that was spent can expire, and a point
expires at most once.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Account, AccountKind, LedgerEntry, TransactionKind
from .ledger import Line, book, post


def due_to_expire(account: Account, today: dt.date) -> int:
    entries = LedgerEntry.objects.filter(account=account)
    sums = entries.aggregate(
        due=Sum("amount", filter=Q(amount__gt=0, expires_on__lte=today)),
        spent=Sum("amount", filter=Q(amount__lt=0) & ~Q(transaction__kind=TransactionKind.EXPIRY)),
        returned=Sum(
            "amount",
            filter=Q(amount__gt=0, transaction__kind__in=[TransactionKind.REFUND, TransactionKind.REVERSAL]),
        ),
        expired=Sum("amount", filter=Q(transaction__kind=TransactionKind.EXPIRY)),
    )
    due = sums["due"] or 0
    net_spent = -(sums["spent"] or 0) - (sums["returned"] or 0)
    already = -(sums["expired"] or 0)
    return max(0, min(account.balance, due - max(0, net_spent) - already))


def expire_account(account: Account, today: dt.date) -> int:
    from django.db import transaction

    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        amount = due_to_expire(locked, today)
        if amount <= 0:
            return 0
        _txn, created = post(
            kind=TransactionKind.EXPIRY,
            source_key=f"expiry:{locked.pk}:{today.isoformat()}",
            lines=[Line(locked, -amount), Line(book(locked.community, AccountKind.EXPIRED), amount)],
            memo=_("%(points)d points expired (earned more than the policy allows and not spent)") % {"points": amount},
            occurred_on=today,
            scope=locked.scope,
        )
    return amount if created else 0


def expire_points(today: dt.date | None = None) -> dict[str, int]:
    """Expire what is due on every account holding credits whose expiry date has come (the date was
    set when the points were earned, so a later change of policy does not move it)."""
    today = today or timezone.localdate()
    accounts = Account.objects.filter(
        kind__in=[AccountKind.PERSON, AccountKind.ORGANIZATION],
        balance__gt=0,
        entries__expires_on__lte=today,
    ).distinct()
    counts = {"accounts": 0, "points": 0}
    for account in accounts.order_by("pk").iterator(chunk_size=500):
        amount = expire_account(account, today)
        if amount:
            counts["accounts"] += 1
            counts["points"] += amount
    return counts

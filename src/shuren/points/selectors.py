"""Reads of the points ledger: accounts and statements in the user's scope, leaderboards per
community and grid, the community overview that reconciles with the ledger, the catalogue and the
redemptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core.errors import OutOfScope
from shuren.core.scoping import scope_paths, scope_q, visible
from shuren.orgs.models import Organization
from shuren.places.models import Area, AreaKind
from shuren.places.selectors import communities_where

from .models import (
    Account,
    AccountKind,
    LedgerEntry,
    LedgerTransaction,
    Redemption,
    RedemptionStatus,
    Reward,
    Rule,
    TransactionKind,
)


def accounts_q(user: Any, action: str) -> Q:
    """Accounts of the user's areas: by the account's community, or (for people) by where the
    person lives, so that grid workers see the people of their grids."""
    paths = scope_paths(user, action)
    if not paths:
        return Q(pk__in=[])
    return scope_q(paths, "scope") | (Q(person__isnull=False) & scope_q(paths, "person__scope"))


def visible_accounts(user: Any, action: str = "points.view") -> QuerySet[Account]:
    return Account.objects.filter(accounts_q(user, action)).select_related("person", "organization", "community")


def holder_accounts(user: Any, *, query: str = "", community: Area | None = None) -> QuerySet[Account]:
    accounts = visible_accounts(user).filter(kind__in=[AccountKind.PERSON, AccountKind.ORGANIZATION])
    if community is not None:
        accounts = accounts.filter(community=community)
    query = query.strip()
    if query:
        lowered = query.lower().replace(" ", "")
        accounts = accounts.filter(
            Q(person__name__contains=query)
            | Q(person__name_pinyin__startswith=lowered)
            | Q(person__name_initials__startswith=lowered)
            | Q(organization__name__contains=query)
        )
    return accounts.order_by("-balance", "pk")


def statement(account: Account | None) -> QuerySet[LedgerEntry]:
    """Every entry of the account, newest first, with its transaction (none without an account)."""
    if account is None:
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(account=account).select_related("transaction").order_by("-created_at", "-pk")


# The columns of a statement row and of an account row (api.serializers.entry_items and
# account_items), read as values: no model instances, no decryption of the holder's record.
ENTRY_COLUMNS = (
    "id",
    "transaction_id",
    "transaction__kind",
    "transaction__memo",
    "transaction__occurred_on",
    "amount",
    "balance_after",
    "expires_on",
    "created_at",
)
ACCOUNT_COLUMNS = (
    "id",
    "kind",
    "person_id",
    "person__name",
    "organization_id",
    "organization__name",
    "community_id",
    "community__name",
    "balance",
)


def _in_order(model: Any, ids: list[int], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = {row["id"]: row for row in model.objects.filter(pk__in=ids).values(*columns)}
    return [rows[pk] for pk in ids if pk in rows]


def entry_rows_of(ids: list[int]) -> list[dict[str, Any]]:
    """The statement rows of the entries ``ids``, in that order. A page is chosen first on the
    entries table alone; the transactions are joined for the page's rows only."""
    return _in_order(LedgerEntry, ids, ENTRY_COLUMNS)


def account_rows_of(ids: list[int]) -> list[dict[str, Any]]:
    """The list rows of the accounts ``ids``, in that order, with their holder's name and community
    (the holder's record is not loaded: its encrypted numbers are not decrypted for a list)."""
    return _in_order(Account, ids, ACCOUNT_COLUMNS)


def communities(user: Any, action: str) -> QuerySet[Area]:
    return communities_where(user, action)


def grids(user: Any, action: str) -> QuerySet[Area]:
    return visible(Area.objects.filter(kind=AreaKind.GRID), user, action).order_by("path")


# --- periods and leaderboards --------------------------------------------------------------------

PERIODS = {
    "month": _("This month"),
    "year": _("This year"),
    "all": _("All time"),
    "range": _("Date range"),
}


def period_bounds(
    period: str, start: dt.date | None = None, end: dt.date | None = None, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    today = today or timezone.localdate()
    if period == "month":
        return today.replace(day=1), today
    if period == "year":
        return today.replace(month=1, day=1), today
    if period == "range":
        return start, end
    return None, None


def _earned_q(start: dt.date | None, end: dt.date | None) -> Q:
    """Entries of credits (by the credit's date) and of reversals of credits (by the reversed
    credit's date): points earned, net of reversals."""
    credit = Q(transaction__kind=TransactionKind.CREDIT)
    reversal = Q(transaction__kind=TransactionKind.REVERSAL, transaction__reverses__kind=TransactionKind.CREDIT)
    if start:
        credit &= Q(transaction__occurred_on__gte=start)
        reversal &= Q(transaction__reverses__occurred_on__gte=start)
    if end:
        credit &= Q(transaction__occurred_on__lte=end)
        reversal &= Q(transaction__reverses__occurred_on__lte=end)
    return credit | reversal


@dataclass
class Standing:
    rank: int
    account: Account
    points: int

    @property
    def name(self) -> str:
        return str(self.account)

    @property
    def masked_name(self) -> str:
        from shuren.core.masking import mask_name

        if self.account.organization is not None:
            return self.account.organization.name
        return mask_name(self.account.person.name if self.account.person is not None else "")


def residents_of_grid(grid: Area) -> QuerySet[Any]:
    from shuren.people.models import Residence

    return Residence.objects.filter(to_on__isnull=True, dwelling__unit__building__grid=grid).values("person")


def leaderboard(
    *,
    community: Area | None = None,
    grid: Area | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    accounts: QuerySet[Account] | None = None,
    limit: int | None = None,
) -> list[Standing]:
    """People ranked by points earned in the period (competition ranking: 1, 2, 2, 4)."""
    entries = LedgerEntry.objects.filter(account__kind=AccountKind.PERSON).filter(_earned_q(start, end))
    if community is not None:
        entries = entries.filter(account__community=community)
    if grid is not None:
        entries = entries.filter(account__person__in=residents_of_grid(grid))
    if accounts is not None:
        entries = entries.filter(account__in=accounts)
    totals = (
        entries.values("account").annotate(points=Sum("amount")).filter(points__gt=0).order_by("-points", "account")
    )
    if limit:
        totals = totals[:limit]
    rows = list(totals)
    by_pk = Account.objects.select_related("person", "organization").in_bulk([r["account"] for r in rows])
    standings: list[Standing] = []
    for index, row in enumerate(rows):
        rank = standings[-1].rank if standings and standings[-1].points == row["points"] else index + 1
        standings.append(Standing(rank=rank, account=by_pk[row["account"]], points=row["points"]))
    return standings


def standing_of(account: Account | None, standings: list[Standing]) -> Standing | None:
    if account is None:
        return None
    return next((s for s in standings if s.account.pk == account.pk), None)


# --- the community overview ----------------------------------------------------------------------


@dataclass
class Overview:
    community: Area
    issued: int
    redeemed: int
    expired: int
    outstanding: int
    pending: int
    pending_points: int

    @property
    def reconciles(self) -> bool:
        """Every point issued is held, redeemed or expired."""
        return self.issued == self.outstanding + self.redeemed + self.expired


def overview(community: Area) -> Overview:
    """Figures from the balances, which the ledger entries explain. Issued = − the issued book;
    redeemed = what people spent on rewards, net of refunds (held by the redeemed book and the
    supplying partner units); expired = the expired book; outstanding = what people and
    organisations hold, less what partner units received for rewards."""
    balances = dict(
        Account.objects.filter(community=community)
        .values("kind")
        .annotate(total=Sum("balance"))
        .values_list("kind", "total")
    )
    spending = LedgerEntry.objects.filter(
        account__community=community,
        transaction__kind__in=[TransactionKind.REDEMPTION, TransactionKind.REFUND],
    ).aggregate(
        people=Sum("amount", filter=Q(account__kind=AccountKind.PERSON)),
        partners=Sum("amount", filter=Q(account__kind=AccountKind.ORGANIZATION)),
    )
    pending = Redemption.objects.filter(reward__community=community, status=RedemptionStatus.PENDING).aggregate(
        count=Count("pk"), points=Sum("cost")
    )
    holders = (balances.get(AccountKind.PERSON) or 0) + (balances.get(AccountKind.ORGANIZATION) or 0)
    return Overview(
        community=community,
        issued=-(balances.get(AccountKind.ISSUED) or 0),
        redeemed=-(spending["people"] or 0),
        expired=balances.get(AccountKind.EXPIRED) or 0,
        outstanding=holders - (spending["partners"] or 0),
        pending=pending["count"] or 0,
        pending_points=pending["points"] or 0,
    )


# --- rewards and redemptions ---------------------------------------------------------------------


def visible_rewards(user: Any, action: str = "points.view") -> QuerySet[Reward]:
    return visible(Reward.objects.all(), user, action).select_related("community", "supplier")


def catalogue(community: Area, today: dt.date | None = None) -> QuerySet[Reward]:
    """What residents of the community may redeem now."""
    today = today or timezone.localdate()
    return (
        Reward.objects.filter(community=community, is_active=True)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .select_related("supplier")
        .order_by("cost", "name")
    )


def visible_redemptions(user: Any, action: str = "points.view") -> QuerySet[Redemption]:
    return visible(Redemption.objects.all(), user, action).select_related(
        "reward", "account__person", "redeemed_by", "closed_by"
    )


def my_redemptions(account: Account | None) -> QuerySet[Redemption]:
    if account is None:
        return Redemption.objects.none()
    return Redemption.objects.filter(account=account).select_related("reward", "reward__supplier")


def pending_redemptions(account: Account) -> QuerySet[Redemption]:
    return my_redemptions(account).filter(status=RedemptionStatus.PENDING)


def my_points(user: Any) -> Account | None:
    """The resident's own points account with ``pending`` (rewards redeemed and not collected yet),
    in one query and without opening an account (the home page only reads); None without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Account.objects.filter(kind=AccountKind.PERSON, person__user=user)
        .annotate(pending=Count("redemptions", filter=Q(redemptions__status=RedemptionStatus.PENDING)))
        .first()
    )


def filter_redemptions(
    redemptions: QuerySet[Redemption], *, code: str | None = None, status: str | None = None
) -> QuerySet[Redemption]:
    """The filter of the console's redemptions and of the API's: a collection code, a status."""
    if code and code.strip():
        redemptions = redemptions.filter(pickup_code=code.strip())
    if status:
        redemptions = redemptions.filter(status=status)
    return redemptions


def own_redemption(account: Account | None, pk: int) -> Redemption:
    """Redemption ``pk`` of the resident's own account; OutOfScope otherwise."""
    redemption = (
        Redemption.objects.select_related("reward__supplier", "account__person").filter(pk=pk, account=account).first()
        if account
        else None
    )
    if redemption is None:
        raise OutOfScope()
    return redemption


def managed_redemption(user: Any, pk: int) -> Redemption:
    redemption = visible_redemptions(user, "points.manage").filter(pk=pk).first()
    if redemption is None:
        raise OutOfScope()
    return redemption


def community_reward(account: Account | None, pk: int) -> Reward | None:
    """Reward ``pk`` if it is one of the resident's community."""
    if account is None:
        return None
    return Reward.objects.select_related("supplier").filter(pk=pk, community_id=account.community_id).first()


def visible_reward(user: Any, pk: int, action: str = "points.view") -> Reward | None:
    return visible_rewards(user, action).filter(pk=pk).first()


def no_rewards() -> QuerySet[Reward]:
    return Reward.objects.none()


def suppliers(user: Any) -> QuerySet[Organization]:
    """Organisations that may supply rewards: those of the areas where the user manages points."""
    return Organization.objects.filter(scope_q(scope_paths(user, "points.manage"), "scope")).order_by("name")


def supplier(user: Any, pk: int) -> Organization | None:
    return visible(Organization.objects.filter(pk=pk), user, "points.manage").first()


def staff_account(user: Any, pk: int) -> Account:
    account = visible_accounts(user).filter(pk=pk).first()
    if account is None:
        raise OutOfScope()
    return account


def reversed_ids(transaction_ids: list[int]) -> set[int]:
    """Which of these transactions have been reversed."""
    return set(LedgerTransaction.objects.filter(reverses_id__in=transaction_ids).values_list("reverses_id", flat=True))


def reversible_transaction(user: Any, pk: int) -> tuple[LedgerTransaction, Account]:
    """Transaction ``pk`` and the holder's account it touches that the user may see (the console);
    OutOfScope otherwise."""
    txn = LedgerTransaction.objects.filter(pk=pk).first()
    account = None
    if txn is not None:
        account = (
            visible_accounts(user)
            .filter(entries__transaction=txn)
            .exclude(kind__in=["issued", "redeemed", "expired"])
            .first()
        )
    if txn is None or account is None:
        raise OutOfScope()
    return txn, account


def visible_transaction(user: Any, pk: int) -> LedgerTransaction | None:
    """Transaction ``pk`` if it touches an account the user may see (the API)."""
    visible_ids = visible_accounts(user).values("pk")
    return LedgerTransaction.objects.filter(pk=pk, entries__account__in=visible_ids).distinct().first()


def leaderboard_grids(user: Any) -> QuerySet[Area]:
    """Grids a leaderboard may be narrowed to: those where the user sees points, and those of the
    communities where they do."""
    return grids(user, "points.view") | Area.objects.filter(
        kind=AreaKind.GRID, parent__in=communities(user, "points.view")
    )


def grid_by_pk(pk: int) -> Area | None:
    return Area.objects.filter(kind=AreaKind.GRID, pk=pk).first()


def configurable_community(user: Any, pk: int) -> Area | None:
    """Community ``pk`` if the user configures points there."""
    return visible(Area.objects.filter(kind=AreaKind.COMMUNITY), user, "points.configure").filter(pk=pk).first()


def community_by_pk(user: Any, pk: int, action: str) -> Area | None:
    return communities(user, action).filter(pk=pk).first()


def rules(*, active_only: bool = True) -> QuerySet[Rule]:
    """Every rule in the administrators' order; only those switched on unless ``active_only`` is False."""
    found = Rule.objects.select_related("community").order_by("event", "community__path", "-valid_from", "pk")
    return found.filter(is_active=True) if active_only else found


def rules_in_force_for(user: Any, actions: tuple[str, ...]) -> QuerySet[Rule]:
    """Active rules for every community, and those of the communities the user works in (with one of
    ``actions``) or lives in."""
    from shuren.people.residency import person_of

    paths = sorted({p for action in actions for p in scope_paths(user, action)})
    person = person_of(user)
    home = Q(community_id=person.community_id) if person is not None else Q(pk__in=[])
    return Rule.objects.filter(Q(community__isnull=True) | scope_q(paths, "community__path") | home).filter(
        is_active=True
    )


def redemption_among(redemptions: QuerySet[Redemption], pk: int) -> Redemption:
    redemption = redemptions.filter(pk=pk).first()
    if redemption is None:
        raise OutOfScope()
    return redemption

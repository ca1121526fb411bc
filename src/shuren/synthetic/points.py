"""The points ledger of a community's synthetic activity (``shuren seed-scale --activity``).

What ``points.services`` would have posted over the community's two years, computed in order of
time and written append-only (COPY/INSERT only: balances are computed first, never updated):

* accounts: the community's three books (issued, redeemed, expired), an account for each person
  and organisation that earned or spent points (opened at their first posting), and the partner
  units that supply rewards (a supermarket and a pharmacy of the community);
* credits as ``services.crediting`` computes them: each confirmed service record (rate: the
  activity's points per hour, else the rule in force on the day, party members' rule first; a
  correction that takes hours away debits at most the balance, the shortfall in the memo),
  each verified governance item (its own points, else the rule's) to the person or organisation
  that held the claim, each attendance at a held meeting once the hourly sweep has run; with the
  source keys of ``services.crediting`` (``volunteering.record:<id>``,
  ``governance.verified:<item>:<claim>``, ``meetings.attendance:<id>``), from the issued book,
  with the expiry date the community's policy sets;
* the 党员+积分 scheme: a party-members-only rule of the community for service hours
  (``PARTY_RATE`` points an hour);
* a catalogue of rewards (from the community or a partner unit) and redemptions of them by
  residents with enough points (recorded by staff at the service station; no resident has an
  account at this scale), within the stock and the per-person limit: most collected, the recent
  ones still to collect, a few cancelled and refunded (a refund reversing the redemption).

Guarantees (those of ``services.ledger.post``): every transaction's entries sum to zero; every
``balance_after`` is the account's running sum in posting order; no account but the issued book is
ever below zero; each source key is posted once; ``Account.balance`` is the sum of the account's
entries; the community's overview reconciles (issued = outstanding + redeemed + expired).
Redemption keys are drawn from the random stream (``points.redemption:<32 hex>``), so a seed gives
the same ledger. No audit events.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.orgs.models import Organization, OrganizationKind
from shuren.places.models import Area
from shuren.points.models import (
    Account,
    AccountKind,
    EventKind,
    LedgerEntry,
    LedgerTransaction,
    Redemption,
    RedemptionStatus,
    Reward,
    Rule,
    Scheme,
    TransactionKind,
)
from shuren.points.services.crediting import add_months
from shuren.points.services.rules import policy_for
from shuren.synthetic.bulk_rows import BulkWriter, utc
from shuren.synthetic.governance import GovernanceOutcome
from shuren.synthetic.meetings import MeetingsOutcome
from shuren.synthetic.volunteering import VolunteeringOutcome

HISTORY_DAYS = 730
DAY = 86400.0
PARTY_RATE = 12  # 党员+积分: points per service hour for party members
REDEEM_AFTER_CREDIT = 0.12  # the chance that a credit is followed by a visit to the points supermarket
PARTNERS = ["惠民超市", "爱心药房"]
# name, cost, stock, per-person limit, supplier (index into PARTNERS, None: the community)
REWARDS = [
    ("毛巾一条", 60, 400, None, None),
    ("洗衣液一瓶", 150, 300, None, None),
    ("大米5公斤", 300, 200, 2, None),
    ("食用油一桶", 400, 150, 2, None),
    ("超市20元代金券", 200, 300, None, 0),
    ("家庭常备药箱", 500, 80, 1, 1),
    ("免费测血压血糖套餐", 100, 500, None, 1),
]
CANCEL_REASON = "居民改换其他礼品"


@dataclass
class PointsOutcome:
    counts: Counter[str] = field(default_factory=Counter)
    accounts: dict[str, int] = field(default_factory=dict)  # book kind -> account id


@dataclass
class _Account:
    pk: int
    kind: str
    person_id: int | None = None
    organization_id: int | None = None
    balance: int = 0
    opened: float | None = None


@dataclass
class _Reward:
    pk: int
    name: str
    cost: int
    stock: int
    limit: int | None
    supplier: int | None
    version: int = 1
    changed: float = 0.0


@dataclass(frozen=True)
class _RuleRow:
    pk: int
    event: str
    community_id: int | None
    party_members_only: bool
    valid_from: dt.date
    valid_to: dt.date | None
    points: int


def seed_points(
    community: Area,
    *,
    staff: list[int],
    volunteering: VolunteeringOutcome,
    governance: GovernanceOutcome,
    meetings: MeetingsOutcome,
    rng: random.Random,
    now: float,
    writer: BulkWriter,
) -> PointsOutcome:
    """Write the community's accounts, rewards, party members' rule, and the ledger of what the
    other generators' outcomes earned and what residents redeemed, up to ``now`` (epoch seconds).
    The community must have no points accounts yet. The same ``rng`` gives the same ledger."""
    return _Ledger(community, staff, rng, now, writer).run(volunteering, governance, meetings)


class _Ledger:
    def __init__(self, community: Area, staff: list[int], rng: random.Random, now: float, writer: BulkWriter) -> None:
        self.community, self.staff, self.rng, self.now, self.writer = community, staff, rng, now, writer
        self.tz = timezone.get_current_timezone()
        self.start = now - HISTORY_DAYS * DAY
        self.outcome = PointsOutcome()
        self.accounts: dict[tuple[str, int], _Account] = {}  # (kind, holder or 0) -> account
        self.account_ids = writer.ids(Account, block=2000)
        self.transactions, self.entries = writer.table(LedgerTransaction), writer.table(LedgerEntry)
        self.transaction_ids = writer.ids(LedgerTransaction, block=10000)
        self.entry_ids = writer.ids(LedgerEntry, block=20000)
        self.months = policy_for(community).expiry_months
        self.party: dict[int, str] = {}
        self.rules: list[_RuleRow] = []
        self._rule_cache: dict[tuple[str, dt.date, bool], _RuleRow | None] = {}
        self.queue: list[tuple[float, int, str, Any]] = []
        self.sequence = 0

    # --- set-up ------------------------------------------------------------------------------------

    def _book(self, kind: str) -> _Account:
        return self._account(kind, 0)

    def _account(self, kind: str, holder: int) -> _Account:
        key = (kind, holder)
        account = self.accounts.get(key)
        if account is None:
            account = self.accounts[key] = _Account(
                self.account_ids(),
                kind,
                person_id=holder if kind == AccountKind.PERSON else None,
                organization_id=holder if kind == AccountKind.ORGANIZATION else None,
            )
        return account

    def _load_rules(self) -> None:
        """The rules of the three events (the community's own and those for everywhere), with the
        party members' rule this generator adds."""
        events = [EventKind.SERVICE_HOUR, EventKind.GOVERNANCE_ITEM, EventKind.MEETING_ATTENDANCE]
        for rule in Rule.objects.filter(event__in=events, is_active=True).order_by("pk"):
            if rule.community_id in (None, self.community.pk):
                self.rules.append(
                    _RuleRow(
                        rule.pk,
                        rule.event,
                        rule.community_id,
                        rule.party_members_only,
                        rule.valid_from,
                        rule.valid_to,
                        rule.points,
                    )
                )
        start = dt.datetime.fromtimestamp(self.start, tz=self.tz).date()
        made = utc(self.start - 30 * DAY)
        pk = self.writer.ids(Rule, block=200)()
        self.writer.table(Rule).add(
            id=pk,
            name=f"{self.community.name}党员+积分：志愿服务每小时",
            event=EventKind.SERVICE_HOUR,
            scheme=Scheme.PARTY_MEMBER,
            community_id=self.community.pk,
            points=PARTY_RATE,
            party_members_only=True,
            valid_from=start,
            is_active=True,
            created_at=made,
            updated_at=made,
        )
        self.rules.append(_RuleRow(pk, EventKind.SERVICE_HOUR, self.community.pk, True, start, None, PARTY_RATE))

    def _rule(self, event: str, on: dt.date, party_member: bool) -> _RuleRow | None:
        """``services.rules.rule_in_force`` over the loaded rules (cached per day)."""
        key = (event, on, party_member)
        if key not in self._rule_cache:
            candidates = [
                r
                for r in self.rules
                if r.event == event
                and r.valid_from <= on
                and (r.valid_to is None or r.valid_to >= on)
                and (party_member or not r.party_members_only)
            ]
            self._rule_cache[key] = max(
                candidates,
                key=lambda r: (r.community_id is not None, r.party_members_only, r.valid_from, r.pk),
                default=None,
            )
        return self._rule_cache[key]

    def _rewards(self) -> list[_Reward]:
        writer = self.writer
        made = utc(self.start - 10 * DAY)
        partners = []
        organizations, org_ids = writer.table(Organization), writer.ids(Organization, block=50)
        for name in PARTNERS:
            pk = org_ids()
            organizations.add(
                id=pk,
                kind=OrganizationKind.MEMBER_UNIT,
                name=f"{self.community.name}{name}",
                area_id=self.community.pk,
                pledged_resources="为社区积分兑换提供商品和服务",
                is_red=True,
                scope=self.community.path,
                created_at=made,
                updated_at=made,
            )
            partners.append(pk)
        ids = writer.ids(Reward, block=100)
        return [
            _Reward(ids(), name, cost, stock, limit, partners[supplier] if supplier is not None else None)
            for name, cost, stock, limit, supplier in REWARDS
        ]

    # --- the ledger ----------------------------------------------------------------------------------

    def run(
        self, volunteering: VolunteeringOutcome, governance: GovernanceOutcome, meetings: MeetingsOutcome
    ) -> PointsOutcome:
        self.party = volunteering.party_members
        self._load_rules()
        for kind in (AccountKind.ISSUED, AccountKind.REDEEMED, AccountKind.EXPIRED):
            self._book(kind).opened = self.start - 30 * DAY
        rewards = self._rewards()
        self.rewards = rewards
        self.active: Counter[tuple[int, int]] = Counter()  # (account, reward) -> pending or collected
        for credit in volunteering.credits:
            self._push(credit.confirmed_at + 0.2, "service", credit)
        for claim in governance.verified:
            self._push(claim.verified_at + 0.2, "governance", claim)
        for attendance in meetings.attendances:
            if attendance.posted_at < self.now:  # the sweep credits it
                self._push(attendance.posted_at, "attendance", attendance)
        while self.queue:
            at, _seq, event, payload = heapq.heappop(self.queue)
            getattr(self, f"_{event}")(at, payload)
        self._write_accounts()
        self._write_rewards(rewards)
        self.outcome.accounts = {kind: a.pk for (kind, holder), a in self.accounts.items() if holder == 0}
        return self.outcome

    def _push(self, at: float, kind: str, payload: Any) -> None:
        self.sequence += 1
        heapq.heappush(self.queue, (at, self.sequence, kind, payload))

    def _post(
        self,
        at: float,
        kind: str,
        key: str,
        lines: list[tuple[_Account, int, dt.date | None]],
        memo: str,
        occurred_on: dt.date,
        *,
        rule: int | None = None,
        reverses: int | None = None,
        actor: int | None = None,
    ) -> int:
        """One balanced transaction at ``at``, as ``services.ledger.post`` writes it; its id."""
        if sum(amount for _a, amount, _e in lines) != 0:
            raise ValueError(f"{key}: unbalanced")
        pk = self.transaction_ids()
        posted = utc(at)
        self.transactions.add(
            id=pk,
            kind=kind,
            source_key=key,
            rule_id=rule,
            reverses_id=reverses,
            memo=memo[:200],
            occurred_on=occurred_on,
            created_by_id=actor,
            created_at=posted,
            scope=self.community.path,
        )
        entry_ids, add = self.entry_ids, self.entries.add
        for account, amount, expires_on in lines:
            account.balance += amount
            if account.balance < 0 and account.kind != AccountKind.ISSUED:
                raise ValueError(f"{key}: account {account.pk} below zero")
            if account.opened is None:
                account.opened = at
            add(
                id=entry_ids(),
                transaction_id=pk,
                account_id=account.pk,
                amount=amount,
                balance_after=account.balance,
                expires_on=expires_on if amount > 0 else None,
                created_at=posted,
            )
        self.outcome.counts["ledger transactions"] += 1
        self.outcome.counts["ledger entries"] += len(lines)
        return pk

    def _credit(
        self, at: float, holder: _Account, points: int, key: str, memo: str, on: dt.date, rule: _RuleRow | None
    ) -> None:
        """As ``services.crediting._credit``: points from the issued book, with the policy's expiry."""
        expires_on = add_months(on, self.months) if self.months else None
        issued = self._book(AccountKind.ISSUED)
        self._post(
            at,
            TransactionKind.CREDIT,
            key,
            [(holder, points, expires_on), (issued, -points, None)],
            memo,
            on,
            rule=rule.pk if rule else None,
        )
        if holder.kind == AccountKind.PERSON and self.rng.random() < REDEEM_AFTER_CREDIT:
            visit = at + self.rng.uniform(0.5, 30) * DAY
            if visit < self.now - 600:
                self._push(visit, "redeem", holder)

    def _service(self, at: float, credit: Any) -> None:
        """As ``services.crediting.credit_service_record``."""
        party_member = credit.person_id in self.party
        rule = self._rule(EventKind.SERVICE_HOUR, credit.served_on, party_member)
        rate = credit.rate if credit.rate > 0 else (rule.points if rule else 0)
        magnitude = (abs(credit.minutes) * rate + 30) // 60
        points = magnitude if credit.minutes > 0 else -magnitude
        key = f"volunteering.record:{credit.record_id}"
        hours = f"{abs(credit.minutes) / 60:.2f}".rstrip("0").rstrip(".")
        names = {"title": credit.title, "hours": hours}
        if points > 0:
            account = self._account(AccountKind.PERSON, credit.person_id)
            memo = (
                _("Volunteer service: %(title)s, %(hours)s h") % names
                if credit.corrects is None
                else _("Correction of volunteer service: %(title)s, +%(hours)s h") % names
            )
            self._credit(at, account, points, key, memo, credit.served_on, rule)
            self.outcome.counts["service credits"] += 1
        elif points < 0:
            account = self._account(AccountKind.PERSON, credit.person_id)
            wanted = -points
            taken = min(wanted, account.balance)
            memo = _("Correction of volunteer service: %(title)s, −%(hours)s h") % names
            if taken < wanted:
                memo += " · " + _("%(short)d points could not be taken back (balance too low)") % {
                    "short": wanted - taken
                }
            issued = self._book(AccountKind.ISSUED)
            lines: list[tuple[_Account, int, dt.date | None]] = (
                [(account, -taken, None), (issued, taken, None)] if taken else []
            )
            self._post(at, TransactionKind.CREDIT, key, lines, memo, credit.served_on, rule=rule.pk if rule else None)
            self.outcome.counts["service debits"] += 1

    def _governance(self, at: float, claim: Any) -> None:
        """As ``services.crediting.credit_verified_item``."""
        if claim.person_id is not None:
            account, party_member = self._account(AccountKind.PERSON, claim.person_id), claim.person_id in self.party
        else:
            account, party_member = self._account(AccountKind.ORGANIZATION, claim.organization_id), False
        on = dt.datetime.fromtimestamp(claim.verified_at, tz=self.tz).date()
        rule = self._rule(EventKind.GOVERNANCE_ITEM, on, party_member)
        amount = claim.points if claim.points > 0 else (rule.points if rule else 0)
        if amount <= 0:
            return
        memo = _("Governance list: %(title)s") % {"title": claim.title}
        self._credit(at, account, amount, f"governance.verified:{claim.item_id}:{claim.claim_id}", memo, on, rule)
        self.outcome.counts["governance credits"] += 1

    def _attendance(self, at: float, attendance: Any) -> None:
        """As ``services.crediting.credit_attendance`` (by the rule only)."""
        rule = self._rule(EventKind.MEETING_ATTENDANCE, attendance.meeting_on, attendance.person_id in self.party)
        if rule is None or rule.points <= 0:
            return
        account = self._account(AccountKind.PERSON, attendance.person_id)
        memo = _("Meeting: %(title)s") % {"title": attendance.meeting_title}
        key = f"meetings.attendance:{attendance.attendance_id}"
        self._credit(at, account, rule.points, key, memo, attendance.meeting_on, rule)
        self.outcome.counts["attendance credits"] += 1

    # --- rewards -------------------------------------------------------------------------------------

    def _redeem(self, at: float, account: _Account) -> None:
        """A visit to the points supermarket: the resident takes a reward they can afford, if any is
        in stock and within its limit, as ``services.rewards.redeem_reward`` allows it."""
        rng = self.rng
        affordable = [
            r
            for r in self.rewards
            if r.cost <= account.balance
            and r.stock >= 1
            and (r.limit is None or self.active[(account.pk, r.pk)] < r.limit)
        ]
        if not affordable:
            return
        reward = max(affordable, key=lambda r: r.cost) if rng.random() < 0.5 else rng.choice(affordable)
        receiver = (
            self._account(AccountKind.ORGANIZATION, reward.supplier)
            if reward.supplier is not None
            else self._book(AccountKind.REDEEMED)
        )
        staff = rng.choice(self.staff)
        on = dt.datetime.fromtimestamp(at, tz=self.tz).date()
        key = f"points.redemption:{uuid.UUID(int=rng.getrandbits(128), version=4).hex}"
        txn = self._post(
            at,
            TransactionKind.REDEMPTION,
            key,
            [(account, -reward.cost, None), (receiver, reward.cost, None)],
            _("Redeemed: %(reward)s") % {"reward": reward.name},
            on,
            actor=staff,
        )
        reward.stock -= 1
        reward.version += 1
        reward.changed = at
        self.active[(account.pk, reward.pk)] += 1
        pk = self.writer.ids(Redemption, block=1000)()
        age = self.now - at
        status = RedemptionStatus.FULFILLED
        if age < 14 * DAY and rng.random() < 0.5:
            status = RedemptionStatus.PENDING
        elif rng.random() < 0.05:
            status = RedemptionStatus.CANCELLED
        closed = None
        if status != RedemptionStatus.PENDING:
            closed = min(self.now - 60, at + rng.uniform(0.1, 7) * DAY)
        redemption = {
            "id": pk,
            "reward_id": reward.pk,
            "account_id": account.pk,
            "cost": reward.cost,
            "status": status,
            "pickup_code": f"{rng.randrange(10**6):06d}",
            "transaction_id": txn,
            "redeemed_by_id": staff,
            "closed_at": utc(closed) if closed else None,
            "closed_by_id": staff if closed else None,
            "scope": self.community.path,
            "created_at": utc(at),
            "updated_at": utc(closed or at),
            "version": 2 if closed else 1,
        }
        self.outcome.counts["redemptions"] += 1
        if status == RedemptionStatus.CANCELLED:
            redemption["cancel_reason"] = CANCEL_REASON
            self._push(closed, "refund", (redemption, reward, account, receiver))  # type: ignore[arg-type]
        else:
            self.writer.table(Redemption).add(**redemption)

    def _refund(self, at: float, payload: tuple[dict[str, Any], _Reward, _Account, _Account]) -> None:
        """As ``services.rewards.cancel_redemption``: the points back, the item back in stock."""
        redemption, reward, account, receiver = payload
        staff = redemption["closed_by_id"]
        memo = _("Refund: %(reward)s (%(reason)s)") % {"reward": reward.name, "reason": CANCEL_REASON}
        refund = self._post(
            at,
            TransactionKind.REFUND,
            f"points.refund:{redemption['id']}",
            [(account, reward.cost, None), (receiver, -reward.cost, None)],
            memo,
            dt.datetime.fromtimestamp(at, tz=self.tz).date(),
            reverses=redemption["transaction_id"],
            actor=staff,
        )
        reward.stock += 1
        reward.version += 1
        reward.changed = at
        self.active[(account.pk, reward.pk)] -= 1
        self.writer.table(Redemption).add(**redemption, refund_id=refund)
        self.outcome.counts["refunds"] += 1

    # --- rows ----------------------------------------------------------------------------------------

    def _write_accounts(self) -> None:
        table = self.writer.table(Account)
        for account in self.accounts.values():
            table.add(
                id=account.pk,
                kind=account.kind,
                community_id=self.community.pk,
                person_id=account.person_id,
                organization_id=account.organization_id,
                balance=account.balance,
                created_at=utc(account.opened if account.opened is not None else self.now),
                scope=self.community.path,
            )
        self.outcome.counts["accounts"] += len(self.accounts)

    def _write_rewards(self, rewards: list[_Reward]) -> None:
        table = self.writer.table(Reward)
        made = utc(self.start - 10 * DAY)
        for reward in rewards:
            table.add(
                id=reward.pk,
                community_id=self.community.pk,
                supplier_id=reward.supplier,
                name=reward.name,
                cost=reward.cost,
                stock=reward.stock,
                per_person_limit=reward.limit,
                pickup="社区党群服务中心积分超市",
                is_active=True,
                scope=self.community.path,
                created_at=made,
                updated_at=utc(reward.changed) if reward.changed else made,
                version=reward.version,
            )
        self.outcome.counts["rewards"] += len(rewards)

"""The points ledger (积分制, 积分+): double-entry, append-only, integer points.

- An ``Account`` belongs to a person, an organisation (a partner unit that funds rewards or earns
  points for its work), or a community's books: ``issued`` (where credits come from, the only kind
  allowed to go below zero), ``redeemed`` (where redeemed points go when no partner supplies the
  reward) and ``expired``.
- A ``LedgerTransaction`` is one event (a credit, a redemption, a refund, a reversal, an expiry, an
  adjustment); its ``LedgerEntry`` rows sum to zero. Nothing is ever edited or deleted (database
  triggers); a mistake is undone by a reversal that mirrors the original.
- ``source_key`` is unique: each source event (a confirmed service record, a verified list item, an
  attendance, a valid appeal, a redemption, a reversal ...) can produce at most one transaction.
- ``Account.balance`` is the running sum of the account's entries, kept by the posting service under
  a row lock; a CHECK constraint refuses a negative balance on every account but ``issued``.
- A ``Rule`` maps a kind of event to points, for a community or everywhere, between two dates.
- A ``Reward`` (积分兑换 catalogue) has a stock that a CHECK keeps at zero or more; a ``Redemption``
  goes pending → fulfilled, or → cancelled with a refund.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel


class AccountKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organisation")
    ISSUED = "issued", _("Points issued by the community")
    REDEEMED = "redeemed", _("Points redeemed in the community")
    EXPIRED = "expired", _("Points expired in the community")


BOOK_KINDS = (AccountKind.ISSUED, AccountKind.REDEEMED, AccountKind.EXPIRED)


class Account(ScopedModel):
    """A holder of points. ``scope`` is the community's path (a person's or organisation's community)."""

    kind = models.CharField(_("kind"), max_length=12, choices=AccountKind.choices)
    community = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_account",
        verbose_name=_("person"),
    )
    organization = models.OneToOneField(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_account",
        verbose_name=_("organisation"),
    )
    balance = models.IntegerField(_("balance"), default=0)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        ordering = ["scope", "kind", "pk"]
        constraints = [
            # Only the community's issuing account may go below zero: it is where points come from.
            models.CheckConstraint(
                condition=Q(balance__gte=0) | Q(kind="issued"), name="points_account_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind="person", person__isnull=False, organization__isnull=True)
                | Q(kind="organization", person__isnull=True, organization__isnull=False)
                | Q(kind__in=["issued", "redeemed", "expired"], person__isnull=True, organization__isnull=True),
                name="points_account_holder_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["community", "kind"],
                condition=Q(kind__in=["issued", "redeemed", "expired"]),
                name="points_account_one_book_per_community",
            ),
        ]

    def __str__(self) -> str:
        if self.person_id:
            return str(self.person)
        if self.organization_id:
            return str(self.organization)
        return f"{self.community} · {self.get_kind_display()}"


class EventKind(models.TextChoices):
    """What a rule gives points for."""

    SERVICE_HOUR = "service_hour", _("Each hour of confirmed volunteer service")
    GOVERNANCE_ITEM = "governance_item", _("A verified governance-list item or wish")
    MEETING_ATTENDANCE = "meeting_attendance", _("Attending a meeting")
    VALID_APPEAL = "valid_appeal", _("An appeal that was handled and closed")


class Scheme(models.TextChoices):
    RESIDENT = "resident", _("Residents' points (社区居民+积分)")
    PARTY_MEMBER = "party_member", _("Party members' points (党员+积分)")
    RED_PARTNER = "red_partner", _("Red partners' points (红色合伙人+积分)")


class Rule(TimeStampedModel, VersionedModel):
    """How many points an event earns, for a community (or everywhere when ``community`` is empty)
    between ``valid_from`` and ``valid_to``. The most specific rule in force on the event's date
    applies; a party-members-only rule applies to party members ahead of a general one."""

    name = models.CharField(_("name"), max_length=80)
    event = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    scheme = models.CharField(_("scheme"), max_length=14, choices=Scheme.choices, default=Scheme.RESIDENT)
    community = models.ForeignKey(
        "places.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
        help_text=_("Empty: the rule applies in every community without a rule of its own."),
    )
    points = models.PositiveIntegerField(
        _("points"),
        validators=[MaxValueValidator(100000)],
        help_text=_("Per event, or per hour for volunteer service."),
    )
    party_members_only = models.BooleanField(_("only for party members"), default=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["event", "community__path", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="points_rule_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PointsPolicy(TimeStampedModel):
    """Per community: whether and when points expire (0 = never)."""

    community = models.OneToOneField(
        "places.Area", on_delete=models.CASCADE, related_name="points_policy", verbose_name=_("community")
    )
    expiry_months = models.PositiveSmallIntegerField(
        _("points expire after (months)"),
        default=0,
        validators=[MaxValueValidator(120)],
        help_text=_("0: points never expire. Otherwise points expire this many months after they were earned."),
    )

    class Meta:
        verbose_name = _("points policy")
        verbose_name_plural = _("points policies")

    def __str__(self) -> str:
        return str(self.community)


class TransactionKind(models.TextChoices):
    CREDIT = "credit", _("Points earned")
    REDEMPTION = "redemption", _("Redemption")
    REFUND = "refund", _("Refund of a cancelled redemption")
    REVERSAL = "reversal", _("Reversal")
    EXPIRY = "expiry", _("Expiry")
    ADJUSTMENT = "adjustment", _("Adjustment")


class LedgerTransaction(ScopedModel):
    """One event in the ledger; its entries sum to zero. Append-only."""

    kind = models.CharField(_("kind"), max_length=12, choices=TransactionKind.choices)
    source_key = models.CharField(_("source"), max_length=120, unique=True)
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    memo = models.CharField(_("memo"), max_length=200)
    occurred_on = models.DateField(_("date of the event"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("posted at"), db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.source_key}"


class LedgerEntry(models.Model):
    """One line of a transaction: ``amount`` points into (positive) or out of (negative) an account,
    and the account's balance right after. A positive entry from a credit may carry the date its
    points expire."""

    # Set by the account's console page (display only).
    can_reverse: bool
    is_reversed: bool

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted at"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["account", "created_at", "pk"]
        indexes = [models.Index(fields=["account", "created_at"], name="points_entry_account_at")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="points_entry_amount_nonzero"),
            models.UniqueConstraint(fields=["transaction", "account"], name="points_entry_one_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+d}"


class Reward(TimeStampedModel, VersionedModel, ScopedModel):
    """A good or service residents can redeem points for, supplied by a partner unit or the community."""

    community = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    supplier = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rewards",
        verbose_name=_("supplied by"),
        help_text=_("A partner unit; redeemed points go to its account. Empty: the community supplies it."),
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    cost = models.PositiveIntegerField(_("points needed"), validators=[MinValueValidator(1), MaxValueValidator(100000)])
    stock = models.PositiveIntegerField(_("in stock"))
    per_person_limit = models.PositiveSmallIntegerField(
        _("at most per person"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    pickup = models.CharField(_("where to collect it"), max_length=120, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("on offer"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["scope", "cost", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="points_reward_stock_not_negative"),
            models.CheckConstraint(condition=Q(cost__gte=1), name="points_reward_cost_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.community.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save takes its own keywords; passed through


class RedemptionStatus(models.TextChoices):
    PENDING = "pending", _("To collect")
    FULFILLED = "fulfilled", pgettext_lazy("redemption", "Collected")
    CANCELLED = "cancelled", pgettext_lazy("redemption", "Cancelled")


def _pickup_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class Redemption(TimeStampedModel, VersionedModel, ScopedModel):
    """A person's redemption of a reward: points leave their account at once (pending); the goods are
    handed over (fulfilled) or the redemption is cancelled and the points come back (refund)."""

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="redemptions")
    cost = models.PositiveIntegerField(_("points"))
    status = models.CharField(
        _("status"), max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.PENDING
    )
    pickup_code = models.CharField(_("collection code"), max_length=6, default=_pickup_code)
    transaction = models.OneToOneField(LedgerTransaction, on_delete=models.PROTECT, related_name="redemption")
    refund = models.OneToOneField(
        LedgerTransaction, on_delete=models.PROTECT, null=True, blank=True, related_name="refunded_redemption"
    )
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("redeemed by")
    )
    closed_at = models.DateTimeField(_("collected or cancelled at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reward} · {self.account}"

"""Owners' ballots (业主表决): matters put to the owners of a stairwell unit, a building or an estate,
decided by the double majority of Civil Code art. 278 (by exclusive area and by headcount).

When a ballot opens its electorate is frozen from the registry: each dwelling with its exclusive
area, grouped into voters by the Supreme People's Court interpretation on building co-ownership,
art. 9 — co-owners of one dwelling are one owner, an owner of several dwellings is one owner, and
the developer's unsold or undelivered dwellings are one owner together. A voter casts one vote per
matter covering all their dwellings (a unique constraint, so one dwelling can never vote twice).
The thresholds are rows of BallotRule, so that local rules can be configured without code.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuren.core.models import TimeStampedModel, VersionedModel
from shuren.places.placing import PlacedModel


class PassBase(models.TextChoices):
    PARTICIPATING = "participating", _("Of the owners who took part (Civil Code 2021)")
    ALL = "all", _("Of all owners")


class BallotRule(models.Model):
    """The thresholds of one kind of matter. Each share is numerator/denominator; "strict" means more
    than the share, otherwise at least the share. Both area and headcount must meet each threshold."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    participation_numerator = models.PositiveSmallIntegerField(_("participation: numerator"), default=2)
    participation_denominator = models.PositiveSmallIntegerField(
        _("participation: denominator"), default=3, validators=[MinValueValidator(1)]
    )
    participation_strict = models.BooleanField(_("participation needs more than the share"), default=False)
    pass_numerator = models.PositiveSmallIntegerField(_("approval: numerator"), default=1)
    pass_denominator = models.PositiveSmallIntegerField(
        _("approval: denominator"), default=2, validators=[MinValueValidator(1)]
    )
    pass_strict = models.BooleanField(_("approval needs more than the share"), default=True)
    pass_base = models.CharField(
        _("approval counted among"), max_length=14, choices=PassBase.choices, default=PassBase.PARTICIPATING
    )
    is_major = models.BooleanField(_("major matter (art. 278 items 6-8)"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("ballot rule")
        verbose_name_plural = _("ballot rules")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participation_numerator__lte=models.F("participation_denominator")),
                name="ballots_rule_participation_le_one",
            ),
            models.CheckConstraint(
                condition=Q(pass_numerator__lte=models.F("pass_denominator")), name="ballots_rule_pass_le_one"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# What staff may set on a rule (the configuration form and services.save_rule).
RULE_FIELDS = (
    "code",
    "name",
    "legal_basis",
    "participation_numerator",
    "participation_denominator",
    "participation_strict",
    "pass_numerator",
    "pass_denominator",
    "pass_strict",
    "pass_base",
    "is_major",
    "is_active",
)


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Voting open")
    CLOSED = "closed", _("Closed and counted")
    CANCELLED = "cancelled", _("Cancelled")


class Ballot(TimeStampedModel, VersionedModel, PlacedModel):
    """A vote of the owners of one place: a stairwell unit (a lift), a building or an estate."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"))
    organised_by = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organised by (e.g. the owners' committee)"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    electorate_frozen_at = models.DateTimeField(_("electorate fixed at"), null=True, blank=True)
    total_area = models.DecimalField(_("total exclusive area (m²)"), max_digits=12, decimal_places=2, default=0)
    total_owners = models.PositiveIntegerField(_("owners"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("owners' ballot")
        verbose_name_plural = _("owners' ballots")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Matter(models.Model):
    """One question of a ballot, with the rule that decides it."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="matters")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("matter"), max_length=200)
    description = models.TextField(_("details"), max_length=5000, blank=True)
    civil_code_item = models.PositiveSmallIntegerField(
        _("Civil Code art. 278 item"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_(
            "1 rules of procedure … 6 raising the maintenance fund, 7 altering or rebuilding, 8 use of common parts."
        ),
    )
    rule = models.ForeignKey(BallotRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("rule"))
    convention_version = models.ForeignKey(
        "conventions.ConventionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopting_matters",
        verbose_name=_("adopts convention version"),
    )
    # Filled when the ballot closes: the tally with its arithmetic, as printed on the tally sheet.
    result = models.JSONField(_("result"), default=dict, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["ballot", "position"]
        constraints = [models.UniqueConstraint(fields=["ballot", "position"], name="ballots_matter_unique_position")]

    def __str__(self) -> str:
        return self.title


class Voter(models.Model):
    """One owner in the headcount sense: the co-owners of one or more dwellings, or the developer."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voters")
    key = models.CharField(max_length=40)
    is_developer = models.BooleanField(default=False)
    # Dwellings without an owner in the registry: each is its own voter until staff record the owner.
    owner_unknown = models.BooleanField(default=False)
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=12, decimal_places=2)
    label = models.CharField(_("owner"), max_length=200)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["ballot", "label", "pk"]
        constraints = [models.UniqueConstraint(fields=["ballot", "key"], name="ballots_voter_unique_key")]

    def __str__(self) -> str:
        return self.label


class VoterDwelling(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="dwellings")
    dwelling = models.ForeignKey("places.Dwelling", on_delete=models.PROTECT, related_name="+")
    area = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "dwelling"], name="ballots_dwelling_in_one_voter")]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.dwelling_id}"


class VoterPerson(models.Model):
    """The owners behind a voter, any of whom may cast the voter's vote online."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="owners")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["voter", "person"], name="ballots_voter_person_once")]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.person_id}"


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    OPPOSE = "oppose", _("Oppose")
    ABSTAIN = "abstain", _("Abstain")


class VoteChannel(models.TextChoices):
    ONLINE = "online", _("Online by the owner")
    PAPER = "paper", _("Paper ballot entered by staff")


class BallotVote(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    channel = models.CharField(_("how"), max_length=6, choices=VoteChannel.choices)
    cast_by_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner who voted"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    paper_number = models.CharField(_("paper ballot number"), max_length=40, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("owner's vote")
        verbose_name_plural = _("owners' votes")
        constraints = [
            # One vote per owner per matter, covering every dwelling of that owner.
            models.UniqueConstraint(fields=["matter", "voter"], name="ballots_one_vote_per_owner_per_matter")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.voter_id} {self.choice}"

"""Resident proposals (居民提案): a resident proposes, neighbours of the same place co-sign, and when
enough have signed the proposal goes onto the next meeting's agenda of that place; the answer the
meeting (or the community) gives is recorded and published."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.core.models import TimeStampedModel, VersionedModel
from shuren.places.placing import PlacedModel


class ProposalPolicy(TimeStampedModel):
    """Per community: how many co-signatures put a proposal on the agenda, and for how long it may collect them."""

    community = models.OneToOneField(
        "places.Area", on_delete=models.CASCADE, related_name="proposal_policy", verbose_name=_("community")
    )
    signature_threshold = models.PositiveSmallIntegerField(
        _("co-signatures needed"), default=10, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    signing_days = models.PositiveSmallIntegerField(
        _("days open for co-signing"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta:
        verbose_name = _("proposal policy")
        verbose_name_plural = _("proposal policies")

    def __str__(self) -> str:
        return str(self.community)


class ProposalStatus(models.TextChoices):
    COLLECTING = "collecting", _("Collecting co-signatures")
    QUALIFIED = "qualified", _("Enough co-signatures: waiting for a meeting")
    ON_AGENDA = "on_agenda", _("On a meeting's agenda")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Not enough co-signatures in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    INADMISSIBLE = "inadmissible", _("Not admissible")


class AnswerKind(models.TextChoices):
    ADOPTED = "adopted", pgettext_lazy("proposal answer", "Adopted")
    PARTLY = "partly", _("Partly adopted")
    REFERRED = "referred", _("Referred to the responsible body")
    DECLINED = "declined", _("Declined")


class Proposal(TimeStampedModel, VersionedModel, PlacedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("proposal"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    author_person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("proposer"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.COLLECTING
    )
    signature_threshold = models.PositiveSmallIntegerField(_("co-signatures needed"))
    signature_count = models.PositiveIntegerField(_("co-signatures"), default=0)
    signing_closes_at = models.DateTimeField(_("co-signing closes at"))
    qualified_at = models.DateTimeField(_("qualified at"), null=True, blank=True)
    answer_kind = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices, blank=True)
    answer = models.TextField(_("answer text"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer_published_at = models.DateTimeField(_("answer published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scope", "status"], name="proposals_scope_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class CoSignature(models.Model):
    """One resident's co-signature: one per person per proposal, counted as a household member of the place."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cosignatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="proposals_one_signature_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} · {self.person_id}"


class ProposalEvent(models.Model):
    """The proposal's timeline as residents see it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20)
    text = models.TextField(_("text"), max_length=5000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind}"

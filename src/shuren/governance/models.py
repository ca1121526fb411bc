"""The governance list (治理清单) and small wishes (微心愿): problems and wishes gathered from appeals,
meetings, patrols or staff, which party members, volunteers or organisations claim (认领), carry
out and report on, and which staff verify before points are credited.

An item has at most one active claim (a partial unique constraint, so two people can never hold
it at once); a claim lapses when its holder reports no progress within the community's lapse time.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuren.core.masking import mask_name
from shuren.core.models import TimeStampedModel, VersionedModel
from shuren.places.placing import PlacedModel


class GovernancePolicy(TimeStampedModel):
    """Per community: how long a claim may go without progress before it lapses."""

    community = models.OneToOneField(
        "places.Area", on_delete=models.CASCADE, related_name="governance_policy", verbose_name=_("community")
    )
    claim_lapse_days = models.PositiveSmallIntegerField(
        _("a claim lapses after (days without progress)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    wishes_need_review = models.BooleanField(
        _("residents' wishes are reviewed before they are listed"),
        default=True,
    )

    class Meta:
        verbose_name = _("governance-list policy")
        verbose_name_plural = _("governance-list policies")

    def __str__(self) -> str:
        return str(self.community)


class GovernanceList(TimeStampedModel):
    """A batch of items gathered together, e.g. 2024年第二季度治理清单 or one patrol's findings."""

    scope_field = "scope"
    community = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="governance_lists", verbose_name=_("community")
    )
    scope = models.CharField(_("scope"), max_length=255, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("governance list")
        verbose_name_plural = _("governance lists")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.community.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ItemKind(models.TextChoices):
    TASK = "task", _("Governance-list item (治理清单)")
    WISH = "wish", _("Small wish (微心愿)")


class ItemSource(models.TextChoices):
    APPEAL = "appeal", _("Appeal")
    MEETING = "meeting", _("Meeting")
    PATROL = "patrol", _("Patrol")
    STAFF = "staff", _("Community staff")
    RESIDENT = "resident", _("Resident")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting review")  # a resident's wish before staff list it
    OPEN = "open", _("Open for claiming")
    CLAIMED = "claimed", _("Claimed")
    SUBMITTED = "submitted", _("Awaiting verification")
    DONE = "done", _("Done and verified")
    CANCELLED = "cancelled", _("Cancelled")


class GovernanceItem(TimeStampedModel, VersionedModel, PlacedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices, default=ItemKind.TASK)
    governance_list = models.ForeignKey(
        GovernanceList,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("governance list"),
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=ItemSource.choices, default=ItemSource.STAFF)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_items",
        verbose_name=_("from appeal"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_items",
        verbose_name=_("from meeting"),
    )
    # For a wish: whose wish it is (an elder living alone, a child ...), shown masked.
    beneficiary = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("whose wish"),
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), default=0, validators=[MaxValueValidator(1000)])
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("governance item")
        verbose_name_plural = _("governance items")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scope", "status"], name="governance_item_scope_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ClaimStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    LAPSED = "lapsed", _("Lapsed")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by staff")


class Claim(TimeStampedModel):
    """Who holds an item: a person (party member or volunteer) or an organisation, through a user."""

    item = models.ForeignKey(GovernanceItem, on_delete=models.CASCADE, related_name="claims", verbose_name=_("item"))
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("claimed by (person)"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("claimed by (organisation)"),
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.ACTIVE)
    last_progress_at = models.DateTimeField(_("last progress"))
    lapses_at = models.DateTimeField(_("lapses at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            # One holder at a time, enforced by the database whatever the race.
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="active"), name="governance_claim_one_active_per_item"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, organization__isnull=True)
                | Q(person__isnull=True, organization__isnull=False),
                name="governance_claim_person_or_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} · {self.holder_label}"

    @property
    def holder_label(self) -> str:
        holder = self.organization or self.person
        assert holder is not None  # a claim is held by a person or an organisation (a constraint)
        return holder.name

    @property
    def public_holder_label(self) -> str:
        """The holder as residents see it: an organisation by name, a person with the name masked."""
        if self.organization is not None:
            return self.organization.name
        assert self.person is not None  # a claim is held by a person or an organisation (a constraint)
        return mask_name(self.person.name)


class UpdateKind(models.TextChoices):
    CREATED = "created", _("Created")
    LISTED = "listed", _("Listed for claiming")
    EDITED = "edited", _("Edited")
    CLAIMED = "claimed", _("Claimed")
    PROGRESS = "progress", _("Progress")
    RELEASED = "released", _("Released")
    LAPSED = "lapsed", _("Claim lapsed")
    SUBMITTED = "submitted", _("Reported done")
    RETURNED = "returned", _("Returned for more work")
    VERIFIED = "verified", _("Verified")
    CANCELLED = "cancelled", _("Cancelled")
    NOTE = "note", _("Note")


class ItemUpdate(models.Model):
    """The item's timeline: every change and every progress note, in order."""

    item = models.ForeignKey(GovernanceItem, on_delete=models.CASCADE, related_name="updates", verbose_name=_("item"))
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates", verbose_name=_("claim")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=UpdateKind.choices)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    points = models.PositiveSmallIntegerField(_("points credited"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("item update")
        verbose_name_plural = _("item updates")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item.reference} {self.kind}"


def photo_path(instance: ItemPhoto, filename: str) -> str:
    return f"governance/{instance.update.at:%Y/%m}/{secrets.token_hex(12)}.jpg"


class ItemPhoto(models.Model):
    """A photo of a progress note, re-encoded without EXIF (see core.photos.clean_photo)."""

    update = models.ForeignKey(ItemUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("update"))
    image = models.FileField(_("photo"), upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.image.name or ""

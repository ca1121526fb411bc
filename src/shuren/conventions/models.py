"""Residents' conventions (居民公约, e.g. 电瓶车管理公约): drafted, discussed, adopted by a meeting's
resolution or an owners' ballot, and published; every change is a new version, and the history of
versions stays readable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuren.core.models import TimeStampedModel, VersionedModel
from shuren.places.placing import PlacedModel


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", _("Drafting")
    IN_FORCE = "in_force", _("In force")
    REPEALED = "repealed", _("Repealed")


class Convention(TimeStampedModel, VersionedModel, PlacedModel):
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    repeal_reason = models.CharField(_("why repealed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("residents' convention")
        verbose_name_plural = _("residents' conventions")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> ConventionVersion | None:
        return self.versions.filter(status=VersionStatus.ADOPTED).order_by("-number").first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_DISCUSSION = "in_discussion", _("In discussion")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")
    REJECTED = "rejected", _("Not adopted")


class AdoptedVia(models.TextChoices):
    MEETING = "meeting", _("A meeting's resolution")
    BALLOT = "ballot", _("An owners' ballot")


class ConventionVersion(TimeStampedModel):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"), max_length=20000)
    change_summary = models.CharField(_("what changed"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    discussion_opened_at = models.DateTimeField(_("discussion opened at"), null=True, blank=True)
    adopted_via = models.CharField(_("adopted by"), max_length=8, choices=AdoptedVia.choices, blank=True)
    adopted_reference = models.CharField(_("adoption reference"), max_length=200, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    rejection_reason = models.CharField(_("why not adopted"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("convention version")
        verbose_name_plural = _("convention versions")
        ordering = ["convention", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "number"], name="conventions_version_unique_number"),
            models.UniqueConstraint(
                fields=["convention"], condition=Q(status="adopted"), name="conventions_one_version_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention} v{self.number}"


class ConventionComment(models.Model):
    """A resident's or member's comment on a version under discussion."""

    version = models.ForeignKey(ConventionVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_reason = models.CharField(_("hidden because"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} · {self.author_id}"

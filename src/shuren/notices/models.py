"""Stairwell notices (楼道群通知): what staff, grid workers and building leaders tell the residents of a
place, who it reached (read in the app, or told at the door by the building leader), and the
WeCom group robots of buildings and grids that carry notices to the stairwell groups."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core.fields import EncryptedTextField
from shuren.core.models import ScopedModel, TimeStampedModel, VersionedModel
from shuren.orgs.models import Organization
from shuren.people.models import Person, PersonTag
from shuren.places.models import Area, AreaKind, Building, Dwelling
from shuren.places.placing import PlacedModel


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    ENDED = "ended", _("Ended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def attachment_path(instance: Notice, filename: str) -> str:
    return f"notices/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.pdf"


class Notice(PlacedModel, TimeStampedModel, VersionedModel):
    """A notice to the residents of one place (community, grid, estate, building or stairwell unit),
    narrowed by tags, roles or organisations. Written as a draft; published now or at a set time;
    ended on its end date or by hand; withdrawn with a reason. A published notice is not edited:
    it is withdrawn and written anew, so what residents read is what was sent."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=4000)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    is_public = models.BooleanField(
        _("show on the community's public notices page"),
        default=False,
        help_text=_("Only for notices meant for everyone; personal data is removed from the public text."),
    )
    tags = models.ManyToManyField(PersonTag, blank=True, related_name="+", verbose_name=_("tags"))
    roles = models.JSONField(_("roles"), default=list, blank=True)
    organizations = models.ManyToManyField(Organization, blank=True, related_name="+", verbose_name=_("organisations"))
    attachment = models.FileField(_("PDF attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(max_length=120, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households targeted"), default=0, editable=False)
    # A public notice's texts as the public page shows them: redacted (``core.redaction``) when it
    # was published, with the names of everyone in its audience.
    public_title = models.CharField(max_length=200, blank=True, editable=False)
    public_body = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "scope"], name="notices_status_scope")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(publish_at__isnull=True) | Q(ends_at__gt=models.F("publish_at")),
                name="notices_ends_after_publish",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def urgent(self) -> bool:
        return self.urgency == Urgency.URGENT

    def is_current(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.status == NoticeStatus.PUBLISHED and (self.ends_at is None or self.ends_at > at)


def photo_path(instance: NoticePhoto, filename: str) -> str:
    return f"notices/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.jpg"


class NoticePhoto(models.Model):
    """A photo of a notice, re-encoded without EXIF (``core.photos.clean_photo``)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="photos", verbose_name=_("notice"))
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


class NoticeHousehold(ScopedModel):
    """A household (dwelling) the notice was meant for, fixed when it was published, and whether it
    was reached: one of its residents read it in the app, or the building leader told them at the
    door (已告知)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="targets", verbose_name=_("notice"))
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="+", verbose_name=_("dwelling"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    read_at = models.DateTimeField(_("first read at"), null=True, blank=True)
    told_at = models.DateTimeField(_("told at the door at"), null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("told by"),
    )

    class Meta:
        verbose_name = _("household reached")
        verbose_name_plural = _("households reached")
        ordering = ["building", "dwelling"]
        constraints = [models.UniqueConstraint(fields=["notice", "dwelling"], name="notices_household_once")]
        indexes = [models.Index(fields=["notice", "building"], name="notices_household_building")]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.dwelling_id}"

    @property
    def reached(self) -> bool:
        return self.read_at is not None or self.told_at is not None


class NoticeReader(models.Model):
    """A resident with an account in the notice's audience: their portal lists the notice, and
    opening it marks it read for them and their household."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="readers", verbose_name=_("notice"))
    household = models.ForeignKey(NoticeHousehold, on_delete=models.CASCADE, related_name="readers")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notices_reader_once")]
        indexes = [models.Index(fields=["user", "notice"], name="notices_reader_user")]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.user_id}"


class GroupWebhook(TimeStampedModel, ScopedModel):
    """The WeCom group robot of a building's or a grid's stairwell group. The webhook address is a
    secret (whoever holds it can post to the group): stored encrypted, shown and logged masked."""

    building = models.OneToOneField(
        Building,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    grid = models.OneToOneField(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": AreaKind.GRID},
        verbose_name=_("grid"),
    )
    name = models.CharField(_("group name"), max_length=60, blank=True)
    url = EncryptedTextField(_("webhook address"))
    masked = models.CharField(_("webhook address"), max_length=120, editable=False)
    active = models.BooleanField(_("in use"), default=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stairwell group robot")
        verbose_name_plural = _("stairwell group robots")
        ordering = ["scope", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=False, grid__isnull=True) | Q(building__isnull=True, grid__isnull=False),
                name="notices_webhook_one_place",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.masked

    @property
    def address(self) -> str:
        """The opaque key messages carry ("building:12", "grid:5"); ``notices.webhooks.resolve``
        turns it back into the webhook."""
        return f"building:{self.building_id}" if self.building_id else f"grid:{self.grid_id}"

    @property
    def place_label(self) -> str:
        if self.building is not None:
            return str(self.building)
        return f"{self.grid.parent.name} {self.grid.name}" if self.grid and self.grid.parent else str(self.grid)

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.building.scope if self.building is not None else self.grid.path  # type: ignore[union-attr]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

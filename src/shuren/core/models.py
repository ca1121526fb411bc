"""Abstract bases shared by every app: timestamps, optimistic-concurrency version, scope path."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """A row that changes through workflows: every update bumps ``version`` (see core.concurrency)."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class ScopedModel(models.Model):
    """A row that belongs to a place: ``scope`` is the materialized path of its Area."""

    scope_field = "scope"
    scope = models.CharField(_("scope"), max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True


class IdempotencyRecord(models.Model):
    """One client request made with an ``Idempotency-Key`` and the response it produced.

    Stored ``completed`` in the same transaction as the request's own writes (core.idempotency);
    ``in_flight`` rows come only from older versions, which committed a claim before the view ran.
    """

    IN_FLIGHT = "in_flight"
    COMPLETED = "completed"

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=12, default=IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    response_body = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="core_idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.status}]"


class WorkdayOverride(models.Model):
    """A day the calendar gets wrong or does not know yet: the State Council publishes each year's
    holidays and make-up working days in November or December, and the chinese-calendar package
    covers a year only once a release follows. An override always wins over the package."""

    on = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["on"]

    def __str__(self) -> str:
        return f"{self.on} {'working' if self.is_working_day else 'rest'}"


class JobLease(models.Model):
    """The lease of one background job that changes data (see core.jobs): the attempt running it
    renews ``lease_until`` as it goes; a job whose lease ran out was lost with its worker and is
    queued again, or given up after SHUREN_JOB_MAX_ATTEMPTS attempts."""

    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    holder = models.CharField(max_length=120, blank=True)  # host:pid of the current attempt
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    gave_up = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="core_joblease_unique_job")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} (attempt {self.attempts})"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    DOWNLOADED = "downloaded", _("Downloaded")


class ExportRequest(TimeStampedModel, ScopedModel):
    """A request for a bulk export with unmasked personal data (ID and phone numbers): another user
    holding the approval permission over ``scope`` approves or refuses it; once approved, the
    requester downloads it once before ``download_until`` (see core.exports)."""

    kind = models.CharField(_("export"), max_length=40)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=200, blank=True)
    download_until = models.DateTimeField(_("download until"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export request")
        verbose_name_plural = _("export requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

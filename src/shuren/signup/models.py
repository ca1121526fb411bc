"""Residents signing themselves up: one-time SMS codes, and the requests that link an account to the
resident it belongs to in the registry.

A code is never stored: only its keyed hash (``core.crypto.blind_index``), bound to the number, the
purpose and the row. Numbers and client addresses are kept as keyed hashes too — enough to count
requests per number and per address, nothing to read back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core.models import ScopedModel, TimeStampedModel


class Purpose(models.TextChoices):
    SIGNUP = "signup", _("Sign-up")
    RESET = "reset", _("Password reset")
    CHANGE_PHONE = "change_phone", _("Change of mobile number")


class PhoneCode(models.Model):
    """One code asked for: sent to the number, or — when nothing was due (sign-up with a number that
    already has an account, reset of a number without one) — recorded without a code, so that the
    throttles and the answers are the same either way."""

    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    phone_index = models.CharField(max_length=64, db_index=True, editable=False)
    address_index = models.CharField(max_length=64, db_index=True, editable=False)
    nonce = models.CharField(max_length=32, editable=False)
    # Empty when no code was sent: no code then matches.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The account a change of number belongs to (the code proves the new number for that account only).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    # The keyed hash of the one-time ticket handed out when the code was right; the next step
    # (password, new number) spends it once.
    ticket_hash = models.CharField(max_length=64, blank=True, editable=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["purpose", "phone_index", "created_at"], name="signup_code_number_time")]

    def __str__(self) -> str:
        return f"{self.purpose} code #{self.pk}"


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the community")
    LINKED = "linked", _("Linked")
    REFUSED = "refused", _("Refused")


class LinkRequest(TimeStampedModel, ScopedModel):
    """An account asking to be the resident ``name`` of ``dwelling``. Its scope is the dwelling's
    (the grid's path), so the grid worker of that grid and the community's staff see it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("account")
    )
    community = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    dwelling = models.ForeignKey(
        "places.Dwelling", on_delete=models.PROTECT, related_name="+", verbose_name=_("dwelling")
    )
    name = models.CharField(_("name"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING, db_index=True
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    automatic = models.BooleanField(_("linked automatically"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("link request")
        verbose_name_plural = _("link requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open request per account at a time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="signup_linkrequest_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.dwelling_id} ({self.status})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.dwelling.scope
        super().save(*args, **kwargs)  # type: ignore[arg-type]

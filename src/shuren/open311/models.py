"""Open311 clients (the apps and partner systems that file appeals through GeoReport v2) and what
each filed request carried beyond the appeal itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuren.core.fields import EncryptedTextField
from shuren.core.models import ScopedModel, TimeStampedModel
from shuren.places.models import Area


class Open311Client(TimeStampedModel, ScopedModel):
    """A third-party application registered by staff. Its ``api_key`` is shown once when it is
    created and only a SHA-256 digest is stored. It files appeals into ``area`` (a community or
    grid; a wider area requires every request to name a building) as ``service_user``, an account
    that cannot sign in and holds only the resident role on ``area`` (``appeals.report``)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(
        _("key prefix"),
        max_length=8,
        editable=False,
        help_text=_("The first characters of the key, to tell keys apart."),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="open311_clients", verbose_name=_("files appeals into")
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="open311_client",
        verbose_name=_("acting account"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope = self.area.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Open311Request(models.Model):
    """What an Open311 POST carried that the appeal has no column for. Never published."""

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="open311", verbose_name=_("appeal")
    )
    client = models.ForeignKey(
        Open311Client, on_delete=models.PROTECT, related_name="requests", verbose_name=_("client")
    )
    email = EncryptedTextField(_("reporter's e-mail"), blank=True, default="")
    account_id = models.CharField(_("account in the client's system"), max_length=100, blank=True)
    device_digest = models.CharField(
        max_length=64, blank=True, help_text=_("Keyed hash of the device id: spots floods without keeping the id.")
    )
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return f"{self.client} → {self.appeal_id}"

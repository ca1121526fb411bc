"""Accounts and role grants. Every person who signs in is a User; what they may do comes from
RoleGrants on Areas (see roles.py and core.scoping)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.core import crypto
from shuren.core.fields import EncryptedTextField
from shuren.core.masking import mask_phone

from .roles import ADMIN_ROLES, Role

PHONE_INDEX_PURPOSE = "accounts.phone"


def phone_index_of(e164: str) -> str:
    """The lookup key of an account's normalised mobile number."""
    return crypto.blind_index(e164, purpose=PHONE_INDEX_PURPOSE)


class ShurenUserManager(UserManager["User"]):
    def get_by_phone(self, e164: str) -> User:
        return self.get(phone_index=phone_index_of(e164))


class TextSize(models.TextChoices):
    """The size of text a user reads the site in (large text: 适老化, GB/T 37668)."""

    NORMAL = "normal", _("Normal text")
    LARGE = "large", _("Large text")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = EncryptedTextField(_("mobile number"), blank=True, default="")
    phone_index = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    disabled_reason = models.CharField(_("reason for disabling"), max_length=200, blank=True)
    # Blank until the user chooses: then the choice follows them to every device they sign in on.
    text_size = models.CharField(_("text size"), max_length=8, choices=TextSize.choices, blank=True, default="")

    objects: ClassVar[ShurenUserManager] = ShurenUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # No superuser: power comes only from role grants (SECURITY.md AUTHZ 8).
            models.CheckConstraint(condition=Q(is_superuser=False), name="accounts_user_no_superuser"),
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        self.phone_index = phone_index_of(self.phone) if self.phone else None
        password_changed = self.__dict__.get("_password") is not None and self.pk is not None
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if password_changed:
            # Whoever changes a password (the user, an administrator, the CLI), the API tokens
            # issued against the old one stop working.
            from .services import revoke_api_tokens

            revoke_api_tokens(user=self, reason="password-changed")

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def label(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        return self.label


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def active(self, on: dt.date | None = None) -> RoleGrantQuerySet:
        on = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))


class RoleGrant(models.Model):
    """``user`` acts as ``role`` within ``area`` (and everything beneath it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        "places.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("area"),
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            # Admin roles are system-wide; every other role is held on an area.
            models.CheckConstraint(
                condition=(Q(role__in=sorted(ADMIN_ROLES)) & Q(area__isnull=True))
                | (~Q(role__in=sorted(ADMIN_ROLES)) & Q(area__isnull=False)),
                name="accounts_rolegrant_admin_roles_have_no_area",
            ),
            # 三权分立: at most one live admin role per account.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role__in=sorted(ADMIN_ROLES), revoked_at__isnull=True),
                name="accounts_rolegrant_one_admin_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=Q(revoked_at__isnull=True),
                name="accounts_rolegrant_unique_live_grant",
            ),
        ]

    def __str__(self) -> str:
        where = self.area.name if self.area is not None else _("system-wide")
        return f"{self.user} · {self.get_role_display()} · {where}"

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        """Not revoked and not past its absolute lifetime (the idle timeout is checked on use)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A named API credential. Only the SHA-256 of the key is stored; the key itself is shown once,
    when the token is issued (see tokens.py). A user may hold several, one per client or machine."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    idle_seconds = models.PositiveIntegerField(_("idle timeout (seconds)"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=40, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_apitoken_user_live")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def idle_until(self) -> dt.datetime:
        return (self.last_used_at or self.created_at) + dt.timedelta(seconds=self.idle_seconds)

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at and now < self.idle_until

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_usable() else "expired"

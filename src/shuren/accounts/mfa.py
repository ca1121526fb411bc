"""Who must use a second factor, and helpers around django-otp's TOTP devices."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuren.core.scoping import roles_of

from .roles import MFA_ROLES


def mfa_required(user: Any) -> bool:
    if not settings.SHUREN_REQUIRE_MFA or not user.is_authenticated:
        return False
    return bool(roles_of(user) & MFA_ROLES)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device

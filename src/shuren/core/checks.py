"""System checks for settings that protect residents' data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_AUDIT_RETENTION_DAYS = 184  # Cybersecurity Law art. 23(3): network logs kept >= six months


@register(Tags.security, deploy=True)
def check_pii_keys(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for name in ("SHUREN_PII_KEY", "SHUREN_BLIND_INDEX_KEY"):
        if not getattr(settings, name, ""):
            errors.append(Error(f"{name} is not set.", id="shuren.E001"))
    if getattr(settings, "SHUREN_PII_KEY", "") and settings.SHUREN_PII_KEY == settings.SHUREN_BLIND_INDEX_KEY:
        errors.append(Error("SHUREN_PII_KEY and SHUREN_BLIND_INDEX_KEY must differ.", id="shuren.E002"))
    return errors


@register(Tags.security)
def check_policy_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SHUREN_AUDIT_RETENTION_DAYS < MIN_AUDIT_RETENTION_DAYS:
        errors.append(
            Error(f"SHUREN_AUDIT_RETENTION_DAYS must be at least {MIN_AUDIT_RETENTION_DAYS}.", id="shuren.E003")
        )
    if str(settings.SHUREN_PASSWORD_PROFILE).upper() not in {"ASVS", "MLPS3"}:
        errors.append(Error("SHUREN_PASSWORD_PROFILE must be ASVS or MLPS3.", id="shuren.E004"))
    if settings.SHUREN_SESSION_IDLE_SECONDS > 30 * 60:
        errors.append(Error("SHUREN_SESSION_IDLE_SECONDS may not exceed 1800.", id="shuren.E005"))
    return errors


@register(Tags.security, deploy=True)
def check_mfa_on(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.SHUREN_REQUIRE_MFA:
        return [
            Error(
                "SHUREN_REQUIRE_MFA is off: staff and admin accounts would sign in without a second factor.",
                id="shuren.E006",
            )
        ]
    return []

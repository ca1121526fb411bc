"""Deployment checks for the audit chain's key and its checkpoint directory."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_audit_chain_settings(app_configs: Any, **kwargs: Any) -> list[Warning]:
    warnings = []
    if not getattr(settings, "SHUREN_AUDIT_KEY", ""):
        warnings.append(
            Warning(
                "SHUREN_AUDIT_KEY is not set: the audit chain is keyed with a key derived from the secret key, "
                "so rotating SHUREN_SECRET_KEY breaks its verification.",
                hint="Set SHUREN_AUDIT_KEY to base64 of 32 random bytes, kept outside the database.",
                id="shuren.W010",
            )
        )
    elif settings.SHUREN_AUDIT_KEY in {settings.SECRET_KEY, settings.SHUREN_PII_KEY, settings.SHUREN_BLIND_INDEX_KEY}:
        warnings.append(Warning("SHUREN_AUDIT_KEY must differ from the other keys.", id="shuren.W011"))
    if not getattr(settings, "SHUREN_AUDIT_CHECKPOINT_DIR", ""):
        warnings.append(
            Warning(
                "SHUREN_AUDIT_CHECKPOINT_DIR is not set: without checkpoints outside the database, deleting the "
                "newest audit events together with a rollback of the chain head cannot be detected.",
                hint="Point it at an append-only directory on another disk or machine.",
                id="shuren.W012",
            )
        )
    return warnings

"""Audit every sign-in, sign-out and failed attempt."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shuren.audit.services import record_event


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event("auth.login", request=request, actor=user, obj=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event("auth.logout", request=request, actor=user, obj=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from shuren.core.logging import redact

    from .backends import canonical_login_identity
    from .credentials import PURPOSE_ATTRIBUTE

    identity = redact(canonical_login_identity(request, credentials))
    purpose = getattr(request, PURPOSE_ATTRIBUTE, "login")
    record_event(
        "auth.login_failed",
        request=request,
        outcome="failure",
        detail={"identity": identity[:150], "purpose": purpose},
    )

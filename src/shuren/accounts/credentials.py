"""The one way a password typed by someone is checked: sign-in, API token, re-authentication and
the old password of a password change all come here, so that they share

- the per-account lockout (django-axes: 5 failures, 15 minutes, counted against
  ``backends.canonical_login_identity`` whichever door the guesses come through),
- the per-address throttle (``SHUREN_LOGIN_IP_FAILURE_LIMIT`` failures from one address within the
  lockout window refuse every password check from that address, for any account),
- the audit trail (``auth.login_failed`` for each failure, with the purpose; ``auth.locked_out`` and
  ``auth.login_throttled`` for refusals).

Callers answer with generic words: nothing tells a wrong password from an unknown account.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from shuren.audit.services import record_event

from .models import User

PURPOSE_ATTRIBUTE = "shuren_auth_purpose"


class Refusal(enum.Enum):
    LOCKED = "locked"  # the account (identity) is locked out
    THROTTLED = "throttled"  # the client address has failed too often


@dataclass(frozen=True)
class PasswordCheck:
    user: User | None = None
    refusal: Refusal | None = None

    @property
    def retry_after(self) -> int:
        """Seconds to wait before trying again (the whole lockout window: a try while locked
        restarts it)."""
        return int(settings.AXES_COOLOFF_TIME.total_seconds())


def address_failures(request: HttpRequest) -> int:
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(ip_address=request.shuren.ip, attempt_time__gte=since).aggregate(  # type: ignore[attr-defined]
            n=Sum("failures_since_start")
        )["n"]
        or 0
    )


def address_throttled(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.SHUREN_LOGIN_IP_FAILURE_LIMIT


def verify_password(request: HttpRequest, *, identity: str, password: str, purpose: str) -> PasswordCheck:
    """Check ``password`` for the account ``identity`` (username or mobile) names. Returns the user
    when it is right and the account active; a refusal when the address or the account is locked
    (then the password was not even tried)."""
    if address_throttled(request):
        record_event("auth.login_throttled", request=request, outcome="denied", detail={"purpose": purpose})
        return PasswordCheck(refusal=Refusal.THROTTLED)
    setattr(request, PURPOSE_ATTRIBUTE, purpose)
    user = authenticate(request, username=identity, password=password)
    if getattr(request, "axes_locked_out", False):
        # The caller answers (page, form error or problem); axes' middleware must not replace it.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        record_event("auth.locked_out", request=request, outcome="denied", detail={"purpose": purpose})
        return PasswordCheck(refusal=Refusal.LOCKED)
    if user is not None and purpose != "login":
        # django-axes forgets an identity's failures when it signs in; a right password at the
        # other doors counts as the same success.
        from axes.utils import reset

        reset(username=user.get_username())
    return PasswordCheck(user=user)


def confirm_own_password(request: HttpRequest, *, user: User, password: str, purpose: str) -> PasswordCheck:
    """Check the password of ``user`` who is already signed in (re-authentication, password
    change), through the same lockout as signing in."""
    result = verify_password(request, identity=user.get_username(), password=password, purpose=purpose)
    if result.user is not None and result.user.pk != user.pk:
        return PasswordCheck()
    return result

"""Session lifetime, MFA and password-age enforcement for signed-in users."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.core.errors import problem_response
from shuren.core.reauth import REAUTH_AT

from .mfa import confirmed_device, mfa_required

LOGIN_AT = "shuren_login_at"
SEEN_AT = "shuren_seen_at"
# The last activity is written into the session at most this often: a request that changes nothing
# else does not rewrite the session row, and the idle timeout is kept to within this many seconds.
SEEN_TOUCH_SECONDS = 60

# Paths a user may reach before finishing MFA or a forced password change.
OPEN_PREFIXES = (
    "/static/",
    "/healthz",
    "/readyz",
    "/i18n/",
    "/accounts/logout/",
    "/accounts/mfa/",
    "/favicon.ico",
    "/manifest.webmanifest",
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/open311/"))


class SessionTimeoutMiddleware:
    """Idle timeout (default 15 min) and absolute lifetime (default 12 h) of a signed-in session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and LOGIN_AT in request.session:
            now = time.time()
            login_at = request.session.get(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            idle = now - seen_at > settings.SHUREN_SESSION_IDLE_SECONDS
            expired = now - login_at > settings.SHUREN_SESSION_ABSOLUTE_SECONDS
            if idle or expired:
                from shuren.audit.services import record_event

                record_event(
                    "auth.session_expired",
                    request=request,
                    actor=request.user,
                    detail={"reason": "idle" if idle else "absolute"},
                )
                logout(request)
                if _is_api(request):
                    return problem_response(401, _("Your session has ended. Sign in again."), "session-expired")
                messages.info(request, _("Your session ended after a period of inactivity. Please sign in again."))
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if now - seen_at >= SEEN_TOUCH_SECONDS:
                request.session[SEEN_AT] = now
        return self.get_response(request)


class MfaEnforcementMiddleware:
    """Staff and admin roles reach nothing but the MFA pages until they have passed a TOTP check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and mfa_required(user)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by django_otp.middleware.OTPMiddleware
        ):
            if _is_api(request):
                return problem_response(
                    401, _("A second factor is required. Sign in again with your code."), "mfa-required"
                )
            target = "accounts:mfa_verify" if confirmed_device(user) else "accounts:mfa_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Under the MLPS3 profile a password older than SHUREN_PASSWORD_MAX_AGE_DAYS must be changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and str(settings.SHUREN_PASSWORD_PROFILE).upper() == "MLPS3"
            and not request.path.startswith(OPEN_PREFIXES + ("/accounts/password/",))
            and not _is_api(request)
        ):
            changed = user.password_changed_at
            max_age = dt.timedelta(days=settings.SHUREN_PASSWORD_MAX_AGE_DAYS)
            if changed is None or timezone.now() - changed > max_age:
                messages.warning(request, _("Your password has expired. Choose a new one."))
                return redirect("accounts:password_change")
        return self.get_response(request)


def mark_authenticated(request: HttpRequest) -> None:
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[REAUTH_AT] = now


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[REAUTH_AT] = time.time()

"""Sign-in (username or phone), TOTP verification and enrolment, re-authentication, sign-out."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from shuren.audit.services import record_event
from shuren.core.permissions import authenticated, public

from ..acting import acting_user
from ..credentials import confirm_own_password, verify_password
from ..forms import GuardedPasswordChangeForm, LoginForm, OtpForm, ReauthForm
from ..mfa import confirmed_device, mfa_required, pending_device
from ..middleware import mark_authenticated, mark_reauthenticated
from ..selectors import own_token, own_tokens
from ..services import end_sessions, revoke_api_token, sign_out_everywhere

GENERIC_LOGIN_ERROR = gettext_lazy("The username/mobile number or password is incorrect.")
LOCKED_MESSAGE = gettext_lazy(
    "Too many failed attempts. Try again in 15 minutes or ask your community office for help."
)


def _next_url(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes lockout page: the same words whether or not the account exists."""
    form = LoginForm(initial={"identity": (credentials or {}).get("username", "")})
    return render(
        request, "accounts/login.html", {"form": form, "error": LOCKED_MESSAGE, "next": _next_url(request)}, status=429
    )


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request, "/"))
    form = LoginForm(request.POST or None)
    error: str | Promise = ""
    if request.method == "POST" and form.is_valid():
        check = verify_password(
            request, identity=form.cleaned_data["identity"], password=form.cleaned_data["password"], purpose="login"
        )
        if check.refusal is not None:
            return locked_out(request, None, {"username": form.cleaned_data["identity"]})
        user = check.user
        if user is not None:
            login(request, user)  # rotates the session id
            mark_authenticated(request)
            if mfa_required(user):
                target = "accounts:mfa_verify" if confirmed_device(user) else "accounts:mfa_setup"
                return redirect(f"{reverse(target)}?next={_next_url(request, '/')}")
            return redirect(_next_url(request, "/"))
        error = GENERIC_LOGIN_ERROR
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": _next_url(request)})


@authenticated
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    device = confirmed_device(user)
    if device is None:
        return redirect("accounts:mfa_setup")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            mark_reauthenticated(request)
            record_event("auth.mfa_verified", request=request, obj=user)
            return redirect(_next_url(request, "/"))
        record_event("auth.mfa_failed", request=request, obj=user, outcome="failure")
        form.add_error("token", _("The code is wrong or has already been used. Wait for the next code."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@authenticated
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if confirmed_device(user) is not None:
        return redirect("accounts:mfa_verify")
    device = pending_device(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            mark_reauthenticated(request)
            record_event("auth.mfa_enrolled", request=request, obj=user)
            return redirect(_next_url(request, "/"))
        form.add_error("token", _("The code does not match. Check the time on your phone and try again."))
    qr_svg = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": device.bin_key.hex() if settings.DEBUG else "",
            "next": _next_url(request),
        },
    )


@authenticated
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm the password (and a fresh code, for MFA roles) before reveal, export or role change."""
    user = acting_user(request)
    needs_code = mfa_required(user)
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = confirm_own_password(request, user=user, password=form.cleaned_data["password"], purpose="reauth")
        if check.refusal is not None:
            form.add_error(None, LOCKED_MESSAGE)
            return render(
                request,
                "accounts/reauth.html",
                {"form": form, "needs_code": needs_code, "next": _next_url(request)},
                status=429,
            )
        ok = check.user is not None
        if ok and needs_code:
            device = confirmed_device(user)
            ok = device is not None and device.verify_token(form.cleaned_data.get("token") or "")
        if ok:
            mark_reauthenticated(request)
            record_event("auth.reauth", request=request, obj=user)
            return redirect(_next_url(request, "/"))
        record_event("auth.reauth", request=request, obj=user, outcome="failure")
        form.add_error(None, _("The password or code is incorrect."))
    return render(request, "accounts/reauth.html", {"form": form, "needs_code": needs_code, "next": _next_url(request)})


@authenticated
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@authenticated
@require_POST
def sign_out_everywhere_view(request: HttpRequest) -> HttpResponse:
    """End every session (this one too) and revoke every API token of the signed-in user."""
    sign_out_everywhere(user=acting_user(request))
    logout(request)
    messages.success(request, _("You have been signed out on every device, and your API tokens were revoked."))
    return redirect("accounts:login")


@authenticated
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    """The user's own sign-in security: API tokens (never their keys) and sign out everywhere."""
    tokens = own_tokens(acting_user(request))
    return render(request, "accounts/security.html", {"tokens": tokens})


@authenticated
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    token = own_token(user, pk)
    if token is None:
        raise Http404
    revoke_api_token(actor=user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:security")


@authenticated
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = GuardedPasswordChangeForm(acting_user(request), request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        record_event("auth.password_change", request=request, obj=user)
        # Other devices are signed out; this one stays.
        end_sessions(user=user, keep=request.session.session_key)
        return redirect("/")
    status = 429 if form.refusal is not None else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .credentials import Refusal, confirm_own_password
from .models import User


class LoginForm(forms.Form):
    identity = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the 6 digits shown in the app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class GuardedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked through the sign-in lockout and
    address throttle (credentials.verify_password) rather than by a bare check_password."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "locked": _("Too many failed attempts. Try again in 15 minutes or ask your community office for help."),
    }

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.refusal: Refusal | None = None

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        check = confirm_own_password(self.request, user=self.user, password=old_password, purpose="password_change")
        if check.refusal is not None:
            self.refusal = check.refusal
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        if check.user is None:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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

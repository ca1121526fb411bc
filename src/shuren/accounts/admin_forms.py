"""Forms of the security administrator's pages."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from shuren.core.forms import DateInput, PhoneField
from shuren.core.validators import normalize_phone

from .models import RoleGrant, User
from .roles import ADMIN_ROLES, Role


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Username, name or mobile number"), required=False, max_length=150)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("active", _("Active")), ("disabled", _("Disabled"))],
    )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        help_text=_("3-150 letters, digits or . @ + - _"),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = PhoneField(label=_("Mobile number"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("Leave empty to generate a one-time password shown once."),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "")
        if not phone:
            return ""
        e164 = normalize_phone(phone)
        from .models import phone_index_of

        if User.objects.filter(phone_index=phone_index_of(e164)).exists():
            raise ValidationError(_("Another account already uses this mobile number."))
        return e164

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password"):
            probe = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(data["password"], probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data

    def initial_password(self) -> tuple[str, bool]:
        """The password to set and whether it was generated."""
        if self.cleaned_data.get("password"):
            return self.cleaned_data["password"], False
        return "-".join(secrets.token_urlsafe(4) for _ in range(4)), True


def _areas() -> QuerySet[Any]:
    """The places app's areas, reached through the grant's foreign key (places sits above accounts)."""
    area = RoleGrant._meta.get_field("area").related_model
    assert isinstance(area, type) and issubclass(area, Model)
    return area._default_manager.order_by("path")


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "— " * obj.depth + f"{obj.name} ({obj.path})"


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    area = AreaChoiceField(
        label=_("Area"),
        queryset=_areas(),
        required=False,
        help_text=_("Not used for the three administrator roles."),
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        role = data.get("role")
        if role and role not in ADMIN_ROLES and not data.get("area"):
            self.add_error("area", _("Choose the area where this role applies."))
        if role in ADMIN_ROLES:
            data["area"] = None
        return data


class DisableForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)

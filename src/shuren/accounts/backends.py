"""Sign in with a username or a mobile number; the lockout counts both as the same identity."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from shuren.core.validators import normalize_phone

from .models import User


def user_for_identity(identity: str) -> User | None:
    identity = (identity or "").strip()
    if not identity:
        return None
    user = User.objects.filter(username=identity).first()
    if user is not None:
        return user
    try:
        e164 = normalize_phone(identity)
    except ValidationError:
        return None
    try:
        return User.objects.get_by_phone(e164)
    except User.DoesNotExist:
        return None


def canonical_login_identity(request: HttpRequest, credentials: dict[str, Any]) -> str:
    """What django-axes counts failures against: the account's username when the identity names an
    account (by username or phone), else the identity as typed, so unknown names lock out alike."""
    identity = (credentials or {}).get("username", "") or ""
    user = user_for_identity(identity)
    return user.username if user is not None else identity.strip().lower()


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        user = user_for_identity(username or "")
        if user is None:
            # Same work as a real check, so that timing does not reveal unknown accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

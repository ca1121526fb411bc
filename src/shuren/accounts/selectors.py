"""Reads of the accounts app: the security administrator's user search, a user's grants and second
factor, and one's own API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuren.core.validators import normalize_phone

from .models import ApiToken, RoleGrant, User, phone_index_of


def search_users(filters: dict[str, Any]) -> QuerySet[User]:
    """Users by username, full name or mobile number (``q``) and ``status`` (active/disabled)."""
    users = User.objects.order_by("username").prefetch_related("role_grants__area")
    q = (filters.get("q") or "").strip()
    if q:
        query = Q(username__icontains=q) | Q(full_name__icontains=q)
        try:
            query |= Q(phone_index=phone_index_of(normalize_phone(q)))
        except ValidationError:
            pass
        users = users.filter(query)
    if filters.get("status") == "active":
        users = users.filter(is_active=True)
    elif filters.get("status") == "disabled":
        users = users.filter(is_active=False)
    return users


def grants_of(user: User) -> QuerySet[RoleGrant]:
    """Every grant of ``user``, live or not, newest first."""
    return user.role_grants.select_related("area", "granted_by").order_by("-granted_at")


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def own_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def own_token(user: User, pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=pk).first()

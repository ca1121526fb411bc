"""The signed-in user of a request, typed as the project's user model.

``request.user`` is typed ``User | AnonymousUser``; a view whose permission declaration
(``core.permissions.requires``/``authenticated``, or a DRF permission class) has let the request
through has a signed-in user, and services want ``actor: User``. ``acting_user(request)`` says so
once instead of a cast in every view.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


def acting_user(request: HttpRequest | Request) -> User:
    """``request.user``, a signed-in ``User``; PermissionDenied (403) for an anonymous request that
    reached a view it should not have (a missing declaration), never an AttributeError deep down."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user

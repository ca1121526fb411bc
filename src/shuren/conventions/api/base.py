"""What the conventions API views share: the signed-in caller."""

from __future__ import annotations

from rest_framework.request import Request

from shuren.accounts.models import User


def acting_user(request: Request) -> User:
    """The signed-in user of an endpoint whose permission classes admit only signed-in users."""
    user = request.user
    assert isinstance(user, User), "the endpoint's permission classes admit only signed-in users"
    return user

"""Display preferences: large text (适老化, GB/T 37668). The choice lives in a cookie on the device for
a year and, for a signed-in user, on the account, so that signing in on a new phone keeps it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from shuren.accounts.models import TextSize

COOKIE = "shuren_text_size"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # one year
LARGE_CLASS = "text-large"  # the class on <html> that shuren.css enlarges


def cookie_text_size(request: HttpRequest) -> str:
    """The size this device was set to ("" when never set, or set to something unknown)."""
    value = request.COOKIES.get(COOKIE, "")
    return value if value in TextSize.values else ""


def text_size_of(request: HttpRequest) -> str:
    """The size to show: the signed-in user's own choice wherever they sign in, else this device's."""
    user: Any = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "text_size", ""):
        return str(user.text_size)
    return cookie_text_size(request) or TextSize.NORMAL


def remember_on_device(response: HttpResponseBase, text_size: str) -> None:
    response.set_cookie(
        COOKIE,
        text_size,
        max_age=COOKIE_MAX_AGE,
        httponly=True,  # only the server reads it
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),  # HTTPS-only wherever the language is
    )

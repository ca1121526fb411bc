"""Re-authentication before sensitive actions (reveal, export, role change).

The accounts app's sign-in and confirm-password pages stamp the session (``REAUTH_AT``); pages of
every layer guard their sensitive actions with ``reauth_required``, which needs only the session
and the name of the confirm page, so it lives in core.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

REAUTH_AT = "shuren_reauth_at"


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_AT)
    return at is not None and time.time() - at <= settings.SHUREN_REAUTH_SECONDS


def reauth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the user to confirm their password (and code) unless they did so within the window.
    Keeps any declared ``shuren_permission`` of the wrapped view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not recently_authenticated(request):
            return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"nav_items": navigation_for(user) if user is not None and user.is_authenticated else []}

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .preferences import LARGE_CLASS, text_size_of


def display(request: HttpRequest) -> dict[str, Any]:
    """The display preferences: ``text_size`` ("normal" or "large") for the switch, and
    ``text_size_class`` for <html> ("text-large" or "")."""
    size = text_size_of(request)
    return {"text_size": size, "text_size_class": LARGE_CLASS if size == "large" else ""}

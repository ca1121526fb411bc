"""Large text chosen on a device before signing in becomes the account's choice, when the account
has none yet: the person who needed it to read the sign-in page needs it everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from shuren.accounts.services import set_text_size

from .preferences import cookie_text_size


@receiver(user_logged_in)
def _adopt_the_devices_text_size(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    chosen = cookie_text_size(request) if request is not None else ""
    if chosen and not getattr(user, "text_size", ""):
        set_text_size(user=user, text_size=chosen)

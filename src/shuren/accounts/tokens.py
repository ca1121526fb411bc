"""API token keys: made once, shown once, stored only as their SHA-256.

A key is ``srt_`` followed by 43 URL-safe characters (256 random bits), so a plain SHA-256 is enough
to make the stored hash useless to a reader of the database, and the prefix lets secret scanners
recognise a leaked key. ``live_token_for_key`` is what API authentication calls on each request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken

KEY_PREFIX = "srt_"
SHOWN_PREFIX_LENGTH = 12  # "srt_" and the first 8 random characters: enough to tell tokens apart
# last_used_at is written at most this often, so that using a token is not a write per request.
# The idle timeout is measured from it, so a token may end up to this much earlier than its exact
# idle limit, never later.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_policy() -> tuple[int, int]:
    """(idle seconds, absolute lifetime seconds) for newly issued tokens."""
    return int(settings.SHUREN_API_TOKEN_IDLE_SECONDS), int(settings.SHUREN_API_TOKEN_ABSOLUTE_SECONDS)


def live_token_for_key(key: str) -> ApiToken | None:
    """The token ``key`` names if it may be used now: not revoked, within its lifetime and idle
    timeout, and its user active. Records the use (at most once per TOUCH_INTERVAL)."""
    if not key or len(key) > 200:
        return None
    # One row by a unique key: no ORDER BY (which first() would add).
    token = next(iter(ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).order_by()[:1]), None)
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token

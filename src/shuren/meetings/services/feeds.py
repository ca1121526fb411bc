"""Private calendar feed addresses. Calendar apps cannot sign in, so a secret in the address is the
credential: only its SHA-256 is stored, the address is shown once, and a new one ends the old."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from shuren.accounts.models import User
from shuren.audit.services import record_event
from shuren.core.errors import OutOfScope

from ..models import CalendarFeed
from .base import now


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def renew_feed(*, actor: User) -> str:
    user = actor
    """Make the user's feed secret (ending any earlier one) and return it; it is not stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
        record_event("meetings.feed_renewed", actor=user, object_type="meetings.CalendarFeed", object_id=str(user.pk))
    return token


def end_feed(*, actor: User) -> None:
    user = actor
    with transaction.atomic():
        if CalendarFeed.objects.filter(user=user).delete()[0]:
            record_event("meetings.feed_ended", actor=user, object_type="meetings.CalendarFeed", object_id=str(user.pk))


def feed_user(token: str) -> User:
    """The active user whose feed secret is ``token``; OutOfScope (404) otherwise."""
    if not token or len(token) > 100:
        raise OutOfScope()
    feed = CalendarFeed.objects.filter(token_hash=token_hash(token)).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise OutOfScope()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now())
    return feed.user

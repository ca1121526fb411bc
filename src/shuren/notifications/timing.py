"""When a message may go: quiet hours, the daily digest, and the back-off between attempts."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone


def in_quiet_hours(moment: dt.datetime, start: dt.time, end: dt.time) -> bool:
    """Whether ``moment`` (local time) falls within quiet hours; a span may cross midnight."""
    local = timezone.localtime(moment).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end(moment: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime:
    """The first moment at or after ``moment`` outside quiet hours."""
    if not in_quiet_hours(moment, start, end):
        return moment
    local = timezone.localtime(moment)
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def next_digest(moment: dt.datetime) -> dt.datetime:
    """The next daily digest after ``moment``, at SHUREN_NOTIFICATIONS_DIGEST_HOUR local time."""
    hour = int(getattr(settings, "SHUREN_NOTIFICATIONS_DIGEST_HOUR", 18))
    local = timezone.localtime(moment)
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def backoff(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """The wait before the next attempt after ``attempts`` failed ones: doubling from
    SHUREN_NOTIFICATIONS_RETRY_BASE_SECONDS up to SHUREN_NOTIFICATIONS_RETRY_CAP_SECONDS, less up
    to a fifth at random so that messages held back by one outage do not all return at once."""
    base = float(getattr(settings, "SHUREN_NOTIFICATIONS_RETRY_BASE_SECONDS", 30))
    cap = float(getattr(settings, "SHUREN_NOTIFICATIONS_RETRY_CAP_SECONDS", 3600))
    wait = min(cap, base * 2 ** max(0, attempts - 1))
    jitter = (rng or random).uniform(0, wait / 5)  # noqa: S311 - spreading retries, not a secret
    return dt.timedelta(seconds=wait - jitter)

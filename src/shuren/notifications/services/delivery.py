"""Delivering the outbox: the worker claims due messages, sends each through its channel, and
records the outcome; a message is retried with back-off while its provider is down, and given up
(failed) on a permanent error or when older than SHUREN_NOTIFICATIONS_MAX_AGE_HOURS.

Claiming marks a row "sending" and leases it until ``next_attempt_at`` (now + the lease); a worker
that dies while sending leaves the row to be claimed again once the lease has run out. Each outcome
is written only if the row is still the one this attempt claimed (same status and attempt number),
so two workers never both record a message, and skip-locked claims mean they never both send it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ..channels import ChannelBackend, DeliveryError, get_channel
from ..channels.base import safe_error
from ..models import DUE_STATUSES, Channel, DeliverySchedule, Message, Status
from ..timing import backoff, in_quiet_hours, quiet_hours_end
from .limits import hold_for_limits

log = logging.getLogger(__name__)


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "SHUREN_NOTIFICATIONS_LEASE_SECONDS", 300)))


def max_age() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "SHUREN_NOTIFICATIONS_MAX_AGE_HOURS", 48)))


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0
    over_budget: int = 0
    retry_at: list[dt.datetime] = field(default_factory=list)
    # Sends not recorded yet: (message, provider's id, when), written by _flush_sent.
    unrecorded: list[tuple[Message, str, dt.datetime]] = field(default_factory=list)
    now: dt.datetime = field(default_factory=timezone.now)  # the run's clock (tests move it forward)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "held": self.held,
            "over_budget": self.over_budget,
        }


def claim(*, now: dt.datetime, limit: int) -> list[Message]:
    """Lease up to ``limit`` due messages to this worker (skip-locked on PostgreSQL; SQLite's
    IMMEDIATE transactions serialise the workers)."""
    with transaction.atomic():
        due = Message.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "pk"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Message.objects.filter(pk__in=ids).update(
            status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + lease()
        )
    return list(Message.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"))


def _mine(message: Message) -> QuerySet[Message]:
    return Message.objects.filter(pk=message.pk, status=Status.SENDING, attempts=message.attempts)


# Successful sends are recorded together, this many at a time (and at the end of a batch).
SENT_FLUSH = 25


def _flush_sent(outcome: Outcome) -> None:
    """Record the sends waiting in ``outcome`` as sent, each only if its row is still that attempt's.

    Recording them together, in one transaction whose commit on PostgreSQL does not wait for the
    disk (``synchronous_commit`` off for it only), instead of one commit per message, is what lets one
    worker send hundreds a second. The price: a worker that dies after sending and before this may
    have up to SENT_FLUSH messages sent again once their lease runs out (as a single one before), and
    a database crash may forget the last outcomes the same way."""
    waiting, outcome.unrecorded = outcome.unrecorded, []
    if not waiting:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(Message._meta.db_table)
            rows = ", ".join(["(%s::bigint, %s::integer, %s::varchar, %s::timestamptz)"] * len(waiting))
            params: list[Any] = []
            for message, provider_id, finished in waiting:
                params += [message.pk, message.attempts, provider_id[:100], finished]
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                cursor.execute(
                    f"UPDATE {table} AS m SET status = 'sent', sent_at = v.sent_at, provider_id = v.provider_id, "  # noqa: S608
                    "next_attempt_at = NULL, last_error = '' "
                    f"FROM (VALUES {rows}) AS v(id, attempts, provider_id, sent_at) "
                    "WHERE m.id = v.id AND m.status = 'sending' AND m.attempts = v.attempts",
                    params,
                )
                outcome.sent += cursor.rowcount
            return
        for message, provider_id, finished in waiting:
            outcome.sent += _mine(message).update(
                status=Status.SENT, sent_at=finished, provider_id=provider_id[:100], next_attempt_at=None, last_error=""
            )


def _record(messages: list[Message], error: DeliveryError | None, provider_id: str, outcome: Outcome) -> None:
    finished = max(outcome.now, timezone.now())
    for message in messages:
        if error is None:
            outcome.unrecorded.append((message, provider_id, finished))
            if len(outcome.unrecorded) >= SENT_FLUSH:
                _flush_sent(outcome)
            continue
        reason = safe_error(error)
        if error.retryable and finished - (message.retried_at or message.created_at) < max_age():
            when = finished + backoff(message.attempts)
            if _mine(message).update(status=Status.PENDING, next_attempt_at=when, last_error=reason):
                outcome.retrying += 1
                outcome.retry_at.append(when)
        elif _mine(message).update(status=Status.FAILED, next_attempt_at=None, last_error=reason):
            outcome.failed += 1
            log.warning("notification %s (%s) failed: %s", message.pk, message.channel, reason)


def _hold_for_quiet_hours(messages: list[Message], now: dt.datetime, outcome: Outcome) -> list[Message]:
    """SMS that are not urgent wait for the end of their recipient's quiet hours (a retry may fall
    into them); holding is not an attempt."""
    users = {m.recipient_id for m in messages if m.channel == Channel.SMS and not m.urgent and m.recipient_id}
    if not users:
        return messages
    schedules = {s.user_id: s for s in DeliverySchedule.objects.filter(user_id__in=users)}
    kept = []
    for message in messages:
        if message.channel == Channel.SMS and not message.urgent and message.recipient_id:
            schedule = schedules.get(message.recipient_id) or DeliverySchedule(user_id=message.recipient_id)
            if in_quiet_hours(now, schedule.quiet_start, schedule.quiet_end):
                until = quiet_hours_end(now, schedule.quiet_start, schedule.quiet_end)
                _mine(message).update(status=Status.PENDING, attempts=F("attempts") - 1, next_attempt_at=until)
                outcome.held += 1
                continue
        kept.append(message)
    return kept


def _send(backend: ChannelBackend, messages: list[Message], outcome: Outcome) -> None:
    try:
        if len(messages) == 1:
            provider_id = backend.send(messages[0])
        else:
            provider_id = backend.send_digest(messages)
    except DeliveryError as error:
        _record(messages, error, "", outcome)
    except Exception as error:  # a bug or an outage nobody foresaw: keep the message, try again
        log.exception("channel %s raised", backend.name)
        _record(messages, DeliveryError(f"{type(error).__name__}: {error}", retryable=True), "", outcome)
    else:
        _record(messages, None, provider_id or "", outcome)


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Claim up to ``limit`` due messages and deliver them; returns the counts of sent, retrying,
    failed and held (quiet hours) messages. Call it outside any transaction."""
    now = now or timezone.now()
    outcome = Outcome(now=now)
    claimed = claim(now=now, limit=limit)
    if not claimed:
        return outcome.as_dict()
    claimed = _hold_for_quiet_hours(claimed, now, outcome)
    claimed = hold_for_limits(claimed, now, outcome)
    backends: dict[str, ChannelBackend] = {}
    digests: dict[tuple[int, str], list[Message]] = defaultdict(list)
    try:
        for message in claimed:
            try:
                backend = backends.get(message.channel) or get_channel(message.channel)
            except DeliveryError as error:
                _record([message], error, "", outcome)
                continue
            backends[message.channel] = backend
            if (
                message.recipient_id is not None
                and not backend.for_groups
                and not backend.address_of(message.recipient)
            ):
                _record(
                    [message],
                    DeliveryError("the recipient cannot be reached on this channel", retryable=False),
                    "",
                    outcome,
                )
                continue
            if message.digest and message.recipient_id is not None:
                digests[(message.recipient_id, message.channel)].append(message)
                continue
            _send(backend, [message], outcome)
        for (_user, channel), batch in digests.items():
            _send(backends[channel], batch, outcome)
    finally:
        _flush_sent(outcome)
    if outcome.retry_at:
        from ..tasks import schedule_delivery

        schedule_delivery(min(outcome.retry_at))
    return outcome.as_dict()


def purge(*, before: dt.datetime) -> int:
    """Delete messages created before ``before`` that are settled: sent (in-app ones once read),
    failed or cancelled. Unread in-app messages and those still waiting are kept."""
    settled = Message.objects.filter(created_at__lt=before, status__in=[Status.SENT, Status.FAILED, Status.CANCELLED])
    unread = settled.filter(channel=Channel.INAPP, read_at__isnull=True)
    deleted, _by_model = settled.exclude(pk__in=unread.values("pk")).delete()
    return deleted


def cancel(*, event_key: str) -> int:
    """Cancel the messages of an event not yet sent (e.g. a reminder for a meeting called off)."""
    return Message.objects.filter(event_key=event_key, status=Status.PENDING).update(
        status=Status.CANCELLED, next_attempt_at=None
    )


def retry_failed(*, actor: Any, pk: int) -> Message:
    """Send a failed message again, once its cause is mended (a template registered, an address
    corrected); the administrator's step, audited. Only a failed message can be retried (else 404)."""
    from shuren.core.auditing import record_event
    from shuren.core.errors import OutOfScope

    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=pk, status=Status.FAILED).first()
        if message is None:
            raise OutOfScope
        message.status, message.next_attempt_at, message.retried_at = Status.PENDING, now, now
        Message.objects.filter(pk=message.pk).update(status=Status.PENDING, next_attempt_at=now, retried_at=now)
        record_event(
            "notifications.retry",
            actor=actor,
            obj=message,
            detail={"kind": message.kind, "channel": message.channel, "last_error": message.last_error},
        )
        transaction.on_commit(lambda: _schedule_now())
    return message


def _schedule_now() -> None:
    from ..tasks import schedule_delivery

    schedule_delivery(timezone.now())

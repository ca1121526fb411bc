"""What the worker holds back before sending: rate limits per recipient and channel, WeCom's 20
messages a minute per group robot, and each community's monthly SMS budget.

- A message over its recipient's limit (SHUREN_NOTIFY_LIMITS: channel -> (per hour, per day)) is not
  sent now: it waits (``next_attempt_at`` moved to when the oldest message of the full window leaves
  it), without using an attempt, its reason on the row. Urgent messages pass but count.
- A WeCom group gets at most SHUREN_WECOM_PER_MINUTE messages a minute; the rest wait for the
  next minute.
- An SMS of a community whose budget for the month is spent is not sent unless urgent: it is
  cancelled with the reason (the message is in the recipient's inbox all the same), and counted on
  the delivery page. Urgent ones pass and count.

The counts are read once per batch; workers running at once may each let through the last few
messages of a window (WeCom then answers 45009, which is retried a minute later).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from ..models import Channel, Message, SmsBudget, Status

if TYPE_CHECKING:
    from .delivery import Outcome

HOUR, DAY, MINUTE = dt.timedelta(hours=1), dt.timedelta(days=1), dt.timedelta(minutes=1)


def month_start(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def month_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of ``moment``'s local month and of the next one."""
    first = month_start(moment)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=zone),
        dt.datetime.combine(following, dt.time(), tzinfo=zone),
    )


def budgets_for(community_ids: set[int], moment: dt.datetime) -> dict[int, int | None]:
    """Each community's SMS budget for ``moment``'s month (None: no limit)."""
    default = getattr(settings, "SHUREN_SMS_MONTHLY_BUDGET", None)
    rows = dict(
        SmsBudget.objects.filter(community_id__in=community_ids, month=month_start(moment)).values_list(
            "community_id", "messages"
        )
    )
    return {pk: rows.get(pk, default) for pk in community_ids}


def sms_spent(community_ids: set[int] | None, moment: dt.datetime) -> dict[int, int]:
    """SMS sent this month per community (all communities when ``community_ids`` is None)."""
    start, end = month_bounds(moment)
    sent = Message.objects.filter(channel=Channel.SMS, status=Status.SENT, sent_at__gte=start, sent_at__lt=end)
    sent = (
        sent.filter(community__isnull=False) if community_ids is None else sent.filter(community_id__in=community_ids)
    )
    return dict(sent.values_list("community").annotate(n=Count("pk")).values_list("community", "n"))


def _hold(message: Message, until: dt.datetime, reason: str, outcome: Outcome) -> None:
    from .delivery import _mine

    if _mine(message).update(
        status=Status.PENDING, attempts=F("attempts") - 1, next_attempt_at=until, last_error=reason
    ):
        outcome.held += 1
        outcome.retry_at.append(until)


def _window_wait(times: list[dt.datetime], now: dt.datetime, window: dt.timedelta, limit: int) -> dt.datetime | None:
    """When one more may go, if ``limit`` already went in the ``window`` before ``now``."""
    recent = sorted(t for t in times if t > now - window)
    if limit and len(recent) >= limit:
        return recent[-limit] + window
    return None


def _throttle(
    messages: list[Message],
    now: dt.datetime,
    outcome: Outcome,
    *,
    key: Callable[[Message], Hashable],
    sent_since: Callable[[set[Any], dt.datetime], list[tuple[Any, dt.datetime]]],
    windows: list[tuple[dt.timedelta, int]],
    urgent_passes: bool,
    reason: str,
) -> list[Message]:
    keys = {key(m) for m in messages}
    longest = max(window for window, _limit in windows)
    times: dict[Hashable, list[dt.datetime]] = defaultdict(list)
    for found, at in sent_since(keys, now - longest):
        times[found].append(at)
    kept = []
    for message in messages:
        history = times[key(message)]
        waits = [w for window, limit in windows if (w := _window_wait(history, now, window, limit)) is not None]
        if waits and not (urgent_passes and message.urgent):
            _hold(message, max(waits), reason, outcome)
            continue
        history.append(now)
        kept.append(message)
    return kept


def _recipient_times(channel: str) -> Callable[[set[Any], dt.datetime], list[tuple[Any, dt.datetime]]]:
    def sent_since(users: set[Any], since: dt.datetime) -> list[tuple[Any, dt.datetime]]:
        rows = Message.objects.filter(
            channel=channel, recipient_id__in=users, status=Status.SENT, sent_at__gt=since, digest=False
        )
        return [(user, at) for user, at in rows.values_list("recipient_id", "sent_at") if at is not None]

    return sent_since


def _group_times(users: set[Any], since: dt.datetime) -> list[tuple[Any, dt.datetime]]:
    rows = Message.objects.filter(channel=Channel.WECOM, address__in=users, status=Status.SENT, sent_at__gt=since)
    return [(address, at) for address, at in rows.values_list("address", "sent_at") if at is not None]


def _over_budget(messages: list[Message], now: dt.datetime, outcome: Outcome) -> list[Message]:
    from .delivery import _mine

    sms = {m.pk for m in messages if m.channel == Channel.SMS and m.community_id is not None}
    if not sms:
        return messages
    communities = {m.community_id for m in messages if m.pk in sms and m.community_id is not None}
    budgets = budgets_for(communities, now)
    spent = sms_spent({pk for pk, budget in budgets.items() if budget is not None}, now)
    kept = []
    for message in messages:
        budget = budgets.get(message.community_id) if message.pk in sms and message.community_id else None
        if budget is None:
            kept.append(message)
            continue
        used = spent.get(message.community_id, 0)  # type: ignore[arg-type]
        if used >= budget and not message.urgent:
            if _mine(message).update(
                status=Status.CANCELLED,
                next_attempt_at=None,
                last_error="the community's SMS budget for the month is spent: the message is in the inbox only",
            ):
                outcome.over_budget += 1
            continue
        spent[message.community_id] = used + 1  # type: ignore[index]
        kept.append(message)
    return kept


def hold_for_limits(messages: list[Message], now: dt.datetime, outcome: Outcome) -> list[Message]:
    """The messages that may be sent now; the others wait (or, over a budget, are cancelled)."""
    limits: dict[str, tuple[int, int]] = getattr(settings, "SHUREN_NOTIFY_LIMITS", {}) or {}
    kept = []
    per_user: dict[str, list[Message]] = defaultdict(list)
    groups: list[Message] = []
    for message in messages:
        if message.recipient_id is not None and message.channel in limits and not message.digest:
            per_user[message.channel].append(message)
        elif message.recipient_id is None and message.channel == Channel.WECOM:
            groups.append(message)
        else:
            kept.append(message)
    for channel, batch in per_user.items():
        per_hour, per_day = limits[channel]
        kept += _throttle(
            batch,
            now,
            outcome,
            key=lambda m: m.recipient_id,
            sent_since=_recipient_times(channel),
            windows=[(HOUR, int(per_hour or 0)), (DAY, int(per_day or 0))],
            urgent_passes=True,
            reason=f"rate limit of {channel} for this recipient: waits",
        )
    per_minute = int(getattr(settings, "SHUREN_WECOM_PER_MINUTE", 20) or 0)
    if groups and per_minute:
        kept += _throttle(
            groups,
            now,
            outcome,
            key=lambda m: m.address,
            sent_since=_group_times,
            windows=[(MINUTE, per_minute)],
            urgent_passes=False,
            reason="the group robot's 20 messages a minute: waits for the next minute",
        )
    else:
        kept += groups
    kept.sort(key=lambda m: m.pk)
    return _over_budget(kept, now, outcome)


def budget_rows(community_ids: set[int] | None, moment: dt.datetime) -> list[dict[str, Any]]:
    """Per community (those given, or every community with a budget or SMS this month): its budget,
    SMS sent this month, SMS waiting, and SMS not sent because the budget was spent."""
    from shuren.places.models import Area, AreaKind

    start, end = month_bounds(moment)
    areas = Area.objects.filter(kind=AreaKind.COMMUNITY)
    if community_ids is not None:
        areas = areas.filter(pk__in=community_ids)
    month_sms = Message.objects.filter(channel=Channel.SMS, community__in=areas)
    spent = dict(
        month_sms.filter(status=Status.SENT, sent_at__gte=start, sent_at__lt=end)
        .values_list("community")
        .annotate(n=Count("pk"))
        .values_list("community", "n")
    )
    waiting = dict(
        month_sms.filter(status__in=[Status.PENDING, Status.SENDING])
        .values_list("community")
        .annotate(n=Count("pk"))
        .values_list("community", "n")
    )
    refused = dict(
        month_sms.filter(status=Status.CANCELLED, created_at__gte=start, last_error__startswith="the community's SMS")
        .values_list("community")
        .annotate(n=Count("pk"))
        .values_list("community", "n")
    )
    budgets = dict(
        SmsBudget.objects.filter(community__in=areas, month=month_start(moment)).values_list("community_id", "messages")
    )
    default = getattr(settings, "SHUREN_SMS_MONTHLY_BUDGET", None)
    shown = set(spent) | set(waiting) | set(refused) | set(budgets)
    if community_ids is not None:
        shown |= set(community_ids)
    rows = []
    for area in areas.filter(Q(pk__in=shown)).order_by("path"):
        budget = budgets.get(area.pk, default)
        rows.append(
            {
                "community": area,
                "budget": budget,
                "sent": spent.get(area.pk, 0),
                "waiting": waiting.get(area.pk, 0),
                "over_budget": refused.get(area.pk, 0),
                "left": None if budget is None else max(0, budget - spent.get(area.pk, 0)),
            }
        )
    return rows

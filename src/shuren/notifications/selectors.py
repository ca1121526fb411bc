"""Every read of the outbox: a user's inbox and unread count, their choices, the staff's view of
delivery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet

from . import kinds as kind_registry
from .models import Channel, DeliverySchedule, Message, Preference, Status

if TYPE_CHECKING:
    from shuren.accounts.models import User


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Message]:
    """The user's in-app messages, unread first, newest first."""
    messages = Message.objects.filter(recipient=user, channel=Channel.INAPP)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")


def unread_count(user: Any) -> int:
    """One COUNT on the inbox index."""
    if user is None or not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, channel=Channel.INAPP, read_at__isnull=True).count()


def unread_count_of_request(request: Any) -> int:
    """``unread_count`` of the request's user, counted once per request: the header's bell, the tab
    bar and the menu all show it."""
    if request is None:
        return 0
    count = getattr(request, "_shuren_unread_count", None)
    if count is None:
        count = unread_count(getattr(request, "user", None))
        request._shuren_unread_count = count
    return count


@dataclass(frozen=True)
class ChoiceRow:
    code: str
    label: str
    cells: list[tuple[str, str, bool]]  # (channel, field name, on)


def preference_rows(user: User) -> list[ChoiceRow]:
    """The preferences page's table: each registered kind meant for the user (its audience) with the
    channels they may choose."""
    from .channels import get_channel

    chosen = {(p.kind, p.channel): p.enabled for p in Preference.objects.filter(user=user)}
    rows = []
    backends: dict[str, Any] = {}
    for kind in kind_registry.all_kinds():
        if not kind_registry.offered_to(kind, user):
            continue
        cells = []
        for channel in kind.choosable:
            backend = backends.get(channel) or backends.setdefault(channel, get_channel(channel))
            if not backend.offers(kind.code):  # WeChat only for a kind with a template
                continue
            cells.append(
                (channel, f"pref:{kind.code}:{channel}", chosen.get((kind.code, channel), channel in kind.channels))
            )
        if cells:
            rows.append(ChoiceRow(kind.code, str(kind.label), cells))
    return rows


def schedule_of(user: User) -> DeliverySchedule:
    return DeliverySchedule.objects.filter(user=user).first() or DeliverySchedule(user=user)


def outbox_counts() -> dict[str, int]:
    counts = dict(Message.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in Status.values}


def undelivered(*, status: str = "", channel: str = "", since: dt.datetime | None = None) -> QuerySet[Message]:
    """Messages not delivered yet or given up, for the administrator's delivery page (no text shown)."""
    messages = Message.objects.exclude(channel=Channel.INAPP).exclude(status=Status.SENT)
    if status in Status.values:
        messages = messages.filter(status=status)
    if channel in Channel.values:
        messages = messages.filter(channel=channel)
    if since is not None:
        messages = messages.filter(created_at__gte=since)
    return messages.order_by("-created_at", "-pk")


def sms_budget_rows(community_ids: set[int] | None, moment: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The SMS spend of each community this month (``None``: every community with a budget or SMS)."""
    from django.utils import timezone

    from .services.limits import budget_rows

    return budget_rows(community_ids, moment or timezone.now())

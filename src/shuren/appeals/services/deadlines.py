"""Deadlines: reminders before and after them, and closing appeals left unrated."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.audit.services import record_event

from ..models import (
    Appeal,
    EventKind,
    Status,
)
from ..selectors import was_notified
from .base import _desk_of, _event, _handlers_of, _now, notify, tell_reporter, words


def remind_deadline(*, appeal: Appeal, which: str, now: dt.datetime | None = None) -> int:
    """Tell the people who must act that a deadline is near (``due_soon``) or has passed
    (``overdue``). Each reminder goes once per deadline; returns how many were queued."""
    now = now or _now()
    due: dt.datetime | None
    if which.startswith("response"):
        if appeal.status != Status.DISPATCHED or appeal.response_due_at is None:
            return 0
        due = appeal.response_due_at
        people = _handlers_of(appeal.organization)
    else:
        if appeal.status not in (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS):
            return 0
        due = appeal.resolution_due_at
        people = _handlers_of(appeal.organization) + _desk_of(appeal)
        if due is None:
            return 0
    overdue = which.endswith("overdue")
    if overdue and now < due:
        return 0
    if not overdue and now > due:  # a worker catching up: the overdue reminder says it better
        return 0
    local_due = f"{timezone.localtime(due):%m-%d %H:%M}"

    def message() -> str:
        if overdue:
            return _("Appeal %(ref)s is overdue (due %(due)s).") % {"ref": appeal.reference, "due": local_due}
        return _("Appeal %(ref)s is due at %(due)s.") % {"ref": appeal.reference, "due": local_due}

    key = f"{which}:{due:%Y%m%d%H%M}"
    with transaction.atomic():
        # The appeal's row is locked while the reminder is written: two workers running the same
        # reminder at once (it is queued at submission and again at dispatch) send it once.
        Appeal.objects.select_for_update().filter(pk=appeal.pk).first()
        if was_notified(appeal, key):
            return 0
        sent = notify(
            people, appeal, "overdue" if overdue else "due_soon", message, key=key, params=lambda: {"due": local_due}
        )
        if sent:
            with translation.override(settings.LANGUAGE_CODE):
                note = message()
            _event(appeal, EventKind.REMIND, actor=None, is_public=False, note=note, which=which, recipients=sent)
    return sent


def ask_unrated(*, now: dt.datetime | None = None) -> int:
    """On the last day of the feedback period, ask the reporters who have not rated their resolved
    appeal once more (once per resolution: a reopened appeal resolved again asks again)."""
    now = now or _now()
    days = int(settings.SHUREN_APPEAL_FEEDBACK_DAYS)
    if days < 2:
        return 0
    closing = now - dt.timedelta(days=days)
    last_day = Appeal.objects.filter(
        status=Status.RESOLVED,
        reporter__isnull=False,
        resolved_at__gt=closing,
        resolved_at__lte=closing + dt.timedelta(days=1),
    ).select_related("reporter")
    asked = 0
    for appeal in last_day.order_by("resolved_at", "pk"):
        assert appeal.resolved_at is not None  # a resolved appeal has its time
        key = f"rate:{appeal.resolved_at:%Y%m%d%H%M%S}"
        if was_notified(appeal, key):
            continue
        closes = f"{timezone.localtime(appeal.resolved_at + dt.timedelta(days=days)):%m-%d %H:%M}"
        with transaction.atomic():
            asked += notify(
                [appeal.reporter],
                appeal,
                "resolved",
                words(
                    gettext_lazy(
                        "Appeal %(ref)s was resolved: please rate it by %(closes)s, or it will be closed without "
                        "your rating."
                    ),
                    ref=appeal.reference,
                    closes=closes,
                ),
                key=key,
                staff=False,
            )
    return asked


def close_unrated(*, now: dt.datetime | None = None) -> int:
    """Close resolved appeals whose reporter gave no feedback within SHUREN_APPEAL_FEEDBACK_DAYS."""
    now = now or _now()
    limit = now - dt.timedelta(days=int(settings.SHUREN_APPEAL_FEEDBACK_DAYS))
    closed = 0
    unrated = Appeal.objects.filter(status=Status.RESOLVED, resolved_at__lt=limit)
    for appeal in unrated.select_related("reporter").only("pk", "version", "status", "scope", "reference", "reporter"):
        with transaction.atomic():
            if Appeal.objects.filter(pk=appeal.pk, version=appeal.version).update(
                status=Status.CLOSED, closed_at=now, version=F("version") + 1
            ):
                _event(
                    appeal,
                    EventKind.CLOSE,
                    actor=None,
                    from_status=Status.RESOLVED,
                    to_status=Status.CLOSED,
                    note=_("Closed: no feedback within the feedback period."),
                    automatic=True,
                )
                record_event("appeals.close", obj=appeal, detail={"to": Status.CLOSED.value, "automatic": True})
                tell_reporter(
                    appeal,
                    "progress",
                    words(
                        gettext_lazy("Appeal %(ref)s was closed: no feedback came within the feedback period."),
                        ref=appeal.reference,
                    ),
                    params=lambda: {"status": str(Status.CLOSED.label)},
                )
                closed += 1
    return closed

"""Background work for appeals, run by `shuren db_worker`: deadline reminders and auto-closing.

Each deadline schedules its own reminder tasks (``run_after``): one when the deadline is near, one
when it has passed. A reminder checks the appeal again when it runs, so a reminder for an appeal
that was taken up or resolved meanwhile does nothing. ``shuren appeals sweep`` (for cron) sends any
reminder that is due and closes resolved appeals left unrated, as a backstop for lost tasks.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from shuren.core.jobs import enqueue_with_transaction
from shuren.core.workdays import WorkingCalendar

from .models import OPEN_STATUSES, Appeal, Status

log = logging.getLogger(__name__)


def _before(due: dt.datetime) -> dt.datetime:
    """When "due soon" starts for a deadline (the appeal enters selectors.due_soon_appeals):
    SHUREN_APPEAL_DUE_SOON_HOURS of working time before it."""
    return WorkingCalendar().subtract_working_hours(due, float(settings.SHUREN_APPEAL_DUE_SOON_HOURS))


def schedule_deadline_reminders(appeal: Appeal) -> None:
    """Queue the reminders for the appeal's current deadlines, in the caller's transaction (one commit
    for the appeal and its reminders; core.jobs.enqueue_with_transaction)."""
    plans: list[tuple[str, dt.datetime]] = []
    if appeal.response_due_at is not None and appeal.status == "dispatched":
        plans += [("response_due_soon", _before(appeal.response_due_at)), ("response_overdue", appeal.response_due_at)]
    if appeal.resolution_due_at is not None:
        plans += [
            ("resolution_due_soon", _before(appeal.resolution_due_at)),
            ("resolution_overdue", appeal.resolution_due_at),
        ]
    now = timezone.now()

    def enqueue() -> None:
        for which, when in plans:
            if which.endswith("due_soon") and when < now:
                continue
            send_deadline_reminder.using(run_after=max(when, now)).enqueue(appeal.pk, which)

    enqueue_with_transaction(enqueue)


@task()
def send_deadline_reminder(appeal_id: int, which: str) -> int:
    from .services import remind_deadline

    appeal = Appeal.objects.filter(pk=appeal_id).select_related("organization").first()
    if appeal is None:
        return 0
    return remind_deadline(appeal=appeal, which=which)


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder that is due now, ask once more for the ratings of appeals on the last day
    of their feedback period, and close unrated resolved appeals."""
    from .selectors import due_soon_limit, overdue_q
    from .services import ask_unrated, close_unrated, remind_deadline

    now = now or timezone.now()
    sent = 0
    for appeal in Appeal.objects.filter(overdue_q(now)).select_related("organization").iterator(chunk_size=500):
        if appeal.status == "dispatched" and appeal.response_due_at and appeal.response_due_at < now:
            sent += remind_deadline(appeal=appeal, which="response_overdue", now=now)
        if appeal.resolution_due_at and appeal.resolution_due_at < now:
            sent += remind_deadline(appeal=appeal, which="resolution_overdue", now=now)
    limit = due_soon_limit(now)
    # Not selectors.due_soon_q, which leaves out overdue appeals: an appeal not taken up in time
    # still gets its resolution's due-soon reminder.
    soon = Q(status__in=OPEN_STATUSES, resolution_due_at__range=(now, limit)) | Q(
        status=Status.DISPATCHED, response_due_at__range=(now, limit)
    )
    for appeal in Appeal.objects.filter(soon).select_related("organization").iterator(chunk_size=500):
        if appeal.status == "dispatched" and appeal.response_due_at and now <= appeal.response_due_at <= limit:
            sent += remind_deadline(appeal=appeal, which="response_due_soon", now=now)
        if appeal.resolution_due_at and now <= appeal.resolution_due_at <= limit:
            sent += remind_deadline(appeal=appeal, which="resolution_due_soon", now=now)
    return {"reminders": sent, "rating_requests": ask_unrated(now=now), "closed": close_unrated(now=now)}


@task()
def sweep_task() -> dict[str, int]:
    return sweep()

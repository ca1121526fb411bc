"""Background delivery, run by `shuren db_worker`; `shuren notifications deliver` (cron) is the
backstop for lost tasks and the way to run delivery without a task worker."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

BATCH = 200
# One task delivers at most this many batches, then queues a successor, so that a large fan-out
# does not hold one worker for ever and other tasks get their turn.
BATCHES_PER_TASK = 50


def drain(*, batches: int = BATCHES_PER_TASK, limit: int = BATCH) -> dict[str, int]:
    """Deliver what is due, batch after batch, until nothing is or ``batches`` have run."""
    from .services import deliver_due

    total = {"sent": 0, "retrying": 0, "failed": 0, "held": 0, "over_budget": 0}
    for _round in range(batches):
        counts = deliver_due(limit=limit)
        for key, value in counts.items():
            total[key] += value
        if sum(counts.values()) < limit:
            return total
    deliver_task.enqueue()  # more is due: a successor carries on
    return total


@task()
def deliver_task() -> dict[str, int]:
    return drain()


def schedule_delivery(when: dt.datetime) -> None:
    """Queue a delivery run at ``when`` (a retry's or the end of quiet hours)."""
    if when <= timezone.now():
        deliver_task.enqueue()
    else:
        deliver_task.using(run_after=when).enqueue()

"""Background work of the audit log, run by `shuren db_worker` or from cron through
`shuren audit seal` (every minute): seal the events recorded since the last run into the keyed
chain and append a checkpoint to the external file."""

from __future__ import annotations

from django_tasks import task


def seal() -> dict[str, int]:
    from .services import seal_events

    report = seal_events()
    return {"sealed": report.sealed, "last_seq": report.last_seq, "pending": report.pending}


@task()
def seal_task() -> dict[str, int]:
    return seal()

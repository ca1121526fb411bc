"""Background work for the governance list, run by `shuren db_worker` or from cron through
`shuren governance lapse`: claims whose holder reported no progress within the community's lapse
time lapse, and their items are open for claiming again."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import lapse_overdue_claims


def lapse(at: dt.datetime | None = None) -> dict[str, int]:
    """Lapse every overdue claim now."""
    return {"lapsed": lapse_overdue_claims(at)}


@task()
def lapse_task() -> dict[str, int]:
    return lapse()

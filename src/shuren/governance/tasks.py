"""Background work for the governance list, run by `shuren db_worker` or from cron through
`shuren governance lapse`: claims whose holder reported no progress within the community's lapse
time lapse, and their items are open for claiming again; the claimants of claims lapsing within
two days are warned."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import lapse_overdue_claims, warn_lapsing_claims


def lapse(at: dt.datetime | None = None) -> dict[str, int]:
    """Lapse every overdue claim now, and warn the claimants of those lapsing soon."""
    return {"lapsed": lapse_overdue_claims(at), "warned": warn_lapsing_claims(at)}


@task()
def lapse_task() -> dict[str, int]:
    return lapse()

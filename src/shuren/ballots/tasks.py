"""Background work for owners' ballots, run by `shuren db_worker` or from cron through `shuren
ballots remind` (hourly or daily; each ballot's reminder goes once): the owners who have not voted
on every matter of a ballot closing within a day are reminded."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import remind_closing


def remind(at: dt.datetime | None = None) -> dict[str, int]:
    return {"ballots": remind_closing(at=at)}


@task()
def remind_task() -> dict[str, int]:
    return remind()

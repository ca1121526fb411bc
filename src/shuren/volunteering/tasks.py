"""Background work for volunteering, run by `shuren db_worker` or from cron through `shuren
volunteering remind` (daily, or hourly: each activity's reminder goes once): the confirmed volunteers
of tomorrow's activities are reminded."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import remind_tomorrow


def remind(at: dt.datetime | None = None) -> dict[str, int]:
    return {"activities": remind_tomorrow(at=at)}


@task()
def remind_task() -> dict[str, int]:
    return remind()

"""Background work for meetings, run by `shuren db_worker` or from cron through `shuren meetings
remind` (daily, or hourly: each meeting's reminder goes once): the invitees of tomorrow's meetings
are reminded."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import remind_tomorrow


def remind(at: dt.datetime | None = None) -> dict[str, int]:
    """Remind the invitees of every scheduled meeting held tomorrow."""
    return {"meetings": remind_tomorrow(at=at)}


@task()
def remind_task() -> dict[str, int]:
    return remind()

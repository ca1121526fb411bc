"""Background work of the points ledger, run by `shuren db_worker` or from cron through
`shuren points sweep` (credit every event whose signal was missed) and `shuren points expire`
(daily: expire unspent points past their date)."""

from __future__ import annotations

from django_tasks import task


def sweep() -> dict[str, int]:
    from .services import sweep as run

    return run()


def expire() -> dict[str, int]:
    from .services import expire_points

    return expire_points()


@task()
def sweep_task() -> dict[str, int]:
    return sweep()


@task()
def expire_task() -> dict[str, int]:
    return expire()

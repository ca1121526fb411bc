"""Background work of insights, run by `shuren db_worker` or from cron through `shuren insights`:
`refresh` (every few minutes: bring the roll-ups up to date), `rebuild` (recompute them all),
`evaluate` (score a period) and `monthly` (on the 1st: refresh, evaluate last month, queue the
reports of every subdistrict and district)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_task() -> dict[str, int]:
    from .rollups import refresh

    run = refresh()
    return {"days": run.days, **run.detail}


@task()
def generate_report_task(report_id: int) -> str:
    from .monthly import generate_report

    return generate_report(report_id).status


@task()
def monthly_task() -> dict[str, int]:
    from .monthly import monthly_run

    return monthly_run()

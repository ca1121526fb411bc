"""Background work of the notices, run by `shuren db_worker`: scheduled notices published at their
time (each schedule queues a run at its publish time), and notices past their end date ended."""

from __future__ import annotations

from django_tasks import task


def run() -> dict[str, int]:
    from .services import end_due, release_due

    return {"released": release_due(), "ended": end_due()}


@task()
def release_task() -> dict[str, int]:
    return run()

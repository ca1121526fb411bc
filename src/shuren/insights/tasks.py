"""Background work of insights, run by `shuren db_worker` or from cron through `shuren insights`:
`refresh` (every few minutes: bring the roll-ups up to date), `rebuild` (recompute them all),
`evaluate` (score a period) and `monthly` (on the 1st: refresh, evaluate last month, queue the
reports of every subdistrict and district)."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from shuren.core import jobs


@task()
def refresh_task() -> dict[str, int]:
    from .rollups import refresh

    run = refresh()
    return {"days": run.days, **run.detail}


REPORT_JOB = "insights.report"  # the kind of its lease (core.jobs)


@task()
def generate_report_task(report_id: int) -> str:
    """Generate one queued report under a lease: a report whose worker died is generated again by
    the reaper's retry, or marked failed (the page asks to request it again). Rerunning is safe:
    the files are overwritten; only the e-mail may go twice if the worker died just after it."""
    from .models import MonthlyReport, ReportStatus
    from .services.reports import generate_report  # services queue this task: imported when it runs

    lease = jobs.claim(REPORT_JOB, report_id)
    if lease is None:
        return "skipped"
    if not MonthlyReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).exists():
        jobs.finish_unclaimed(REPORT_JOB, report_id)
        return "skipped"
    with jobs.kept_alive(lease):
        status = generate_report(report_id).status
    with transaction.atomic():
        lease.finish()
    return status


def _requeue_report(key: str) -> None:
    generate_report_task.enqueue(int(key))


def _give_up_report(key: str, attempts: int) -> None:
    from django.utils import timezone

    from .models import MonthlyReport, ReportStatus

    report = MonthlyReport.objects.filter(pk=int(key), status=ReportStatus.QUEUED).first()
    if report is None:
        return
    with translation.override(report.language):
        error = gettext("The worker generating this report stopped %(n)d times; please request it again.")
    MonthlyReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.FAILED, error=error % {"n": attempts}, finished_at=timezone.now()
    )


jobs.register(REPORT_JOB, requeue=_requeue_report, give_up=_give_up_report)


@task()
def monthly_task() -> dict[str, int]:
    from .services.reports import monthly_run

    return monthly_run()

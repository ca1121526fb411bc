"""A monthly report whose worker died is generated again by the reaper's retry, and after the last
attempt it is marked failed with a message asking to request it again (core.jobs leases)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.core import jobs
from shuren.insights.models import MonthlyReport, ReportStatus
from shuren.insights.services import reports as report_services
from shuren.insights.tasks import REPORT_JOB, generate_report_task

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What the task sees of a killed worker: nothing after it runs."""


def dies(report_id: int) -> None:
    raise WorkerKilled


def after_the_lease() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=jobs.lease_seconds() + 1)


@pytest.fixture
def report(tree):
    return MonthlyReport.objects.create(area=tree["sub_a"], month=dt.date(2026, 10, 1), language="zh-hans")


def test_a_report_whose_worker_died_is_generated_by_the_retry(report, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(report_services, "generate_report", dies)
        with pytest.raises(WorkerKilled):
            generate_report_task.call(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and jobs.lease_of(REPORT_JOB, report.pk).attempts == 1
    assert generate_report_task.call(report.pk) == "skipped"  # a duplicate while the lease holds
    assert jobs.reap(now=after_the_lease()) == {"requeued": 1, "failed": 0}
    assert generate_report_task.call(report.pk) == ReportStatus.READY
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and bytes(report.pdf).startswith(b"%PDF")
    assert generate_report_task.call(report.pk) == "skipped"  # done: a stray retry does nothing


def test_a_report_whose_worker_keeps_dying_fails_with_a_message(report, monkeypatch, settings):
    settings.SHUREN_JOB_MAX_ATTEMPTS = 2
    monkeypatch.setattr(report_services, "generate_report", dies)
    for expected in ({"requeued": 1, "failed": 0}, {"requeued": 0, "failed": 1}):
        with pytest.raises(WorkerKilled):
            generate_report_task.call(report.pk)
        assert jobs.reap(now=after_the_lease()) == expected
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "2" in report.error and report.finished_at is not None

"""A large import whose worker dies is not lost: the upload is kept encrypted until the job ends,
the reaper queues the job again when its lease runs out, and after the last attempt the job is
marked failed with a message asking to upload again. Nothing is ever written twice or in part."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import signal
import time
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
from conftest import make_xlsx
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from shuren.core import jobs
from shuren.core.models import JobLease
from shuren.people.models import ImportJob, ImportStatus, Person
from shuren.people.services import imports
from shuren.people.services.imports import COLUMNS
from shuren.people.tasks import IMPORT_JOB, queue_import, run_import_job
from shuren.places.services import create_building, create_estate

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 50


def rows(n: int = ROWS) -> list[list[str]]:
    return [[f"居民{i:03d}", "", "", "富丰新城", "1座", "1单元", "101", "租户", "流动", ""] for i in range(n)]


@pytest.fixture
def staff(user_for_role, tree):
    from shuren.accounts.roles import Role

    staff = user_for_role(Role.COMMUNITY_STAFF)
    estate = create_estate(actor=staff, community=tree["com_a"], name="富丰新城")
    create_building(actor=staff, estate=estate, grid=tree["grid_a1"], number="1座", floors=2, rooms_per_floor=2)
    return staff


@pytest.fixture
def small_steps(monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 10)


def work_off_the_queue() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def after_the_lease() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=jobs.lease_seconds() + 1)


class WorkerKilled(BaseException):
    """What the task sees of a killed worker: nothing catches it, nothing after it runs."""


def crashing_import(monkeypatch, *, at_row: int = 20, in_write: bool = False) -> None:
    """Make the next run of the import die at ``at_row`` (after reporting it) or in the middle of
    writing the people (after some are inserted, inside the write's transaction)."""
    real = imports.import_residents

    def dying(**kwargs):
        progress = kwargs["progress"]

        def report(phase, done, total):
            progress(phase, done, total)
            if not in_write and done >= at_row:
                raise WorkerKilled

        return real(**{**kwargs, "progress": report})

    monkeypatch.setattr(imports, "import_residents", dying)
    if in_write:
        real_write = imports.write_rows

        def write_then_die(columns, rows):
            real_write(columns, rows)
            if columns.model is Person:
                assert Person.objects.count() > 0  # inside the transaction, some people are written
                raise WorkerKilled

        monkeypatch.setattr(imports, "write_rows", write_then_die)


def run_and_die(job: ImportJob) -> None:
    with pytest.raises(WorkerKilled):
        run_import_job.call(job.pk)


def queue(staff, tree, n: int = ROWS) -> ImportJob:
    return queue_import(
        actor=staff, community=tree["com_a"], file_name="居民.xlsx", data=make_xlsx(rows(n), COLUMNS), dry_run=False
    )


def test_a_job_whose_worker_died_keeps_its_upload_and_is_run_again_with_every_row_once(
    staff, tree, small_steps, monkeypatch, verified_client
):
    job = queue(staff, tree)
    with monkeypatch.context() as patch:
        crashing_import(patch, at_row=20)
        run_and_die(job)
    job.refresh_from_db()
    lease = jobs.lease_of(IMPORT_JOB, job.pk)
    # The progress was visible while it ran; the upload is still there; nothing was written.
    assert (job.status, job.rows_checked, lease.attempts) == (ImportStatus.CHECKING, 20, 1)
    assert bytes(job.data) and not Person.objects.exists()
    assert jobs.reap() == {"requeued": 0, "failed": 0}  # the lease has not run out yet
    assert jobs.reap(now=after_the_lease()) == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and bytes(job.data)
    # The worker as systemd runs it: reaps (nothing left to reap), then works off the queue: the
    # original task (a duplicate now) and the retry; one of them imports.
    call_command("jobs", "work", "--", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.created, bytes(job.data)) == (ImportStatus.DONE, ROWS, b"")
    assert Person.objects.count() == ROWS
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(r[0] for r in rows())
    assert jobs.lease_of(IMPORT_JOB, job.pk).attempts == 2
    page = verified_client(staff).get(reverse("people:import_job", args=[job.pk])).content.decode()
    assert 'data-testid="import-attempts"' in page and 'data-status="done"' in page


def test_a_worker_dying_in_the_middle_of_the_write_leaves_no_rows(staff, tree, small_steps, monkeypatch):
    job = queue(staff, tree)
    with monkeypatch.context() as patch:
        crashing_import(patch, in_write=True)
        run_and_die(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.WRITING and bytes(job.data)
    assert not Person.objects.exists()  # the transaction was rolled back with the worker
    JobLease.objects.filter(kind=IMPORT_JOB).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    out = io.StringIO()
    call_command("jobs", "reap", stdout=out)  # what cron runs every minute
    assert "requeued: 1" in out.getvalue()
    work_off_the_queue()
    job.refresh_from_db()
    assert (job.status, Person.objects.count(), bytes(job.data)) == (ImportStatus.DONE, ROWS, b"")


def test_after_the_last_attempt_the_job_fails_and_the_user_is_told_to_upload_again(
    staff, tree, small_steps, monkeypatch, settings, verified_client
):
    settings.SHUREN_JOB_MAX_ATTEMPTS = 2
    job = queue(staff, tree)
    with monkeypatch.context() as patch:
        crashing_import(patch, at_row=10)
        run_and_die(job)
        assert jobs.reap(now=after_the_lease()) == {"requeued": 1, "failed": 0}
        run_and_die(job)
    assert jobs.reap(now=after_the_lease()) == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert (job.status, bytes(job.data)) == (ImportStatus.FAILED, b"")
    assert job.is_finished and not Person.objects.exists()
    lease = jobs.lease_of(IMPORT_JOB, job.pk)
    assert (lease.attempts, lease.gave_up) == (2, True)
    page = verified_client(staff).get(reverse("people:import_job", args=[job.pk])).content.decode()
    assert 'data-testid="import-failed"' in page and reverse("people:import") in page
    assert "2" in page.split('data-testid="import-failed"')[1].split("</div>")[0]
    work_off_the_queue()  # the queued tasks left over run and do nothing
    assert not Person.objects.exists()
    from shuren.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="core.job_requeued").count() == 1
    assert AuditEvent.objects.filter(action="core.job_failed").count() == 1


def test_an_attempt_thought_dead_that_wakes_up_writes_nothing(staff, tree, small_steps, monkeypatch):
    """A worker that stalled past its lease (not dead after all) must not import a second time
    once the retry has: its lease is gone, so its write transaction rolls back."""
    job = queue(staff, tree)
    stale = jobs.claim(IMPORT_JOB, job.pk)
    JobLease.objects.filter(kind=IMPORT_JOB).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    jobs.reap()
    work_off_the_queue()  # the retry imports everything
    assert Person.objects.count() == ROWS
    with pytest.raises(jobs.LeaseLost):
        stale.beat()
    with pytest.raises(jobs.LeaseLost):
        stale.finish()


# --- a real worker process, killed with SIGKILL -------------------------------------------------


def spawn_worker(marker: Path, *, overrides: dict | None = None) -> BaseProcess:
    from shuren.people.tests.crash_worker import run_worker_until_killed

    database = dict(connection.settings_dict)
    process = multiprocessing.get_context("spawn").Process(
        target=run_worker_until_killed, args=(database, overrides or {}, str(marker), 20), daemon=True
    )
    process.start()
    return process


def kill_when_stopped(process: BaseProcess, marker: Path) -> None:
    try:
        for _ in range(1200):  # wait for the worker to reach the row (it reports, then hangs)
            if marker.exists() or not process.is_alive():
                break
            time.sleep(0.05)
        assert marker.exists(), "the worker did not reach the row"
    finally:
        if process.is_alive() and process.pid is not None:
            os.kill(process.pid, signal.SIGKILL)
        process.join(timeout=30)
        marker.unlink(missing_ok=True)
    assert process.exitcode == -signal.SIGKILL


@pytest.mark.postgres_only
def test_a_killed_worker_process_loses_nothing_and_the_retry_imports_every_row_once(
    staff, tree, tmp_path, monkeypatch, small_steps
):
    job = queue(staff, tree)
    marker = tmp_path / "stopped"
    kill_when_stopped(spawn_worker(marker, overrides={}), marker)
    job.refresh_from_db()
    # The killed worker's progress was committed as it went (outside the write's transaction).
    assert job.status == ImportStatus.CHECKING and job.rows_checked >= 20 and bytes(job.data)
    assert not Person.objects.exists()
    assert jobs.reap(now=after_the_lease()) == {"requeued": 1, "failed": 0}
    work_off_the_queue()
    job.refresh_from_db()
    assert (job.status, job.created, bytes(job.data)) == (ImportStatus.DONE, ROWS, b"")
    assert Person.objects.count() == ROWS == len(set(Person.objects.values_list("name", flat=True)))
    assert jobs.lease_of(IMPORT_JOB, job.pk).attempts == 2


@pytest.mark.postgres_only
def test_a_job_whose_worker_is_killed_every_time_fails_after_the_last_attempt(staff, tree, tmp_path, settings):
    settings.SHUREN_JOB_MAX_ATTEMPTS = 2
    job = queue(staff, tree)
    marker = tmp_path / "stopped"
    for expected in ({"requeued": 1, "failed": 0}, {"requeued": 0, "failed": 1}):
        kill_when_stopped(spawn_worker(marker, overrides={"SHUREN_JOB_MAX_ATTEMPTS": 2}), marker)
        assert jobs.reap(now=after_the_lease()) == expected
    job.refresh_from_db()
    assert (job.status, bytes(job.data), Person.objects.count()) == (ImportStatus.FAILED, b"", 0)

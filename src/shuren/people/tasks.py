"""Background work of the people app, run by `shuren jobs work` (Django's Tasks API).

A large import holds a lease (core.jobs): if its worker dies, the reaper queues it again, up to
SHUREN_JOB_MAX_ATTEMPTS attempts, then marks it failed and asks the user to upload it again. The
encrypted upload is kept until the job ends (done, checked, rejected or failed) and wiped then.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from shuren.core import crypto, jobs

from .models import ImportJob, ImportStatus

if TYPE_CHECKING:
    from shuren.accounts.models import User
    from shuren.core.spreadsheets import ImportResult
    from shuren.places.models import Area

IMPORT_DATA_CONTEXT = "people.ImportJob.data"
IMPORT_JOB = "people.import"  # the kind of its lease


def queue_import(
    *, actor: User, community: Area, file_name: str, data: bytes, dry_run: bool, language: str = "zh-hans"
) -> ImportJob:
    """Store the upload encrypted and hand it to a worker (job and task commit together)."""
    from shuren.audit.services import record_event
    from shuren.core.scoping import require

    require(actor, "people.change_person", community)
    with transaction.atomic():
        job = ImportJob.objects.create(
            community=community,
            created_by=actor,
            file_name=file_name[:200],
            data=crypto.encrypt_bytes(data, context=IMPORT_DATA_CONTEXT),
            dry_run=dry_run,
            language=language,
        )
        record_event("people.import_queue", actor=actor, obj=job, detail={"file": job.file_name, "dry_run": dry_run})
        run_import_job.enqueue(job.pk)
    return job


def _end(job_id: int, lease: jobs.Lease, **fields: object) -> None:
    """Record the outcome and wipe the upload; with the lease's end, in the caller's transaction."""
    lease.finish()
    ImportJob.objects.filter(pk=job_id).update(data=b"", finished_at=timezone.now(), **fields)


@task()
def run_import_job(job_id: int) -> None:
    """Check (and unless it is a dry run, write) one queued spreadsheet, reporting progress (and
    renewing the lease) on the job row as it goes. The people, the job's outcome and the wiping of
    the upload commit in one transaction; a worker dying before that leaves nothing written."""
    from .services.imports import import_residents

    lease = jobs.claim(IMPORT_JOB, job_id)
    if lease is None:  # finished, given up, or running elsewhere: a duplicate task does nothing
        return
    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    if job.is_finished:
        jobs.finish_unclaimed(IMPORT_JOB, job_id)
        return
    data = crypto.decrypt_bytes(bytes(job.data), context=IMPORT_DATA_CONTEXT)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, rows_checked=0)

    def progress(phase: str, done: int, total: int | None) -> None:  # outside the write's transaction
        lease.beat()
        status = ImportStatus.WRITING if phase == "writing" else ImportStatus.CHECKING
        ImportJob.objects.filter(pk=job.pk).update(status=status, rows_checked=done, rows_total=total)

    written: list[bool] = []

    def before_commit(result: ImportResult) -> None:  # inside it: the rows and the outcome commit together
        _end(
            job.pk,
            lease,
            status=ImportStatus.DONE,
            rows_checked=result.rows,
            rows_total=result.rows,
            created=result.created,
            errors=[],
            duplicates=_duplicates_of(result),
        )
        written.append(True)

    try:
        with translation.override(job.language):
            result = import_residents(
                actor=job.created_by,
                community=job.community,
                data=data,
                dry_run=job.dry_run,
                progress=progress,
                before_commit=before_commit,
            )
    except jobs.LeaseLost:  # another attempt took over (this one was thought dead): leave it to that one
        return
    except Exception:
        try:
            with transaction.atomic():
                _end(job.pk, lease, status=ImportStatus.FAILED)
        except jobs.LeaseLost:
            pass  # another attempt has the job now
        raise
    if written:  # ended in the import's transaction
        return
    status = ImportStatus.REJECTED if result.errors else ImportStatus.CHECKED if job.dry_run else ImportStatus.DONE
    with suppress(jobs.LeaseLost), transaction.atomic():  # lost: another attempt records the outcome
        _end(
            job.pk,
            lease,
            status=status,
            rows_checked=result.rows,
            rows_total=result.rows,
            created=0,
            errors=[[e.row, e.column, e.reason] for e in result.errors],
            duplicates=_duplicates_of(result),
        )


def _duplicates_of(result: ImportResult) -> list[list[object]]:
    """The rows a resident import left out as already registered, as the job stores them."""
    return [[d.row, d.column, d.reason] for d in getattr(result, "duplicates", [])]


def _requeue(key: str) -> None:
    ImportJob.objects.filter(pk=int(key)).update(status=ImportStatus.QUEUED)
    run_import_job.enqueue(int(key))


def _give_up(key: str, attempts: int) -> None:
    ImportJob.objects.filter(pk=int(key)).update(status=ImportStatus.FAILED, data=b"", finished_at=timezone.now())


jobs.register(IMPORT_JOB, requeue=_requeue, give_up=_give_up)

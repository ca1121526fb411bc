"""Background work of the people app, run by `shuren db_worker` (Django's Tasks API)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from shuren.core import crypto

from .models import ImportJob, ImportStatus

IMPORT_DATA_CONTEXT = "people.ImportJob.data"


def queue_import(
    *, actor: object, community: object, file_name: str, data: bytes, dry_run: bool, language: str = "zh-hans"
) -> ImportJob:
    """Store the upload encrypted and hand it to a worker (job and task commit together)."""
    from shuren.audit.services import record_event
    from shuren.core.scoping import require

    require(actor, "people.change_person", community)  # type: ignore[arg-type]
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


@task()
def run_import_job(job_id: int) -> None:
    """Check (and unless it is a dry run, write) one queued spreadsheet, reporting progress on the
    job row as it goes; the file is wiped once read, whatever the outcome."""
    from .imports import import_residents

    job = ImportJob.objects.select_related("community", "created_by").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:  # already handled (a retried task must not import twice)
        return
    data = crypto.decrypt_bytes(bytes(job.data), context=IMPORT_DATA_CONTEXT)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, data=b"")

    def progress(phase: str, done: int, total: int | None) -> None:
        status = ImportStatus.WRITING if phase == "writing" else ImportStatus.CHECKING
        ImportJob.objects.filter(pk=job.pk).update(status=status, rows_checked=done, rows_total=total)

    try:
        with translation.override(job.language):
            result = import_residents(
                actor=job.created_by, community=job.community, data=data, dry_run=job.dry_run, progress=progress
            )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, finished_at=timezone.now())
        raise
    if result.errors:
        status = ImportStatus.REJECTED
    else:
        status = ImportStatus.CHECKED if job.dry_run else ImportStatus.DONE
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        rows_checked=result.rows,
        rows_total=result.rows,
        created=result.created,
        errors=[[e.row, e.column, e.reason] for e in result.errors],
        finished_at=timezone.now(),
    )

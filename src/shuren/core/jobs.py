"""Leases for background jobs that change data, so that a job whose worker died is not lost.

A task calls ``claim(kind, key)`` when it starts: that counts an attempt and leases the job to this
worker for SHUREN_JOB_LEASE_SECONDS. The task renews the lease as it makes progress
(``Lease.beat``) and ends it in the same transaction as its last write (``Lease.finish``), so a job
is finished exactly once even if a worker thought dead wakes up again (its next beat or finish
raises ``LeaseLost`` and its transaction rolls back).

``reap()`` (``shuren jobs reap`` from cron, and at the start of ``shuren jobs work``) finds leases
that ran out: the worker holding them was killed or its machine stopped. Each such job is queued
again through the handler its app registered (``register``), or, after SHUREN_JOB_MAX_ATTEMPTS
attempts, given up: the handler marks it failed with a message asking the user to try again.

Tasks that are safe to run twice need no lease (see docs/deploy.md, "Background jobs").
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import JobLease

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """This attempt no longer holds the job's lease: it was given to another attempt or given up."""


@dataclass(frozen=True)
class Handler:
    requeue: Callable[[str], None]  # queue the job again (inside the reaper's transaction)
    give_up: Callable[[str, int], None]  # mark it failed after this many attempts


_HANDLERS: dict[str, Handler] = {}


def register(kind: str, *, requeue: Callable[[str], None], give_up: Callable[[str, int], None]) -> None:
    """Say how the reaper queues a lost job of ``kind`` again and how it gives one up (apps do this
    in their tasks module, which the reaper imports)."""
    _HANDLERS[kind] = Handler(requeue=requeue, give_up=give_up)


def lease_seconds() -> int:
    return int(getattr(settings, "SHUREN_JOB_LEASE_SECONDS", 180))


def max_attempts() -> int:
    return max(1, int(getattr(settings, "SHUREN_JOB_MAX_ATTEMPTS", 3)))


def _holder() -> str:
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


@dataclass(frozen=True)
class Lease:
    kind: str
    key: str
    attempt: int

    def _mine(self) -> QuerySet[JobLease]:
        return JobLease.objects.filter(kind=self.kind, key=self.key, attempts=self.attempt, finished_at__isnull=True)

    def beat(self, now: dt.datetime | None = None) -> None:
        """Renew the lease (call it as the job makes progress, outside its write transaction)."""
        now = now or timezone.now()
        if not self._mine().update(heartbeat_at=now, lease_until=now + dt.timedelta(seconds=lease_seconds())):
            raise LeaseLost(f"{self.kind}:{self.key} attempt {self.attempt}")

    def finish(self, now: dt.datetime | None = None) -> None:
        """End the job for good; call it inside the transaction of the job's final write, which
        then commits only if this attempt still held the lease."""
        now = now or timezone.now()
        with transaction.atomic():
            row = self._mine().select_for_update().first()
            if row is None:
                raise LeaseLost(f"{self.kind}:{self.key} attempt {self.attempt}")
            JobLease.objects.filter(pk=row.pk).update(finished_at=now, heartbeat_at=now, lease_until=None)


@contextmanager
def kept_alive(lease: Lease, every: float | None = None) -> Iterator[None]:
    """Renew ``lease`` from a thread while the body runs, for a job with no progress of its own
    to report: the lease then runs out only when the worker process itself is gone."""
    from django.db import connections

    every = every or lease_seconds() / 3
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(every):
                try:
                    lease.beat()
                except LeaseLost:
                    return
                except Exception:  # a failed renewal is tried again; the lease has room for two
                    logger.exception("renewing the lease of %s:%s failed", lease.kind, lease.key)
        finally:
            connections.close_all()  # this thread's own connections

    beater = threading.Thread(target=run, name=f"lease-{lease.kind}-{lease.key}", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()


def claim(kind: str, key: object, *, now: dt.datetime | None = None) -> Lease | None:
    """Start an attempt at the job: None when it is finished, given up, or leased to a live
    attempt (a duplicate of a queued task), else the new attempt's lease."""
    now = now or timezone.now()
    key = str(key)
    with transaction.atomic():
        JobLease.objects.get_or_create(kind=kind, key=key)
        row = JobLease.objects.select_for_update().get(kind=kind, key=key)
        if row.finished_at is not None or (row.lease_until is not None and row.lease_until > now):
            return None
        if row.attempts >= max_attempts():  # a stray duplicate after the last attempt: the reaper gives it up
            return None
        row.attempts += 1
        row.holder = _holder()
        row.heartbeat_at = now
        row.lease_until = now + dt.timedelta(seconds=lease_seconds())
        row.save(update_fields=["attempts", "holder", "heartbeat_at", "lease_until"])
        return Lease(kind=kind, key=key, attempt=row.attempts)


def finish_unclaimed(kind: str, key: object, *, now: dt.datetime | None = None) -> None:
    """Close the lease of a job that ended without running (e.g. it was already done)."""
    JobLease.objects.filter(kind=kind, key=str(key), finished_at__isnull=True).update(
        finished_at=now or timezone.now(), lease_until=None
    )


def lease_of(kind: str, key: object) -> JobLease | None:
    return JobLease.objects.filter(kind=kind, key=str(key)).first()


def _discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")


def reap(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue again every job whose lease ran out, or give it up after its last attempt. Each job
    in its own transaction, with the job's own change (status, queued task) in the same one."""
    from .auditing import record_event

    _discover()
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    expired = JobLease.objects.filter(finished_at__isnull=True, lease_until__lt=now)
    for pk in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            row = (
                JobLease.objects.select_for_update()
                .filter(pk=pk, finished_at__isnull=True, lease_until__lt=now)
                .first()
            )
            if row is None:  # renewed or finished meanwhile
                continue
            handler = _HANDLERS.get(row.kind)
            if handler is None:
                logger.error("no handler for lost job %s:%s; left alone", row.kind, row.key)
                continue
            detail = {"kind": row.kind, "key": row.key, "attempts": row.attempts, "holder": row.holder}
            if row.attempts >= max_attempts():
                JobLease.objects.filter(pk=row.pk).update(gave_up=True, finished_at=now, lease_until=None)
                handler.give_up(row.key, row.attempts)
                record_event("core.job_failed", object_type="core.JobLease", object_id=str(row.pk), detail=detail)
                logger.warning("job %s:%s given up after %d attempts", row.kind, row.key, row.attempts)
                counts["failed"] += 1
            else:
                JobLease.objects.filter(pk=row.pk).update(lease_until=None)
                handler.requeue(row.key)
                record_event("core.job_requeued", object_type="core.JobLease", object_id=str(row.pk), detail=detail)
                logger.warning("job %s:%s lost by %s; queued again", row.kind, row.key, row.holder)
                counts["requeued"] += 1
    return counts


def enqueue_with_transaction(enqueue: Callable[[], object], *, using: str | None = None) -> None:
    """Queue tasks so that they exist exactly when the caller's writes do.

    The database task backend (``django_tasks_db``, on the default database) writes its rows inside the
    caller's transaction: they commit or roll back with it, in the same commit. Any other backend
    hands tasks to something outside the database, so it is called after the commit, and not at
    all after a rollback."""
    from django.db import DEFAULT_DB_ALIAS
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    alias = using or DEFAULT_DB_ALIAS
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend) and alias == DEFAULT_DB_ALIAS:
        enqueue()
    else:
        transaction.on_commit(enqueue, using=alias)

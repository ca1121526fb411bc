"""Concurrent writers still produce a verifiable chain: threads record events while sealers seal
them, on PostgreSQL and on a SQLite file opened as in production."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import transaction

from shuren.audit import triggers
from shuren.audit.models import AuditEvent, ChainHead
from shuren.audit.services import record_event, seal_events, verify_chain
from shuren.core.testing import run_at_once


def write_and_seal_concurrently(*, writers: int = 6, rounds: int = 12) -> None:
    """Writer threads commit events (one to three a transaction, which goes on a moment after them;
    every fifth transaction rolls back, leaving a gap in the ids) while sealer threads seal, in
    batches of seven, as often as they can.
    Halfway each writer waits until a sealer has sealed something, so the chain grows while events
    are being written. Then the sealers alone have sealed every committed event and no other, each
    once, numbered without a gap in id order, and verification passes over the whole chain."""
    sealed_some, writers_done = threading.Event(), threading.Event()
    remaining = [writers]
    lock = threading.Lock()

    def writer(n: int):
        def job(start):
            start()
            committed = []
            try:
                for i in range(rounds):
                    if i == rounds // 2:
                        assert sealed_some.wait(30), "no sealer sealed anything while the writers wrote"
                    try:
                        with transaction.atomic():
                            for k in range(1 + (i % 3)):
                                record_event("test.concurrent", detail={"writer": n, "i": i, "k": k})
                            time.sleep(0.01 * (i % 4))  # the rest of the audited operation: its ids stay open
                            if i % 5 == 4:
                                raise RuntimeError("roll back")
                    except RuntimeError:
                        continue
                    committed.extend((n, i, k) for k in range(1 + (i % 3)))
            finally:
                with lock:
                    remaining[0] -= 1
                    if remaining[0] == 0:
                        writers_done.set()
            return committed

        return job

    def sealer(batch_size: int):
        def job(start):
            start()
            runs = []
            while True:
                writers_finished = writers_done.is_set()
                report = seal_events(settle_seconds=0.05, batch_size=batch_size)
                runs.append(report.sealed)
                if report.sealed:
                    sealed_some.set()
                if writers_finished and report.settled:  # began after the last commit: sealed up to it
                    return runs
                time.sleep(0.002)

        return job

    outcomes = run_at_once([*(writer(n) for n in range(writers)), sealer(batch_size=7), sealer(batch_size=100)])
    committed = [x for outcome in outcomes[:writers] for x in outcome]
    seal_runs = [n for outcome in outcomes[writers:] for n in outcome]

    assert AuditEvent.objects.filter(hash__isnull=True).count() == 0  # sealed by the sealers, not by verify
    events = list(AuditEvent.objects.order_by("seq"))
    assert sum(seal_runs) == len(events)  # each event sealed by exactly one run of one sealer
    assert sum(1 for n in seal_runs if n) >= 2
    assert sorted((e.detail["writer"], e.detail["i"], e.detail["k"]) for e in events) == sorted(committed)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.id for e in events] == sorted(e.id for e in events)
    report = verify_chain(seal=False)
    assert report.ok and report.checked == len(events) and report.external, report


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_sealers_seal_every_committed_event_exactly_once():
    write_and_seal_concurrently()


@pytest.fixture
def production_sqlite(tmp_path, django_db_blocker):
    """Every thread's default database: a SQLite file holding the audit tables, opened as
    settings/base.py opens SQLite in production (``SQLITE_OPTIONS``: WAL, transactions that begin
    IMMEDIATE, a busy timeout), whichever database the suite runs on. The SQLite test database, in
    memory with a shared cache, cannot take concurrent writers: the second fails with "table is
    locked" instead of waiting its turn."""
    from django.db import connections

    from shuren.settings import base

    test_settings = connections.settings["default"]
    with django_db_blocker.unblock():
        test_connection = connections["default"]
        connections.settings["default"] = {
            **test_settings,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "audit.sqlite3"),
            "OPTIONS": dict(base.SQLITE_OPTIONS),
        }
        file_connection = connections.create_connection("default")
        connections["default"] = file_connection
        try:
            with file_connection.schema_editor() as editor:
                editor.create_model(AuditEvent)
                editor.create_model(ChainHead)
            triggers.install(file_connection)
            yield
        finally:
            file_connection.close()
            connections["default"] = test_connection
            connections.settings["default"] = test_settings


@pytest.mark.concurrency
def test_concurrent_writers_and_sealers_on_sqlite_seal_every_committed_event_exactly_once(production_sqlite):
    """SQLite lets one transaction write at a time, so every id the sealer sees is final. (Not a
    test-database test: the PostgreSQL pass leaves it out, as it leaves out every test that does not
    reach the test database.)"""
    write_and_seal_concurrently()

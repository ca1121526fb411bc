"""Sealing: events are written without a lock and chained later under a key kept outside the
database; every way of rewriting the log that someone with write access to the database has is
caught by `shuren audit verify`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Mapping
from typing import Any

import hypothesis
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from hypothesis import strategies as st

from shuren.audit import chain
from shuren.audit.checks import check_audit_chain_settings
from shuren.audit.models import AuditEvent, ChainHead
from shuren.audit.services import ChainBroken, purge_expired_events, record_event, seal_events, verify_chain

from .tampering import make_events, sealed, tamper

pytestmark = pytest.mark.django_db


def head_values() -> Mapping[str, Any]:
    return ChainHead.objects.values().get(pk=1)


def restore_head(values: Mapping[str, Any]) -> None:
    ChainHead.objects.filter(pk=1).update(**{k: v for k, v in values.items() if k != "id"})


# --- writing and sealing ---------------------------------------------------------------------


def test_recording_an_event_touches_no_shared_row():
    make_events(1)
    with CaptureQueriesContext(connection) as queries:
        event = record_event("test.event", detail={"n": 1})
    assert not any("audit_chainhead" in q["sql"] for q in queries.captured_queries)
    assert event.seq is None and event.hash is None


def test_the_sealer_chains_committed_events_in_id_order_once():
    events = make_events(4)
    report = seal_events()
    assert report.sealed == 4 and report.pending == 0 and report.settled
    events = sealed(events)
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == chain.GENESIS_HASH
    assert all(e.hash == e.compute_hash() for e in events)
    assert seal_events().sealed == 0
    more = make_events(2)
    assert seal_events().sealed == 2
    assert [e.seq for e in sealed(more)] == [5, 6]
    head = ChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash, head.last_id) == (6, sealed(more)[-1].hash, more[-1].pk)


def test_each_seal_appends_a_signed_checkpoint_outside_the_database(checkpoint_dir):
    make_events(2)
    seal_events()
    make_events(1)
    seal_events()
    seal_events()  # nothing new: no new line
    lines = (checkpoint_dir / chain.CHECKPOINT_FILE).read_text().splitlines()
    assert len(lines) == 2
    newest = json.loads(lines[-1])
    head = ChainHead.objects.get(pk=1)
    assert (newest["last_seq"], newest["last_hash"], newest["count"]) == (3, head.last_hash, 3)
    assert newest["mac"] == head.signature


def test_the_hash_is_keyed(settings):
    event = sealed(make_events(1))[0]
    settings.SHUREN_AUDIT_KEY = "another-key"
    assert event.compute_hash() != event.hash
    assert not verify_chain(seal=False).ok


def test_verify_seals_first_and_reports_nothing_pending(capsys):
    make_events(3)
    call_command("audit", "verify")
    assert "3 events" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(hash__isnull=True).exists()


def test_seal_command(capsys):
    make_events(2)
    call_command("audit", "seal")
    assert "Sealed 2 events" in capsys.readouterr().out


def test_the_seal_task_seals():
    from shuren.audit.tasks import seal

    make_events(2)
    assert seal()["sealed"] == 2


# --- what the database refuses ---------------------------------------------------------------


def test_the_database_refuses_an_event_that_arrives_sealed():
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.create(
            occurred_at=dt.datetime.now(dt.UTC), action="x", outcome="success", seq=99, prev_hash="0", hash="1"
        )


@pytest.mark.parametrize(
    "assignment",
    [
        "seq = 1",  # not all three seal columns
        "seq = 1, prev_hash = 'a', hash = 'b', outcome = 'failure'",  # content changed while sealing
        "seq = 1, prev_hash = 'a', hash = 'b', detail = '{}'",
    ],
)
def test_sealing_may_fill_the_seal_columns_and_nothing_else(assignment):
    event = make_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET {assignment} WHERE id = %s", [event.pk])  # noqa: S608


@pytest.mark.parametrize("assignment", ["seq = 7", "hash = NULL, prev_hash = NULL, seq = NULL", "hash = 'f'"])
def test_a_seal_is_set_once(assignment):
    event = sealed(make_events(1))[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET {assignment} WHERE id = %s", [event.pk])  # noqa: S608


# --- tampering, each caught by `shuren audit verify` ------------------------------------------


def broken(capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    return capsys.readouterr().err


def test_an_edited_row_is_caught(capsys):
    events = sealed(make_events(4))
    tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing happened", events[1].pk])
    assert f"seq {events[1].seq}" in broken(capsys)


TEXT_COLUMNS = ["actor_username", "actor_role", "ip", "request_id", "action", "object_type", "object_id", "scope"]


@hypothesis.settings(
    max_examples=10, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    column=st.sampled_from([*TEXT_COLUMNS, "reason", "outcome", "detail", "actor_id", "occurred_at"]),
    index=st.integers(min_value=0, max_value=3),
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12),
)
def test_any_edit_of_any_sealed_event_is_caught(settings, tmp_path_factory, column, index, text):
    settings.SHUREN_AUDIT_CHECKPOINT_DIR = str(tmp_path_factory.mktemp("checkpoints"))
    with transaction.atomic():
        events = sealed(make_events(4))
        value = {
            "outcome": "failure",
            "detail": json.dumps({"n": text}),
            "actor_id": 4242,
            "occurred_at": events[index].occurred_at - dt.timedelta(seconds=1),
        }.get(column, text + "x")
        tamper(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [value, events[index].pk])  # noqa: S608
        report = verify_chain()
        assert not report.ok and report.bad_seq == events[index].seq
        transaction.set_rollback(True)


def test_a_chain_recomputed_without_the_key_is_caught(capsys):
    """Edit an event, recompute its hash and every later one with plain SHA-256 and point the head at
    the new end: without the key neither the rows nor the head's signature can be redone."""
    events = sealed(make_events(4))
    tamper("UPDATE audit_auditevent SET actor_username = %s WHERE id = %s", ["nobody", events[1].pk])
    previous = events[0].hash
    for event in AuditEvent.objects.filter(seq__gte=events[1].seq).order_by("seq"):
        new_hash = hashlib.sha256(previous.encode() + event.canonical()).hexdigest()
        tamper("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [previous, new_hash, event.pk])
        previous = new_hash
    ChainHead.objects.filter(pk=1).update(last_hash=previous)
    assert "signed" in broken(capsys)
    restore_head({**head_values(), "last_hash": events[-1].hash})
    assert f"seq {events[1].seq}" in broken(capsys)


def test_a_head_rewritten_without_the_key_is_caught(capsys):
    sealed(make_events(3))
    tamper("DELETE FROM audit_auditevent WHERE seq = 3")
    ChainHead.objects.filter(pk=1).update(last_seq=2, last_hash=AuditEvent.objects.get(seq=2).hash)
    assert "signed" in broken(capsys)


def test_deleting_the_newest_events_is_caught(capsys):
    sealed(make_events(4))
    tamper("DELETE FROM audit_auditevent WHERE seq >= 3")
    assert "newest events are missing" in broken(capsys)


def test_rolling_the_database_back_is_caught_by_the_checkpoint_file(capsys, settings):
    """Delete the newest events and put back the head as it was before them (a validly signed older
    state): the database alone is consistent again; the checkpoint file outside it is not."""
    sealed(make_events(3))
    before = head_values()
    sealed(make_events(2))
    tamper("DELETE FROM audit_auditevent WHERE seq > 3")
    restore_head(before)
    directory = settings.SHUREN_AUDIT_CHECKPOINT_DIR
    settings.SHUREN_AUDIT_CHECKPOINT_DIR = ""
    assert verify_chain(seal=False).ok  # what the database alone can tell
    settings.SHUREN_AUDIT_CHECKPOINT_DIR = directory
    assert "checkpoint file records the chain up to seq 5" in broken(capsys)
    with pytest.raises(ChainBroken):
        seal_events()  # and the sealer refuses to build on it


def test_deleting_every_event_and_the_head_is_caught_by_the_checkpoint_file(capsys):
    sealed(make_events(2))
    tamper("DELETE FROM audit_auditevent")
    ChainHead.objects.all().delete()
    assert "newest events are missing" in broken(capsys)


def test_deleting_the_oldest_events_without_the_purge_is_caught(capsys):
    sealed(make_events(4))
    tamper("DELETE FROM audit_auditevent WHERE seq <= 2")
    assert "oldest events are missing" in broken(capsys)


def test_a_row_inserted_below_the_sealed_mark_is_caught(capsys):
    events = sealed(make_events(3))
    free_id = min(e.pk for e in events) - 1
    tamper(
        "INSERT INTO audit_auditevent (id, occurred_at, actor_username, actor_role, ip, request_id, action, "
        "object_type, object_id, scope, outcome, reason, detail) "
        "SELECT %s, occurred_at, actor_username, actor_role, ip, request_id, 'auth.login', object_type, "
        "object_id, scope, outcome, reason, detail FROM audit_auditevent WHERE id = %s",
        [free_id, events[0].pk],
    )
    assert f"row id {free_id}" in broken(capsys)
    assert AuditEvent.objects.get(pk=free_id).hash is None  # the sealer did not chain it in


def test_an_edited_checkpoint_file_is_caught(capsys, checkpoint_dir):
    sealed(make_events(2))
    path = checkpoint_dir / chain.CHECKPOINT_FILE
    line = json.loads(path.read_text())
    line["last_seq"] = 1
    path.write_text(json.dumps(line) + "\n")
    assert "not signed" in broken(capsys)


# --- purge -------------------------------------------------------------------------------------


def test_the_purge_moves_the_chain_start_and_verification_still_passes(checkpoint_dir, capsys):
    with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=400)):
        old = sealed(make_events(3))
    recent = make_events(2)
    assert purge_expired_events(retention_days=365) == 3
    assert verify_chain().ok
    head = ChainHead.objects.get(pk=1)
    assert (head.first_seq, head.anchor_hash) == (old[-1].seq + 1, old[-1].hash)
    newest = chain.newest_checkpoint()
    assert (newest.first_seq, newest.anchor) == (head.first_seq, head.anchor_hash)
    assert sealed(recent)[0].prev_hash == old[-1].hash
    # deleting the oldest kept event as well, without the purge, is caught
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(days=400)):
        tamper("DELETE FROM audit_auditevent WHERE seq = %s", [head.first_seq])
    assert "oldest events are missing" in broken(capsys)


# --- settings ----------------------------------------------------------------------------------


def test_deploy_check_warns_without_a_key_or_a_checkpoint_directory(settings):
    settings.SHUREN_AUDIT_KEY = ""
    settings.SHUREN_AUDIT_CHECKPOINT_DIR = ""
    assert {w.id for w in check_audit_chain_settings(None)} == {"shuren.W010", "shuren.W012"}
    settings.SHUREN_AUDIT_KEY = "a-key-of-its-own"
    settings.SHUREN_AUDIT_CHECKPOINT_DIR = "/var/lib/shuren-audit"
    assert check_audit_chain_settings(None) == []


# --- concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_an_id_committed_after_a_higher_one_is_sealed_in_its_place():
    """A transaction that took a lower id commits after one with a higher id: the sealer does not
    pass it while it is open, and seals both, in id order, once it has committed."""
    opened, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                outcome["slow"] = record_event("test.slow").pk
                opened.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert opened.wait(30)
    fast = record_event("test.fast")
    try:
        report = seal_events(settle_seconds=0)
        assert not report.settled and report.sealed == 0
    finally:
        release.set()
        thread.join(30)
    assert outcome["slow"] < fast.pk
    assert seal_events().sealed == 2
    slow_seq = AuditEvent.objects.get(pk=outcome["slow"]).seq
    assert slow_seq < AuditEvent.objects.get(pk=fast.pk).seq
    assert verify_chain().ok


@pytest.mark.postgres_only
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_an_open_transaction_with_the_newest_transaction_id_is_sealed_in_its_place():
    """No transaction has taken a transaction id after the open one, so no snapshot lists it as
    running (a snapshot lists those older than the newest that has ended): the sealer must wait for
    it all the same, or it seals the event before, moves its mark past the open one's, and leaves
    that one unsealed for good once it commits."""
    earlier = record_event("test.earlier")
    opened, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def open_writer() -> None:
        try:
            with transaction.atomic():
                outcome["id"] = record_event("test.open").pk
                opened.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=open_writer)
    thread.start()
    assert opened.wait(30)
    try:
        assert not seal_events(settle_seconds=0).settled
    finally:
        release.set()
        thread.join(30)
    seal_events()
    assert list(AuditEvent.objects.order_by("seq").values_list("id", "seq")) == [(earlier.pk, 1), (outcome["id"], 2)]
    assert verify_chain().ok


# --- the migration from the SHA-256 chain ------------------------------------------------------


def _legacy_chain(n: int, first_seq: int, *, edit: int | None = None) -> list[AuditEvent]:
    """Events as the SHA-256 chain before the key wrote them (seq, prev_hash and hash at insert)."""
    events = make_events(n, action="test.legacy")
    previous = "0" * 64
    for seq, event in enumerate(events, start=first_seq):
        event.seq, event.prev_hash = seq, previous
        event.hash = hashlib.sha256(previous.encode() + event.canonical()).hexdigest()
        tamper(
            "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [seq, previous, event.hash, event.pk],
        )
        previous = event.hash
    ChainHead.objects.update_or_create(pk=1, defaults={"last_seq": first_seq + n - 1, "last_hash": previous})
    if edit is not None:
        tamper("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [events[edit].pk])
    return events


def _migrate_to_the_keyed_chain() -> None:
    import importlib

    from django.apps import apps

    from shuren.audit import triggers

    migration = importlib.import_module("shuren.audit.migrations.0003_sealed_chain")
    triggers.remove(connection)
    try:
        migration.restart_chain_under_key(apps, None)
    finally:
        triggers.install(connection)


def test_the_migration_reseals_an_intact_sha256_chain_under_the_key_keeping_its_numbers():
    legacy = _legacy_chain(3, first_seq=41)  # 1..40 purged long ago
    _migrate_to_the_keyed_chain()
    assert not AuditEvent.objects.filter(hash__isnull=False).exists()
    report = verify_chain()
    assert report.ok and report.checked == 4
    assert [e.seq for e in sealed(legacy)] == [41, 42, 43]
    note = AuditEvent.objects.get(action="audit.chain_rekeyed")
    assert note.seq == 44 and note.outcome == "success"
    assert note.detail["legacy_chain"]["last_hash"] == legacy[-1].hash


def test_the_migration_records_a_broken_sha256_chain_before_resealing_it():
    legacy = _legacy_chain(3, first_seq=1, edit=1)
    _migrate_to_the_keyed_chain()
    note = AuditEvent.objects.get(action="audit.chain_rekeyed")
    assert note.outcome == "failure"
    assert note.detail["legacy_chain"]["bad_seq"] == legacy[1].seq
    assert verify_chain().ok  # the new chain keeps the record of it

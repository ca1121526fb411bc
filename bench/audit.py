"""The audit log: writing events from many transactions at once, and sealing them.

- record: ``--threads`` threads, each committing ``--per-thread`` transactions that record one event
  with ``record_event`` (no lock: the event is sealed later). Floor: the same threads and
  transactions inserting the same columns into a plain copy of the table (no triggers, no indexes)
  with one raw INSERT.
- the chain's lock in the writers' transactions (PostgreSQL): while each record phase runs, a
  sampler inside the server (a PL/pgSQL loop on its own connection, so the benchmark's threads
  cannot slow it) reads ``pg_stat_activity`` and ``pg_locks`` for the writers' backends about every
  millisecond (``pg_sleep(0.001)``; the run prints the interval achieved). It counts the samples in
  which a writer holds or waits for a lock on the chain head (``audit_chainhead``) or waits for a
  row lock (the only rows writers could share are audit rows), and those in which it waits for any
  heavyweight lock (``wait_event_type = 'Lock'``). The share of samples in which some writer holds
  the head lock, times the phase's duration, divided by the writes, is the lock's hold time per
  write; one over it is the write rate the chain allows, whatever the cores ("no bound" when it is
  never held). Beside it the old design's shape, floor-style: the same threads record the same event
  and then, as the last statement before commit, lock the head row (``SELECT … FOR UPDATE``) — the
  least the old chain held, which took the lock at the audit insert and computed the hash under it.
  Its hold is also timed in the writers (lock granted → commit returned) as a check on the sampling.
  The record floor and the old shape are sampled alike, so each pays the sampler's cost.
  On SQLite the database itself lets one transaction write at a time (``BEGIN IMMEDIATE``), with or
  without a chain; there is no lock of the chain's to sample, and the benchmark says so.
- seal: ``seal_events`` over the events just written (number, HMAC, bulk update, signed head,
  checkpoint line). Floor: the same HMACs computed in Python and written with one raw
  ``executemany`` UPDATE into the plain copy (given an index on id first, as the audit table has its
  primary key). The head lock (on SQLite the database's write lock) is timed from the statement
  that takes it to the commit that releases it, per batch and per sealed event (the sealing
  batches, the empty last look and the checkpoint's publication under the lock); events sealed ÷
  that time is the rate one sealer keeps up with (target: 1,000 events/s or more).

    python bench/audit.py [--threads 8] [--per-thread 500] [--batch 1000]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, report, setup_django, stopwatch  # noqa: E402

FLOOR_TABLE = "bench_audit_floor"
COLUMNS = (
    "occurred_at, actor_username, actor_role, ip, request_id, action, object_type, object_id, scope, outcome, "
    "reason, detail"
)
SAMPLE_EVERY = 0.001  # seconds between two samples of the writers' locks
OLD_SHAPE = "old design's shape: head FOR UPDATE, then commit"
# The sampler runs inside the server, so that it samples every millisecond whatever the load on the
# benchmark's own process: each tick reads the writers' backends (a fresh pg_stat_activity) and their
# locks, until none of them is connected any more. Per writer: what it waits for; whether it holds or
# waits for any lock on the chain head's table (a row lock on the head takes one on its table too);
# whether it waits for a row lock (the only rows writers could share are audit rows). Only a writer
# that does not wait holds the head.
SAMPLER_SQL = """
CREATE FUNCTION pg_temp.sample_writers(writers int[], head oid, every float8)
RETURNS TABLE (ticks int, head_held_ticks int, writer_samples int, chain_samples int, lock_waits int, waits jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    writer record;
    present int;
    held boolean;
    state text;
BEGIN
    ticks := 0; head_held_ticks := 0; writer_samples := 0; chain_samples := 0; lock_waits := 0; waits := '{}';
    LOOP
        PERFORM pg_stat_clear_snapshot();
        present := 0;
        held := false;
        FOR writer IN
            SELECT a.wait_event_type AS kind, a.wait_event AS event,
                   coalesce(bool_or(l.relation = head), false) AS on_head,
                   coalesce(bool_or(NOT l.granted AND l.locktype IN ('tuple', 'transactionid')), false) AS row_wait
            FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid
            WHERE a.pid = ANY(writers)
            GROUP BY a.pid, a.wait_event_type, a.wait_event
        LOOP
            present := present + 1;
            held := held OR (writer.on_head AND writer.kind IS DISTINCT FROM 'Lock');
            chain_samples := chain_samples + (writer.on_head OR writer.row_wait)::int;
            lock_waits := lock_waits + (writer.kind IS NOT DISTINCT FROM 'Lock')::int;
            state := coalesce(writer.kind || ':' || writer.event, 'running');
            waits := jsonb_set(waits, ARRAY[state], to_jsonb(coalesce((waits ->> state)::int, 0) + 1));
        END LOOP;
        EXIT WHEN present = 0;
        ticks := ticks + 1;
        head_held_ticks := head_held_ticks + held::int;
        writer_samples := writer_samples + present;
        PERFORM pg_sleep(every);
    END LOOP;
    RETURN NEXT;
END;
$$
"""


@dataclass
class Phase:
    """One run of the writers: how many transactions, how long, and their backends' pids."""

    writes: int
    elapsed: float
    pids: list[int]

    @property
    def rate(self) -> float:
        return self.writes / self.elapsed


@dataclass
class LockSamples:
    ticks: int = 0  # samples taken
    head_held_ticks: int = 0  # ticks in which some writer held a lock on the chain head
    writer_samples: int = 0  # (tick, writer) pairs
    chain_samples: int = 0  # ... in which the writer held or waited for the head, or waited for a row
    lock_waits: int = 0  # ... in which it waited for any heavyweight lock
    waits: Counter[str] = field(default_factory=Counter)  # wait_event_type:wait_event of each pair

    def hold_per_write(self, phase: Phase) -> float:
        """Seconds the head lock is held per write: the share of ticks it is held, over the phase."""
        return self.head_held_ticks / self.ticks * phase.elapsed / phase.writes if self.ticks else 0.0

    def share(self, count: int) -> float:
        return 100 * count / self.writer_samples if self.writer_samples else 0.0


def sample_locks(pids: list[int], samples: LockSamples) -> None:
    """Sample the writers' locks until their connections have closed (on a connection of its own)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(SAMPLER_SQL)
            cursor.execute(
                "SELECT * FROM pg_temp.sample_writers(%s, 'audit_chainhead'::regclass, %s)", [pids, SAMPLE_EVERY]
            )
            ticks, held, writer_samples, chain, lock_waits, waits = cursor.fetchone()
    finally:
        connection.close()
    samples.ticks, samples.head_held_ticks, samples.writer_samples = ticks, held, writer_samples
    samples.chain_samples, samples.lock_waits = chain, lock_waits
    samples.waits.update(json.loads(waits) if isinstance(waits, str) else waits)


def in_threads(
    threads: int, per_thread: int, work: Callable[[int, int], None], *, samples: LockSamples | None = None
) -> Phase:
    """``threads`` threads each committing ``per_thread`` transactions of ``work``, while the writers'
    locks are sampled into ``samples`` (PostgreSQL)."""
    from django.db import connection, transaction

    barrier = threading.Barrier(threads + 1)
    errors: list[BaseException] = []
    pids: list[int] = []

    def run(n: int) -> None:
        try:
            if samples is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pids.append(cursor.fetchone()[0])
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    work(n, i)
        except BaseException as exc:  # reported below
            barrier.abort()
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    sampler = None
    if samples is not None:  # until the writers have closed their connections
        sampler = threading.Thread(target=sample_locks, args=(list(pids), samples))
        sampler.start()
    with stopwatch() as elapsed:
        for worker in workers:
            worker.join()
    if sampler is not None:
        sampler.join()
    if errors:
        raise errors[0]
    return Phase(threads * per_thread, elapsed(), pids)


class HeadLockTimer:
    """Times the chain head's lock in the sealer: from the statement that takes it (the head's
    ``SELECT … FOR UPDATE``; on SQLite the database's write lock, taken when the transaction began
    just before) to the commit that releases it, with the events the transaction sealed. A database
    execute wrapper, so the sealer runs unchanged."""

    def __init__(self) -> None:
        self.holds: list[tuple[float, int]] = []  # (seconds, events sealed) per transaction
        self._current: list[Any] | None = None

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        from django.db import transaction

        result = execute(sql, params, many, context)
        connection = context["connection"]
        takes_head = "audit_chainhead" in sql and sql.lstrip().upper().startswith("SELECT")
        if connection.vendor == "postgresql":
            takes_head = takes_head and "FOR UPDATE" in sql
        if self._current is None and takes_head and connection.in_atomic_block:
            current = self._current = [time.perf_counter(), 0]
            transaction.on_commit(lambda: self._released(current), using=connection.alias)
        elif self._current is not None and many and sql.lstrip().upper().startswith("UPDATE"):
            self._current[1] += len(params)
        return result

    def _released(self, current: list[Any]) -> None:
        self.holds.append((time.perf_counter() - current[0], current[1]))
        self._current = None


def ms(seconds: float) -> float:
    return seconds * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=500)
    parser.add_argument("--batch", type=int, default=1000, help="the sealer's batch size (seal_events' default)")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from shuren.audit.chain import audit_key, row_hash
    from shuren.audit.models import AuditEvent
    from shuren.audit.services import record_event, seal_events

    settings.SHUREN_AUDIT_CHECKPOINT_DIR = tempfile.mkdtemp(prefix="shuren-bench-audit-")
    on_postgresql = connection.vendor == "postgresql"
    seal_events()  # start from a sealed log (and a head row to lock)
    first_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} AS SELECT * FROM audit_auditevent WHERE 1 = 0")  # noqa: S608

    def record(n: int, i: int) -> None:
        record_event("bench.audit", object_type="bench", object_id=str(i), detail={"thread": n, "i": i})

    def floor_insert(n: int, i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FLOOR_TABLE} (id, {COLUMNS}) VALUES (%s, %s, '', '', '', '', "  # noqa: S608
                "'bench.audit', 'bench', %s, '', 'success', '', %s)",
                [n * 10**9 + i, timezone.now(), str(i), json.dumps({"thread": n, "i": i})],
            )

    old_holds: list[float] = []

    def record_old_shape(n: int, i: int) -> None:
        record_event("bench.audit.old_shape", object_type="bench", object_id=str(i), detail={"thread": n, "i": i})
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM audit_chainhead WHERE id = 1 FOR UPDATE")
        locked = time.perf_counter()
        transaction.on_commit(lambda: old_holds.append(time.perf_counter() - locked))

    threads = args.threads
    new_samples = LockSamples() if on_postgresql else None
    floor_samples = LockSamples() if on_postgresql else None
    recorded = in_threads(threads, args.per_thread, record, samples=new_samples)
    floor = in_threads(threads, args.per_thread, floor_insert, samples=floor_samples)
    figures = [
        Figure(
            f"audit record ({threads} threads)",
            "throughput (transactions/s)",
            recorded.rate,
            "/s",
            floor.rate,
            "raw INSERT into a plain table",
        )
    ]

    # --- sealing -------------------------------------------------------------------------------
    with connection.cursor() as cursor:  # the floor's UPDATE finds its row by id, as the sealer's does
        cursor.execute(f"CREATE UNIQUE INDEX {FLOOR_TABLE}_id ON {FLOOR_TABLE} (id)")
    pending = AuditEvent.objects.filter(hash__isnull=True).count()
    timer = HeadLockTimer()
    with connection.execute_wrapper(timer), stopwatch() as elapsed:
        sealed = seal_events(batch_size=args.batch).sealed
    sealing = sealed / elapsed()
    key = audit_key()
    rows = list(AuditEvent.objects.filter(id__gt=first_id, action="bench.audit").order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {FLOOR_TABLE} ORDER BY id")  # noqa: S608
        floor_ids = [row[0] for row in cursor.fetchall()]
    with stopwatch() as floor_elapsed, connection.cursor() as cursor:
        previous = "0" * 64
        updates = []
        for seq, (event, floor_id) in enumerate(zip(rows, floor_ids, strict=True), start=1):
            event.seq = seq
            previous = row_hash(previous, event.canonical(), key=key)
            updates.append((seq, previous, floor_id))
        cursor.executemany(f"UPDATE {FLOOR_TABLE} SET seq = %s, hash = %s WHERE id = %s", updates)  # noqa: S608
    floor_per_event = floor_elapsed() / len(rows)
    held = sum(seconds for seconds, _ in timer.holds)
    batches = [seconds for seconds, events in timer.holds if events == args.batch] or [
        seconds for seconds, events in timer.holds if events
    ]
    batch_events = args.batch if any(events == args.batch for _, events in timer.holds) else sealed
    lock = "head lock" if on_postgresql else "write lock"
    seal_name = f"audit seal ({sealed} events)"
    figures += [
        Figure(
            seal_name, "throughput (events/s)", sealing, "/s", 1 / floor_per_event, "same HMACs, raw executemany UPDATE"
        ),
        Figure(
            seal_name,
            f"{lock} per batch of {batch_events} (ms)",
            ms(sum(batches) / len(batches)),
            "ms",
            ms(floor_per_event * batch_events),
            "same HMACs, raw executemany UPDATE",
        ),
        Figure(
            seal_name,
            f"{lock} per event (ms)",
            ms(held / sealed),
            "ms",
            ms(floor_per_event),
            "same HMACs, raw executemany UPDATE",
        ),
        Figure(
            seal_name,
            "ceiling, one sealer (events/s)",
            sealed / held,
            "/s",
            1 / floor_per_event,
            "same HMACs, raw executemany UPDATE",
        ),
    ]

    # --- the old design's shape (PostgreSQL) -----------------------------------------------------
    old = old_samples = None
    if on_postgresql:
        old_samples = LockSamples()
        old = in_threads(threads, args.per_thread, record_old_shape, samples=old_samples)
        seal_events(batch_size=args.batch)  # leave the log sealed (not measured)
        assert new_samples is not None and floor_samples is not None
        new_hold, old_hold = new_samples.hold_per_write(recorded), old_samples.hold_per_write(old)
        figures += [
            Figure(
                f"audit record ({threads} threads)",
                "chain lock held per write (ms)",
                ms(new_hold),
                "ms",
                ms(old_hold),
                OLD_SHAPE,
            ),
            Figure(
                f"audit record ({threads} threads)",
                "write ceiling from the chain (/s)",
                1 / new_hold if new_hold else math.inf,
                "/s",
                1 / old_hold if old_hold else math.inf,
                OLD_SHAPE,
            ),
            Figure(
                f"audit record ({threads} threads)",
                "writer samples on the chain (%)",
                new_samples.share(new_samples.chain_samples),
                "%",
                old_samples.share(old_samples.chain_samples),
                OLD_SHAPE,
            ),
            Figure(
                f"audit record ({threads} threads)",
                "writer samples waiting on a Lock (%)",
                new_samples.share(new_samples.lock_waits),
                "%",
                old_samples.share(old_samples.lock_waits),
                OLD_SHAPE,
            ),
            Figure(
                f"audit old shape ({threads} threads)",
                "throughput (transactions/s)",
                old.rate,
                "/s",
                floor.rate,
                "raw INSERT into a plain table",
            ),
        ]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    report(figures, "audit")

    # --- in words --------------------------------------------------------------------------------
    print()
    if on_postgresql and new_samples and floor_samples and old and old_samples:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('fsync'), current_setting('synchronous_commit')")
            fsync, synchronous_commit = cursor.fetchone()
        print(f"Server: fsync {fsync}, synchronous_commit {synchronous_commit}.")
        for name, phase, samples in (
            ("record_event", recorded, new_samples),
            ("raw INSERT (floor)", floor, floor_samples),
            (OLD_SHAPE, old, old_samples),
        ):
            top = ", ".join(f"{kind} {samples.share(n):.1f}%" for kind, n in samples.waits.most_common(4))
            print(
                f"{name}: {phase.rate:,.0f} transactions/s; {samples.ticks} samples in {phase.elapsed:.2f} s "
                f"(one every {ms(phase.elapsed / max(samples.ticks, 1)):.1f} ms), {samples.writer_samples} of a "
                f"writer: the head lock held in {samples.head_held_ticks} samples; a writer holding or waiting for "
                f"the chain in {samples.chain_samples}, waiting on a Lock in {samples.lock_waits}. "
                f"Writers: {top}."
            )
        new_hold = new_samples.hold_per_write(recorded)
        if new_hold:
            print(
                f"record_event: the chain's lock is held {ms(new_hold):.3f} ms per write: "
                f"a ceiling of {1 / new_hold:,.0f} writes/s."
            )
        else:
            print(
                f"record_event: no writer held or waited for the chain's lock in any of {new_samples.ticks} "
                "samples: the chain sets no bound on writes/s (the ceiling is the database's and the cores')."
            )
        old_hold = old_samples.hold_per_write(old)
        timed = sum(old_holds) / len(old_holds)
        print(
            f"{OLD_SHAPE}: the head held {ms(old_hold):.3f} ms per write as sampled, {ms(timed):.3f} ms as timed "
            f"in the writers (lock granted → commit returned): a ceiling of "
            f"{1 / old_hold if old_hold else math.inf:,.0f} (sampled) / {1 / timed:,.0f} (timed) writes/s, "
            "whatever the cores."
        )
    else:
        print(
            "SQLite: the database lets one transaction write at a time (BEGIN IMMEDIATE), with or without the "
            "chain; record_event takes no lock of its own and touches no shared row, so the write ceiling is "
            "SQLite's, not the chain's. The sealer's transaction holds that write lock while it seals a batch "
            "(the 'write lock' figures above): writers wait that long."
        )
    per_batch = ", ".join(f"{ms(seconds):.1f} ms/{events}" for seconds, events in timer.holds)
    print(
        f"Sealer: {lock} held {ms(held):.1f} ms for {sealed} events ({pending} pending) over "
        f"{len(timer.holds)} transactions ({per_batch}): {sealed / held:,.0f} events/s (target ≥ 1,000/s)."
    )


if __name__ == "__main__":
    main()

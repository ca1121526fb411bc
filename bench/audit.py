"""The audit log: writing events from many transactions at once, and sealing them.

- record: ``--threads`` threads, each committing ``--per-thread`` transactions that record one event
  with ``record_event`` (no lock: the event is sealed later). Floor: the same threads and
  transactions inserting the same columns into a plain copy of the table (no triggers, no indexes)
  with one raw INSERT.
- seal: ``seal_events`` over the events just written (number, HMAC, bulk update, signed head,
  checkpoint line). Floor: the same HMACs computed in Python and written with one raw
  ``executemany`` UPDATE into the plain copy.

    python bench/audit.py [--threads 8] [--per-thread 250]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, report, setup_django, stopwatch  # noqa: E402

FLOOR_TABLE = "bench_audit_floor"
COLUMNS = (
    "occurred_at, actor_username, actor_role, ip, request_id, action, object_type, object_id, scope, outcome, "
    "reason, detail"
)


def in_threads(threads: int, per_thread: int, work) -> float:  # type: ignore[no-untyped-def]
    """Transactions per second of ``threads`` threads each running ``work`` ``per_thread`` times."""
    from django.db import connection, transaction

    barrier = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    work(n, i)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    with stopwatch() as elapsed:
        barrier.wait()
        for worker in workers:
            worker.join()
    if errors:
        raise errors[0]
    return threads * per_thread / elapsed()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=250)
    args = parser.parse_args()
    setup_django()
    import json

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from shuren.audit.chain import audit_key, row_hash
    from shuren.audit.models import AuditEvent
    from shuren.audit.services import record_event, seal_events

    settings.SHUREN_AUDIT_CHECKPOINT_DIR = tempfile.mkdtemp(prefix="shuren-bench-audit-")
    seal_events()  # start from a sealed log
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

    figures = []
    records = in_threads(args.threads, args.per_thread, record)
    floor = in_threads(args.threads, args.per_thread, floor_insert)
    figures.append(
        Figure(
            f"audit record ({args.threads} threads)",
            "throughput (transactions/s)",
            records,
            "/s",
            floor,
            "raw INSERT into a plain table",
        )
    )

    pending = AuditEvent.objects.filter(hash__isnull=True).count()
    with stopwatch() as elapsed:
        sealed = seal_events().sealed
    sealing = sealed / elapsed()
    key = audit_key()
    rows = list(AuditEvent.objects.filter(action="bench.audit").order_by("id")[:pending])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {FLOOR_TABLE} ORDER BY id")  # noqa: S608
        floor_ids = [row[0] for row in cursor.fetchall()]
    with stopwatch() as floor_elapsed, connection.cursor() as cursor:
        previous = "0" * 64
        updates = []
        for seq, (event, floor_id) in enumerate(zip(rows, floor_ids, strict=False), start=1):
            event.seq = seq
            previous = row_hash(previous, event.canonical(), key=key)
            updates.append((seq, previous, floor_id))
        cursor.executemany(f"UPDATE {FLOOR_TABLE} SET seq = %s, hash = %s WHERE id = %s", updates)  # noqa: S608
    figures.append(
        Figure(
            f"audit seal ({sealed} events)",
            "throughput (events/s)",
            sealing,
            "/s",
            len(rows) / floor_elapsed(),
            "same HMACs, raw executemany UPDATE",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
    report(figures, "audit")


if __name__ == "__main__":
    main()

"""The table `make bench` ends with: the headline figure of each benchmark next to its floor,
measured in the same run, and the ratio, read from the result files the benchmarks wrote.

    python bench/summary.py postgresql [sqlite]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, _number  # noqa: E402

# (result file, benchmark, measure, what the figure is)
HEADLINES = [
    ("appeals_api", "submit appeal (API)", "throughput (requests/s)", "appeal submit throughput"),
    ("appeals_api", "submit appeal (API)", "p99 latency (ms)", "appeal submit p99"),
    ("appeals_api", "open list (API)", "p95 latency (ms)", "scoped appeal list p95 (API)"),
    ("appeals_api", "open list (console)", "p95 latency (ms)", "scoped appeal list p95 (console)"),
    ("scale_out", "submit, direct ×1", "throughput", "submit /s, 1 process, direct"),
    ("scale_out", "submit, pgbouncer ×1", "throughput", "submit /s, 1 process, PgBouncer"),
    ("scale_out", "submit, pgbouncer ×2", "throughput", "submit /s, 2 processes, PgBouncer"),
    ("scale_out", "submit, pgbouncer ×2", "p99", "submit p99, 2 processes, PgBouncer"),
    ("scale_out", "list, direct ×1", "throughput", "open list /s, 1 process, direct"),
    ("scale_out", "list, pgbouncer ×2", "throughput", "open list /s, 2 processes, PgBouncer"),
    ("scale_out", "list, pgbouncer ×2", "p95", "open list p95, 2 processes, PgBouncer"),
    ("dashboard", "subdistrict dashboard (30 days)", "p95 latency (ms)", "subdistrict dashboard p95, 30 days"),
    ("dashboard", "subdistrict dashboard (12 months)", "p95 latency (ms)", "subdistrict dashboard p95, 12 months"),
    ("import_residents", "import residents", "import ", "100k-row import rate"),
    ("audit", "audit record (", "throughput", "audit events recorded ("),
    ("audit", "audit record (", "chain lock held per write", "audit chain lock held per write ("),
    ("audit", "audit record (", "write ceiling from the chain", "write ceiling the audit chain sets ("),
    ("audit", "audit seal", "throughput", "audit events sealed"),
    ("audit", "audit seal", "head lock per batch", "audit head lock per sealed batch"),
    ("audit", "audit seal", "write lock per batch", "SQLite write lock per sealed batch"),
    ("audit", "audit seal", "ceiling, one sealer", "events/s one audit sealer keeps up with"),
    ("notify_fanout", "notify fan-out", "queue time", "notice to 10,000 users queued"),
    ("notify_fanout", "notify delivery", "throughput", "outbox delivered, one worker"),
]


def main() -> None:
    for database in sys.argv[1:] or ["postgresql"]:
        rows = []
        machine = ""
        for name, benchmark, measure, label in HEADLINES:
            path = RESULTS / f"{name}-{database}.json"
            if not path.exists():
                continue
            data = json.loads(path.read_text())
            machine = data["machine"]
            for figure in data["figures"]:
                if figure["benchmark"].startswith(benchmark) and figure["measure"].startswith(measure):
                    rows.append((label + figure["benchmark"][len(benchmark) :], figure))
        if not rows:
            print(f"(no results for {database})")
            continue
        print(f"\n== Summary, {database} · {machine}")
        header = f"{'':<48} {'figure':>16} {'floor':>16} {'ratio':>8}  floor"
        print(header)
        print("-" * (len(header) + 30))
        for label, f in rows:
            unit = f["unit"]
            print(
                f"{label:<48} {shown(f['value']):>11} {unit:<4} {shown(f['floor']):>11} {unit:<4} "
                f"{f['ratio']:>7.2f}×  {f['floor_name']}"
            )


def shown(value: float) -> str:
    """A figure as the table prints it: an unbounded ceiling (no lock measured) as "no bound"."""
    return "no bound" if math.isinf(value) else _number(value)


if __name__ == "__main__":
    main()

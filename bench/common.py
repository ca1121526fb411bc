"""Shared helpers for the benchmarks: Django set-up, timing, the results table.

Every benchmark measures a floor in the same run (the same work done the plainest possible way on
the same machine and database) and reports the ratio, so figures compare across machines."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings.dev")
    import django

    django.setup()


@dataclass
class Figure:
    benchmark: str
    measure: str
    value: float
    unit: str
    floor: float
    floor_name: str

    @property
    def ratio(self) -> float:
        """How many times the floor's cost the real path costs (1.0 = as fast as the floor)."""
        if self.unit.endswith("/s"):
            return self.floor / self.value if self.value else float("inf")
        return self.value / self.floor if self.floor else float("inf")


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    started = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - started
    elapsed.append(time.perf_counter() - started)


def database_name() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"sqlite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"postgresql {version // 10000}.{version % 100}"
    return connection.vendor


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{platform.machine()}, {os.cpu_count()} CPU, {memory:.0f} GB, Python {platform.python_version()}, "
        f"{platform.system()}{load}"
    )


def _number(value: float) -> str:
    """Thousands without decimals; small values (milliseconds) with enough digits to compare."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def report(figures: list[Figure], name: str) -> None:
    header = f"{'benchmark':<24} {'measure':<30} {'value':>14} {'floor':>14}  {'ratio':>6}  floor is"
    print(header)
    print("-" * len(header))
    for f in figures:
        print(
            f"{f.benchmark:<24} {f.measure:<30} {_number(f.value):>10} {f.unit:<3} {_number(f.floor):>10} {f.unit:<3} "
            f"{f.ratio:>6.2f}  {f.floor_name}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}-{database_name().split()[0]}.json"
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "database": database_name(),
                "figures": [asdict(f) | {"ratio": round(f.ratio, 3)} for f in figures],
            },
            ensure_ascii=False,
            indent=2,
        )
    )

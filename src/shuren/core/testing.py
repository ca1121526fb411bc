"""Test support shared by the concurrency tests of every app: real threads against a real database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")


def run_at_once(jobs: Sequence[Callable[[Callable[[], Any]], T]], *, timeout: float = 60) -> list[T]:
    """Run each job in its own thread, each with its own database connection, and release them together.

    A job receives ``start``: it prepares (reads what the person's page showed), calls ``start()`` to
    wait until every job is ready, then acts and returns its outcome. The outcomes come back in the
    order of ``jobs``. An exception a job lets out, or a job still running after ``timeout`` seconds,
    fails the caller."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[Callable[[], Any]], T]) -> None:
        try:
            outcomes[index] = job(lambda: barrier.wait(timeout=30))
        except BaseException as exc:  # reported to the caller below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a job is still running"
    assert errors == [], errors
    return outcomes

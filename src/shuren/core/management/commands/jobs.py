"""`shuren jobs reap` (from cron every minute: queue again the jobs whose worker died, or give them
up after their last attempt) and `shuren jobs work [db_worker options]` (the worker: reaps once at
start and every half lease while it runs, then works off the queue as `shuren db_worker` does)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

logger = logging.getLogger("shuren.core.jobs")


def _reap_now() -> dict[str, int]:
    from shuren.core.jobs import reap

    return reap()


def _reap_every(seconds: float, stop: threading.Event) -> None:
    from django.db import connections

    while not stop.wait(seconds):
        try:
            _reap_now()
        except Exception:  # a failed round is logged and tried again next time
            logger.exception("reaping lost jobs failed")
        finally:
            connections.close_all()  # this thread's connections only


class Command(BaseCommand):
    help = "Background jobs: `reap` (requeue jobs whose worker died) | `work` (reap, then run the worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["reap", "work"])
        parser.add_argument("worker_args", nargs="*", help="Options for db_worker after `--` (work only).")

    def handle(self, *args: Any, **options: Any) -> None:
        from shuren.core.jobs import lease_seconds

        result = _reap_now()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in result.items()))
        if options["what"] == "reap":
            return
        stop = threading.Event()
        reaper = threading.Thread(target=_reap_every, args=(max(lease_seconds() / 2, 5), stop), daemon=True)
        reaper.start()
        try:
            call_command("db_worker", *options["worker_args"])
        finally:
            stop.set()

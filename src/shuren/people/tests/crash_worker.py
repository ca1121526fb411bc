"""A worker process for the crash tests: it runs the queue as `shuren db_worker` does, with the
import's progress callback made to stop at a given row, so the test can kill the process there.

Imported by a freshly spawned interpreter, so nothing here touches Django at import time."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, cast


def run_worker_until_killed(database: dict[str, Any], overrides: dict[str, Any], marker: str, stop_at: int) -> None:
    """Set Django up on the test database, then work off the queue; when the import has checked
    ``stop_at`` rows (and reported it: progress every ten rows here), write ``marker`` and hang
    until the test kills us."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuren.settings.test")
    from django.conf import settings

    settings.DATABASES["default"] = cast(Any, database)  # the parent's connection settings
    for name, value in overrides.items():
        setattr(settings, name, value)
    import django

    django.setup()
    from django.core.management import call_command

    from shuren.people.services import imports

    imports.PROGRESS_EVERY = 10
    real = imports.import_residents

    def stopping(**kwargs: Any) -> Any:
        progress = kwargs["progress"]

        def hang_at(phase: str, done: int, total: int | None) -> None:
            progress(phase, done, total)
            if done >= stop_at:
                Path(marker).write_text(str(os.getpid()))
                while True:  # the test kills this process here
                    time.sleep(1)

        return real(**{**kwargs, "progress": hang_at})

    imports.import_residents = stopping
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

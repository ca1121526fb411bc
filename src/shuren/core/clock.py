"""The time the services record: the wall clock, or a moment a story sets.

A demo loader that tells what happened on past days runs the services under ``clock.at(moment)``:
every time those services record (an appeal accepted, its deadlines, its events) is then the
story's, and the records agree with each other as they would have had the work been done then.
Outside such a block ``now()`` is ``django.utils.timezone.now()``. The moment is held in a context
variable: it never leaks to another thread or request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_moment: ContextVar[dt.datetime | None] = ContextVar("shuren_clock_moment", default=None)


def now() -> dt.datetime:
    return _moment.get() or timezone.now()


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Services called inside the block record ``moment`` (an aware datetime) as the present."""
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)

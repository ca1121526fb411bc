"""How code below the audit app records an audit event without importing it (core sits beneath
audit in the layers of docs/architecture.md): the audit app installs its ``record_event`` here when
Django starts, and core calls ``record_event`` from this module. The signature is audit's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Recorder = Callable[..., Any]

_recorder: Recorder | None = None


def install(recorder: Recorder) -> None:
    global _recorder
    _recorder = recorder


def record_event(action: str, **kwargs: Any) -> Any:
    """``shuren.audit.services.record_event``: one event in the caller's transaction."""
    if _recorder is None:
        raise ImproperlyConfigured("The audit app is not installed: nothing can be recorded.")
    return _recorder(action, **kwargs)

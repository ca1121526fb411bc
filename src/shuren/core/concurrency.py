"""Optimistic concurrency: every versioned row changes only from the version the writer read.

Web forms carry the version in a hidden field; API clients send ``If-Match`` with the ETag or the
``version`` in the body. A conditional UPDATE (``WHERE id = .. AND version = ..``) does the check
and the write in one statement, so two writers can never both succeed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F

from .errors import PreconditionFailed, PreconditionRequired, StaleVersion


def etag_for(obj: models.Model) -> str:
    """A strong ETag naming the row and its version, e.g. ``"area-12-v3"``."""
    return f'"{obj._meta.model_name}-{obj.pk}-v{obj.version}"'  # type: ignore[attr-defined]


def expected_version(obj: models.Model, *, if_match: str | None, body_version: Any) -> int:
    """The version the client claims to have read, from If-Match or the body.

    Raises PreconditionFailed (412) when If-Match names another version, StaleVersion (409) when the
    body's version is old, PreconditionRequired (428) when the client sent neither.
    """
    current = obj.version  # type: ignore[attr-defined]
    if if_match:
        tags = [tag.strip() for tag in if_match.split(",")]
        if "*" in tags:
            return current
        if etag_for(obj) not in tags and f"W/{etag_for(obj)}" not in tags:
            raise PreconditionFailed()
        return current
    if body_version not in (None, ""):
        try:
            claimed = int(body_version)
        except (TypeError, ValueError):
            raise StaleVersion() from None
        if claimed != current:
            raise StaleVersion(current_version=current)
        return claimed
    raise PreconditionRequired()


def update_versioned(model: type[models.Model], *, pk: Any, version: int, **fields: Any) -> int:
    """Write ``fields`` only if the row still has ``version``; bump the version. Returns the new
    version or raises StaleVersion when someone else changed the row first."""
    updated = model._default_manager.filter(pk=pk, version=version).update(version=F("version") + 1, **fields)
    if updated == 0:
        raise StaleVersion()
    return version + 1

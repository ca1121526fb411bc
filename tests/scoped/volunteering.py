"""Scoping-matrix objects for the volunteering routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

from tests.scoped_objects import Factory

ROUTES: dict[str, Factory] = {}

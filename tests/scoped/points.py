"""Scoping-matrix objects for the points routes (merged into tests.scoped_objects.OBJECT_ROUTES)."""

from __future__ import annotations

from tests.scoped_objects import Factory

ROUTES: dict[str, Factory] = {}

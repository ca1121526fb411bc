"""Scoping-matrix objects for the stairwell notices' routes (merged into tests.scoped_objects.OBJECT_ROUTES):
another community's notice, household or group robot."""

from shuren.notices.testing import MATRIX_ROUTES as ROUTES

__all__ = ["ROUTES"]

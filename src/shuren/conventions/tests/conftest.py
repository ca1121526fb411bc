"""Fixtures of the co-governance tests (see shuren.proposals.testing)."""

from shuren.proposals.testing import co_world  # noqa: F401
